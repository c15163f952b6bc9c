/*
 * Each list is one X-macro of (code, Japanese label, English label): the
 * accepted-codes arrays and the term tables are both expanded from it, so
 * a code cannot be in one and missing from the other. The order is the
 * order of the lookup table's sort_order, which reports follow.
 */
#include "vocab.h"

#include <stdio.h>
#include <string.h>

#define VOCAB_CATEGORIES(X)                                                    \
	X("youth", "若年者(35歳未満)", "Young people (under 35)")              \
	X("senior", "高齢者(55歳以上)", "Seniors (55 and over)")               \
	X("disability", "障がい者", "People with disabilities")                \
	X("parenting", "子育て中の方", "Parents raising children")             \
	X("welfare", "生活保護受給者等", "Welfare recipients")                 \
	X("single_parent", "ひとり親", "Single parents")

#define VOCAB_ACCOMMODATIONS(X)                                                \
	X("sign_language", "手話通訳", "Sign language interpreting")           \
	X("captioning", "要約筆記", "Captioning")                              \
	X("written", "筆談", "Written conversation")                           \
	X("wheelchair", "車いす", "Wheelchair access")                         \
	X("braille_large_print", "点字・拡大文字", "Braille or large print")   \
	X("rest_breaks", "休憩への配慮", "Rest breaks")                        \
	X("supporter", "支援者の同行", "Accompanied by a supporter")           \
	X("other", "その他", "Other")

#define VOCAB_HANDBOOKS(X)                                                     \
	X("physical", "身体障害者手帳", "Physical disability certificate")     \
	X("intellectual", "療育手帳", "Intellectual disability certificate")   \
	X("mental", "精神障害者保健福祉手帳", "Mental disability certificate") \
	X("none", "手帳なし", "No certificate")

#define VOCAB_AGE_BANDS(X)                                                     \
	X("under_35", "35歳未満", "Under 35")                                  \
	X("35_54", "35～54歳", "35 to 54")                                     \
	X("55_64", "55～64歳", "55 to 64")                                     \
	X("65_plus", "65歳以上", "65 and over")

#define VOCAB_EVENT_STATUSES(X)                                                \
	X("draft", "準備中", "Draft")                                          \
	X("open", "受付中", "Open")                                            \
	X("closed", "終了", "Closed")

#define VOCAB_ORGANIZERS(X)                                                    \
	X("city", "市", "City")                                                \
	X("hellowork", "ハローワーク", "Hello Work")                           \
	X("joint", "共催", "Joint")

#define VOCAB_BOOTH_STATUSES(X)                                                \
	X("applied", "申込", "Applied")                                        \
	X("confirmed", "参加確定", "Confirmed")                                \
	X("cancelled", "キャンセル", "Cancelled")

#define VOCAB_REGISTRATION_STATUSES(X)                                         \
	X("registered", "登録", "Registered")                                  \
	X("cancelled", "キャンセル", "Cancelled")

#define VOCAB_OUTCOMES(X)                                                      \
	X("pending", "結果待ち", "Pending")                                    \
	X("offer", "内定", "Offer")                                            \
	X("hired", "採用", "Hired")                                            \
	X("declined", "辞退", "Declined")                                      \
	X("withdrawn", "取下げ", "Withdrawn")

#define VOCAB_EMPLOYMENT_TYPES(X)                                              \
	X("正社員", "正社員", "Regular employee")                              \
	X("契約社員", "契約社員", "Contract employee")                         \
	X("パート", "パート", "Part-time")                                     \
	X("アルバイト", "アルバイト", "Casual")                                \
	X("派遣", "派遣", "Agency worker")                                     \
	X("嘱託", "嘱託", "Non-regular staff")                                 \
	X("その他", "その他", "Other")

#define VOCAB_SCAN_RESULTS(X)                                                  \
	X("checked_in", "受付済", "checked in")                                \
	X("already_checked_in", "受付済(重複)", "already checked in")          \
	X("unknown_token", "不明なコード", "unknown")                          \
	X("wrong_event", "別のイベント", "wrong event")                        \
	X("cancelled", "キャンセル済", "cancelled")                            \
	X("not_event_day", "開催日以外", "not an event day")

#define VOCAB_QUEUE_STATES(X)                                                  \
	X("waiting", "待ち", "waiting")                                        \
	X("called", "呼び出し中", "called")                                    \
	X("done", "面談済み", "interviewed")                                   \
	X("absent", "不在", "absent")

#define VOCAB_METRIC_KINDS(X)                                                  \
	X("counted", "イベントから集計", "Counted from events")                \
	X("entered", "入力", "Entered")

#define VOCAB_FIGURES(X)                                                       \
	X("companies", "社", "companies")                                      \
	X("persons", "人", "persons")                                          \
	X("cases", "件", "cases")

#define VOCAB_LINK_KINDS(X)                                                    \
	X("dashboard", "受付状況（表示のみ）", "Dashboard (read only)")        \
	X("booth", "ブース", "Booth")

/* What a queued mail tells, as migrations/sql enqueues it (mail_enqueue). */
#define VOCAB_MAIL_KINDS(X)                                                    \
	X("apply_confirmation", "申込受付（求職者）",                          \
	  "Application received (job seeker)")                                 \
	X("apply_again", "申込済みのお知らせ", "Already applied (job seeker)") \
	X("booth_application", "出展申込受付", "Booth application received")   \
	X("booth_confirmed", "出展確定", "Booth confirmed")                    \
	X("booth_declined", "出展お断り", "Booth declined")

#define VOCAB_CODE(code, ja, en) code,
#define VOCAB_TERM(code, ja, en) {code, ja, en},
#define VOCAB_ONE(code, ja, en)	 +1

struct vocab_list {
	const char *table;
	bool lookup; /* the database holds it as a lookup table */
	size_t n;
	struct vocab_term terms[VOCAB_MAX_TERMS];
};

#define VOCAB_LIST_OF(table_name, in_database, LIST)                           \
	{                                                                      \
		.table = table_name, .lookup = in_database,                    \
		.n = 0 LIST(VOCAB_ONE), .terms = {LIST(VOCAB_TERM)},           \
	}
#define VOCAB_LIST(table_name, LIST) VOCAB_LIST_OF(table_name, true, LIST)

static const struct vocab_list vocab_lists[VOCAB_NKINDS] = {
    [VOCAB_CATEGORY] = VOCAB_LIST("seeker_categories", VOCAB_CATEGORIES),
    [VOCAB_ACCOMMODATION] = VOCAB_LIST("accommodations", VOCAB_ACCOMMODATIONS),
    [VOCAB_HANDBOOK] = VOCAB_LIST("disability_handbooks", VOCAB_HANDBOOKS),
    [VOCAB_AGE_BAND] = VOCAB_LIST("age_bands", VOCAB_AGE_BANDS),
    [VOCAB_EVENT_STATUS] = VOCAB_LIST("event_statuses", VOCAB_EVENT_STATUSES),
    [VOCAB_ORGANIZER] = VOCAB_LIST("event_organizers", VOCAB_ORGANIZERS),
    [VOCAB_BOOTH_STATUS] =
	VOCAB_LIST("participation_statuses", VOCAB_BOOTH_STATUSES),
    [VOCAB_REGISTRATION_STATUS] =
	VOCAB_LIST("registration_statuses", VOCAB_REGISTRATION_STATUSES),
    [VOCAB_OUTCOME] = VOCAB_LIST("interview_outcomes", VOCAB_OUTCOMES),
    [VOCAB_EMPLOYMENT_TYPE] =
	VOCAB_LIST("employment_types", VOCAB_EMPLOYMENT_TYPES),
    [VOCAB_SCAN_RESULT] = VOCAB_LIST("scan_results", VOCAB_SCAN_RESULTS),
    [VOCAB_QUEUE_STATE] = VOCAB_LIST("queue_states", VOCAB_QUEUE_STATES),
    [VOCAB_METRIC_KIND] = VOCAB_LIST("metric_kinds", VOCAB_METRIC_KINDS),
    [VOCAB_FIGURE] = VOCAB_LIST("figure_units", VOCAB_FIGURES),
    [VOCAB_LINK_KIND] = VOCAB_LIST("access_link_kinds", VOCAB_LINK_KINDS),
    /* mail_outbox.kind is only ever written by SQL functions. */
    [VOCAB_MAIL_KIND] = VOCAB_LIST_OF("mail_kinds", false, VOCAB_MAIL_KINDS),
};

/* "契約" is how staff write 契約社員; the database maps it on insert. */
const char *const vocab_accepted[VOCAB_NKINDS][VOCAB_MAX_TERMS + 1] = {
    [VOCAB_CATEGORY] = {VOCAB_CATEGORIES(VOCAB_CODE) NULL},
    [VOCAB_ACCOMMODATION] = {VOCAB_ACCOMMODATIONS(VOCAB_CODE) NULL},
    [VOCAB_HANDBOOK] = {VOCAB_HANDBOOKS(VOCAB_CODE) NULL},
    [VOCAB_AGE_BAND] = {VOCAB_AGE_BANDS(VOCAB_CODE) NULL},
    [VOCAB_EVENT_STATUS] = {VOCAB_EVENT_STATUSES(VOCAB_CODE) NULL},
    [VOCAB_ORGANIZER] = {VOCAB_ORGANIZERS(VOCAB_CODE) NULL},
    [VOCAB_BOOTH_STATUS] = {VOCAB_BOOTH_STATUSES(VOCAB_CODE) NULL},
    [VOCAB_REGISTRATION_STATUS] = {VOCAB_REGISTRATION_STATUSES(VOCAB_CODE)
				       NULL},
    [VOCAB_OUTCOME] = {VOCAB_OUTCOMES(VOCAB_CODE) NULL},
    [VOCAB_EMPLOYMENT_TYPE] = {VOCAB_EMPLOYMENT_TYPES(VOCAB_CODE) "契約", NULL},
    [VOCAB_SCAN_RESULT] = {VOCAB_SCAN_RESULTS(VOCAB_CODE) NULL},
    [VOCAB_QUEUE_STATE] = {VOCAB_QUEUE_STATES(VOCAB_CODE) NULL},
    [VOCAB_METRIC_KIND] = {VOCAB_METRIC_KINDS(VOCAB_CODE) NULL},
    [VOCAB_FIGURE] = {VOCAB_FIGURES(VOCAB_CODE) NULL},
    [VOCAB_LINK_KIND] = {VOCAB_LINK_KINDS(VOCAB_CODE) NULL},
    [VOCAB_MAIL_KIND] = {VOCAB_MAIL_KINDS(VOCAB_CODE) NULL},
};

size_t
vocab_count(enum vocab_kind kind)
{
	return vocab_lists[kind].n;
}

const struct vocab_term *
vocab_term(enum vocab_kind kind, size_t i)
{
	return &vocab_lists[kind].terms[i];
}

const char *
vocab_table(enum vocab_kind kind)
{
	return vocab_lists[kind].table;
}

bool
vocab_in_database(enum vocab_kind kind)
{
	return vocab_lists[kind].lookup;
}

static const struct vocab_term *
vocab_find(enum vocab_kind kind, const char *code)
{
	const struct vocab_list *l = &vocab_lists[kind];

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->terms[i].code, code) == 0)
			return &l->terms[i];
	return NULL;
}

const char *
vocab_label_ja(enum vocab_kind kind, const char *code)
{
	const struct vocab_term *t = vocab_find(kind, code);

	return t != NULL ? t->label_ja : code;
}

const char *
vocab_label_en(enum vocab_kind kind, const char *code)
{
	const struct vocab_term *t = vocab_find(kind, code);

	return t != NULL ? t->label_en : code;
}

const char *
vocab_label_short_ja(enum vocab_kind kind, const char *code, char *buf,
		     size_t size)
{
	const char *label = vocab_label_ja(kind, code);

	snprintf(buf, size, "%.*s", (int)strcspn(label, "("), label);
	return buf;
}

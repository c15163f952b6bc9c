/*
 * The public pages, written with stdio into a memory stream. Every text
 * is escaped where it is written (public_esc); the labels of categories
 * and accommodations come from the vocabulary (common/vocab.c), every
 * other word from the table below, in Japanese and in English.
 */
#include "public_page.h"

#include "bodies.h"
#include "log.h"
#include "vocab.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The one table of the public strings: (id, Japanese, English). */
#define PUBLIC_TEXTS(X)                                                                                         \
	X(SITE, "山口市 就職面接会・セミナー 申込み",                                                           \
	  "Yamaguchi City job fairs and seminars: applications")                                                \
	X(SKIP, "本文へ移動", "Skip to content")                                                                \
	X(OTHER_LANG, "English", "日本語")                                                                      \
	X(INDEX_TITLE, "申込みを受け付けている催し",                                                            \
	  "Events open for applications")                                                                       \
	X(INDEX_NONE, "いま申込みを受け付けている催しはありません。",                                           \
	  "No event is taking applications at the moment.")                                                     \
	X(APPLY_LINK, "申し込む", "Apply")                                                                      \
	X(TYPE, "種類", "Type")                                                                                 \
	X(WHEN, "日時", "Date and time")                                                                        \
	X(VENUE, "会場", "Venue")                                                                               \
	X(BRING, "持ち物", "What to bring")                                                                     \
	X(DEADLINE, "申込み締切", "Applications close")                                                         \
	X(FORM_TITLE, "申込みフォーム", "Application form")                                                     \
	X(REQUIRED, "必須", "required")                                                                         \
	X(OPTIONAL, "任意", "optional")                                                                         \
	X(NAME, "お名前", "Name")                                                                               \
	X(NAME_HINT, "例：山口 花子", "e.g. Hanako Yamaguchi")                                                  \
	X(KANA, "フリガナ", "Name in katakana (furigana)")                                                      \
	X(KANA_HINT, "例：ヤマグチ ハナコ（ひらがなでも大丈夫です）",                                           \
	  "e.g. ヤマグチ ハナコ (hiragana is fine too)")                                                        \
	X(AGE_GROUP, "年齢または生年月日（どちらか一方）",                                                      \
	  "Age or date of birth (one of the two)")                                                              \
	X(AGE, "年齢", "Age")                                                                                   \
	X(BIRTH, "生年月日", "Date of birth")                                                                   \
	X(PHONE, "電話番号", "Phone number")                                                                    \
	X(PHONE_HINT, "例：083-934-2814（ハイフンはなくても大丈夫です）",                                       \
	  "e.g. 083-934-2814")                                                                                  \
	X(EMAIL, "メールアドレス", "Email address")                                                             \
	X(EMAIL_HINT,                                                                                           \
	  "ご記入いただくと、受付票（QRコード）をメールでもお送りします。",                                     \
	  "If you give one, we also email you your slip with the QR code.")                                     \
	X(CATEGORIES, "あてはまるもの（いくつでも）",                                                           \
	  "Which of these apply to you (any number)")                                                           \
	X(ACCOMMODATIONS, "必要な配慮（いくつでも）",                                                           \
	  "Support you need on the day (any number)")                                                           \
	X(NOTE, "配慮についてのご希望", "About the support you need")                                           \
	X(SUPPORTERS, "一緒に来る支援者の人数", "Supporters coming with you")                                   \
	X(PURPOSE, "個人情報の利用目的", "How we use your personal data")                                       \
	X(PURPOSE_LEAD, "申し込む前に、必ずお読みください。",                                                   \
	  "Please read this before you apply (the text is in Japanese).")                                       \
	X(CONSENT, "利用目的を読み、同意します", "I have read it and I agree")                                  \
	X(HONEYPOT, "この欄は空のままにしてください",                                                           \
	  "Leave this field empty")                                                                             \
	X(SUBMIT, "この内容で申し込む", "Send my application")                                                  \
	X(ERR_TITLE_PREFIX, "エラー：", "Error: ")                                                              \
	X(ERR_NAME, "お名前を入力してください（100文字まで）。",                                                \
	  "Enter your name (up to 100 characters).")                                                            \
	X(ERR_NAME_KANA, "フリガナをカタカナかひらがなで入力してください。",                                    \
	  "Enter your name in katakana or hiragana.")                                                           \
	X(ERR_AGE,                                                                                              \
	  "年齢は15から120までの数字で、生年月日と片方だけ入力してください。",                                  \
	  "Enter an age from 15 to 120, and not a date of birth as well.")                                      \
	X(ERR_BIRTH_DATE,                                                                                       \
	  "生年月日を正しく入力してください（15歳から120歳まで）。",                                            \
	  "Enter a real date of birth (aged 15 to 120).")                                                       \
	X(ERR_PHONE, "電話番号を数字で入力してください（例：083-934-2814）。",                                  \
	  "Enter a phone number in digits (e.g. 083-934-2814).")                                                \
	X(ERR_EMAIL,                                                                                            \
	  "メールアドレスを正しく入力してください（例：hanako@example.jp）。",                                  \
	  "Enter a real email address (e.g. hanako@example.jp).")                                               \
	X(ERR_CHOICE, "一覧から選んでください。", "Choose from the list.")                                      \
	X(ERR_NOTE, "1000文字までで入力してください。",                                                         \
	  "Use at most 1000 characters.")                                                                       \
	X(ERR_SUPPORTERS, "0人から10人までで選んでください。",                                                  \
	  "Choose from 0 to 10.")                                                                               \
	X(ERR_CONSENT,                                                                                          \
	  "利用目的をお読みのうえ、「同意します」にチェックを入れてください"    \
	  "。",                                                                                                 \
	  "Read how we use your data and tick \"I agree\".")                                                    \
	X(ERR_HONEYPOT, "この欄は空のままにしてください。",                                                     \
	  "Leave this field empty.")                                                                            \
	X(N_FIELDS, "入力内容を確認してください", "Check what you entered")                                     \
	X(N_EXPIRED,                                                                                            \
	  "フォームの有効期限が切れました。内容を確かめて、もう一度「この内容" \
	  "で申し込む」を押してください。",                                                                     \
	  "The form had expired. Check your answers and press \"Send my "                                       \
	  "application\" again.")                                                                               \
	X(N_FULL, "定員に達したため、申込みを締め切りました。",                                                 \
	  "The event is full; applications are closed.")                                                        \
	X(N_CLOSED, "この催しの申込みの受付は終了しました。",                                                   \
	  "Applications for this event are closed.")                                                            \
	X(N_PURPOSE,                                                                                            \
	  "個人情報の利用目的が新しくなりました。お読みのうえ、もう一度同意し" \
	  "てください。",                                                                                       \
	  "How we use your data has been updated. Please read it and agree "                                    \
	  "again.")                                                                                             \
	X(N_NOT_FOUND, "ページが見つかりません。リンクをお確かめください。",                                    \
	  "Page not found. Please check the link.")                                                             \
	X(N_BUSY,                                                                                               \
	  "ただいま混み合っています。少し待ってから、もう一度お試しください"    \
	  "。",                                                                                                 \
	  "We are busy right now. Please wait a moment and try again.")                                         \
	X(N_RATE,                                                                                               \
	  "この接続から短い時間に多くの申込みがありました。%"                           \
	  "d秒ほど待ってから、もう一度お送りください。",                                                        \
	  "Too many applications came from this connection in a short time. "                                   \
	  "Please wait about %d seconds and send again.")                                                       \
	X(N_FORBIDDEN,                                                                                          \
	  "ほかのサイトから送られた申込みは受け付けられません。このサイトのフ" \
	  "ォームからお申し込みください。",                                                                     \
	  "Applications sent from another site are refused. Please use the "                                    \
	  "form on this site.")                                                                                 \
	X(N_TOO_LARGE, "入力が長すぎます。短くしてもう一度お送りください。",                                    \
	  "What you sent is too long. Please shorten it and send again.")                                       \
	X(BACK_INDEX, "申込みを受け付けている催しの一覧へ",                                                     \
	  "Back to the events open for applications")                                                           \
	X(BACK_FORM, "申込みフォームへ戻る", "Back to the form")                                                \
	X(RECEIPT_TITLE, "お申込みを受け付けました",                                                            \
	  "Your application is received")                                                                       \
	X(RECEIPT_LEAD, "様、お申込みありがとうございます。",                                                   \
	  ", thank you for applying.")                                                                          \
	X(NUMBER, "受付番号", "Application number")                                                             \
	X(QR_ALT, "受付用のQRコード", "QR code for the reception desk")                                         \
	X(QR_HOW,                                                                                               \
	  "当日は、このQRコードか受付票を受付でお見せください。このページを保"  \
	  "存するか、受付票を印刷してお持ちください。",                                                         \
	  "On the day, show this QR code or your slip at the reception desk. "                                  \
	  "Save this page or print the slip.")                                                                  \
	X(SLIP_LINK, "受付票（PDF）を開く・印刷する",                                                           \
	  "Open or print your slip (PDF)")                                                                      \
	X(MAIL_SENT,                                                                                            \
	  "メールアドレスをご記入の方には、同じ内容をメールでお送りしました"    \
	  "。",                                                                                                 \
	  "If you gave an email address, we have sent you the same by email.")                                  \
	X(TWICE,                                                                                                \
	  "同じ方が二度お申し込みになった場合は、最初のお申込みが有効です。ご" \
	  "不明なときは、当日受付でお名前をお伝えください。",                                                   \
	  "If you applied twice, your first application counts. If in doubt, "                                  \
	  "give your name at the reception desk.")                                                              \
	X(KEEP_PRIVATE,                                                                                         \
	  "このページのアドレスは、ほかの人に教えないでください。",                                             \
	  "Do not share the address of this page.")                                                             \
	X(CANCEL_LINK, "参加できなくなったときは、申込みを取り消す",                                            \
	  "If you cannot come, cancel your application")                                                        \
	X(CANCELLED_NOTE, "このお申込みは取り消されています。",                                                 \
	  "This application has been cancelled.")                                                               \
	X(CANCEL_TITLE, "申込みの取消し", "Cancel your application")                                            \
	X(CANCEL_ASK, "次の催しへのお申込みを取り消しますか？",                                                 \
	  "Do you want to cancel your application for this event?")                                             \
	X(CANCEL_BUTTON, "取り消す", "Cancel my application")                                                   \
	X(CANCEL_DONE,                                                                                          \
	  "お申込みを取り消しました。ご連絡ありがとうございました。",                                           \
	  "Your application is cancelled. Thank you for letting us know.")                                      \
	X(CANCEL_USED, "この取消しのリンクはすでに使われています。",                                            \
	  "This cancellation link has already been used.")                                                      \
	X(CANCEL_EXPIRED, "催しが終わったため、このリンクは使えません。",                                       \
	  "The event is over; this link no longer works.")                                                      \
	X(COMPANY_LINK, "企業の方：出展を申し込む",                                                             \
	  "Companies: apply for a booth")                                                                       \
	X(COMPANY_TITLE, "出展の申込み（企業の方）",                                                            \
	  "Booth application (companies)")                                                                      \
	X(COMPANY_LEAD,                                                                                         \
	  "ご記入の内容を山口市が確かめ、出展していただけるかどうかをメールで" \
	  "お"                                                                                                 \
	  "知らせします。",                                                                                     \
	  "The city checks your application and tells you by email whether "                                    \
	  "your booth is confirmed.")                                                                           \
	X(CORP_NUMBER, "法人番号（13桁）", "Corporate number (13 digits)")                                      \
	X(CORP_NUMBER_HINT, "国税庁の法人番号公表サイトで確かめられます。",                                     \
	  "You can look it up on the National Tax Agency's corporate number "                                   \
	  "site.")                                                                                              \
	X(COMPANY_NAME, "会社名・事業所名", "Company name")                                                     \
	X(COMPANY_NAME_HINT, "例：株式会社山口製作所",                                                          \
	  "e.g. Yamaguchi Seisakusho Co., Ltd.")                                                                \
	X(COMPANY_KANA, "会社名のフリガナ", "Company name in katakana")                                         \
	X(COMPANY_KANA_HINT,                                                                                    \
	  "例：ヤマグチセイサクショ（ひらがなでも大丈夫です）",                                                 \
	  "e.g. ヤマグチセイサクショ (hiragana is fine too)")                                                   \
	X(POSTAL, "郵便番号", "Postal code")                                                                    \
	X(POSTAL_HINT, "例：753-8650", "e.g. 753-8650")                                                         \
	X(ADDRESS, "所在地", "Address")                                                                         \
	X(ADDRESS_HINT, "例：山口市亀山町2-1",                                                                  \
	  "e.g. 2-1 Kameyama-cho, Yamaguchi")                                                                   \
	X(CONTACT, "ご担当者のお名前", "Contact person")                                                        \
	X(COMPANY_EMAIL_HINT,                                                                                   \
	  "受付のお知らせと、出展できるかどうかのお知らせをお送りします。",                                     \
	  "We send the acknowledgement and our answer to this address.")                                        \
	X(REPS, "当日来られる人数", "People coming on the day")                                                 \
	X(REPS_HINT, "1から50までの数字", "A number from 1 to 50")                                              \
	X(REP_NAMES, "当日来られる方のお名前", "Names of those coming")                                         \
	X(REP_NAMES_HINT, "分かっていれば、「、」で区切ってご記入ください。",                                   \
	  "If you know them, separate the names with commas.")                                                  \
	X(OPENINGS, "募集する求人（1件以上）", "Openings (at least one)")                                       \
	X(OPENINGS_HINT,                                                                                        \
	  "記入する求人は、職種と雇用形態が必須です。求人番号はハローワークの" \
	  "求人票の番号です（例：35010-12345678）。使わない欄は空のままで大丈"        \
	  "夫です。",                                                                                           \
	  "For each opening, the job and the type of employment are "                                           \
	  "required. "                                                                                          \
	  "The job number is the one on the Hello Work job card (e.g. "                                         \
	  "35010-12345678). Leave unused rows empty.")                                                          \
	X(OPENING_N, "求人%d：", "Opening %d: ")                                                                \
	X(O_TITLE, "職種", "Job")                                                                               \
	X(O_TYPE, "雇用形態", "Type of employment")                                                             \
	X(O_COUNT, "募集人数", "Number of people")                                                              \
	X(O_NUMBER, "求人番号", "Job number")                                                                   \
	X(CHOOSE, "選んでください", "Choose")                                                                   \
	X(COMPANY_SUBMIT, "この内容で出展を申し込む", "Send the application")                                   \
	X(ERR_CORP_NUMBER,                                                                                      \
	  "法人番号（13桁の数字）を確かめてください。数字が1つ違うだけでも受"    \
	  "け付けられません。",                                                                                 \
	  "Check the corporate number (13 digits): a single wrong digit "                                       \
	  "makes "                                                                                              \
	  "it invalid.")                                                                                        \
	X(ERR_COMPANY_NAME, "会社名を入力してください（200文字まで）。",                                        \
	  "Enter the company name (up to 200 characters).")                                                     \
	X(ERR_COMPANY_KANA,                                                                                     \
	  "会社名のフリガナをカタカナかひらがなで入力してください。",                                           \
	  "Enter the company name in katakana or hiragana.")                                                    \
	X(ERR_POSTAL,                                                                                           \
	  "郵便番号を7桁の数字で入力してください（例：753-8650）。",                                            \
	  "Enter a 7-digit postal code (e.g. 753-8650).")                                                       \
	X(ERR_ADDRESS, "所在地を入力してください（300文字まで）。",                                             \
	  "Enter the address (up to 300 characters).")                                                          \
	X(ERR_CONTACT, "ご担当者のお名前を入力してください（100文字まで）。",                                   \
	  "Enter the contact person's name (up to 100 characters).")                                            \
	X(ERR_COMPANY_EMAIL,                                                                                    \
	  "メールアドレスを正しく入力してください（例：saiyo@example.co."                 \
	  "jp）。",                                                                                             \
	  "Enter a real email address (e.g. saiyo@example.co.jp).")                                             \
	X(ERR_REPS, "来られる人数を1から50までの数字で入力してください。",                                      \
	  "Enter a number of people from 1 to 50.")                                                             \
	X(ERR_REP_NAMES, "300文字までで入力してください。",                                                     \
	  "Use at most 300 characters.")                                                                        \
	X(ERR_OPENINGS, "求人を1件以上ご記入ください。",                                                        \
	  "Enter at least one opening.")                                                                        \
	X(ERR_O_TITLE, "職種を入力してください（200文字まで）。",                                               \
	  "Enter the job (up to 200 characters).")                                                              \
	X(ERR_O_TYPE, "雇用形態を選んでください。",                                                             \
	  "Choose the type of employment.")                                                                     \
	X(ERR_O_COUNT, "募集人数を1から999までの数字で入力してください。",                                      \
	  "Enter a number of people from 1 to 999.")                                                            \
	X(ERR_O_NUMBER,                                                                                         \
	  "求人番号は「35010-12345678」の形で入力してください。",                                               \
	  "Enter the job number like 35010-12345678.")                                                          \
	X(RECEIVED_TITLE, "出展のお申込みを受け付けました",                                                     \
	  "Your booth application is received")                                                                 \
	X(RECEIVED_BODY,                                                                                        \
	  "ご記入のメールアドレスに、受付のお知らせをお送りしました。内容を確" \
	  "かめ、出展していただけるかどうかを、山口市から改めてメールでお知ら" \
	  "せします。",                                                                                         \
	  "We have sent an acknowledgement to the address you gave. The city "                                  \
	  "will check your application and tell you by email whether your "                                     \
	  "booth is confirmed.")                                                                                \
	X(RECEIVED_NOTE,                                                                                        \
	  "数日たってもお知らせが届かないときは、下のお問い合わせ先までご連絡" \
	  "ください。",                                                                                         \
	  "If you hear nothing within a few days, please contact us (below).")                                  \
	X(FOOTER,                                                                                               \
	  "お問い合わせ：山口市 経済産業部 商工振興課（083-934-2814）",                                         \
	  "Contact: Yamaguchi City, Commerce and Industry Division "                                            \
	  "(083-934-2814)")

enum public_text {
#define PUBLIC_TEXT_ID(id, ja, en) PT_##id,
	PUBLIC_TEXTS(PUBLIC_TEXT_ID)
#undef PUBLIC_TEXT_ID
	    PT_COUNT
};

static const char *const public_texts[PT_COUNT][2] = {
#define PUBLIC_TEXT_ROW(id, ja, en) [PT_##id] = {ja, en},
    PUBLIC_TEXTS(PUBLIC_TEXT_ROW)
#undef PUBLIC_TEXT_ROW
};

/* Each notice's text and whether it is an error (role="alert"). */
static const struct {
	enum public_text text;
	bool error;
} public_notices[] = {
    [PUBLIC_NOTICE_NONE] = {PT_SITE, false},
    [PUBLIC_NOTICE_FIELDS] = {PT_N_FIELDS, true},
    [PUBLIC_NOTICE_EXPIRED] = {PT_N_EXPIRED, true},
    [PUBLIC_NOTICE_FULL] = {PT_N_FULL, true},
    [PUBLIC_NOTICE_CLOSED] = {PT_N_CLOSED, true},
    [PUBLIC_NOTICE_PURPOSE] = {PT_N_PURPOSE, true},
    [PUBLIC_NOTICE_NOT_FOUND] = {PT_N_NOT_FOUND, true},
    [PUBLIC_NOTICE_BUSY] = {PT_N_BUSY, true},
    [PUBLIC_NOTICE_RATE] = {PT_N_RATE, true},
    [PUBLIC_NOTICE_FORBIDDEN] = {PT_N_FORBIDDEN, true},
    [PUBLIC_NOTICE_TOO_LARGE] = {PT_N_TOO_LARGE, true},
};

/* A form's field in page order, with the message when it is wrong. */
struct public_field {
	const char *name;
	enum public_text error;
};

/* The job seekers' form. */
static const struct public_field public_seeker_fields[] = {
    {"name", PT_ERR_NAME},
    {"name_kana", PT_ERR_NAME_KANA},
    {"age", PT_ERR_AGE},
    {"birth_date", PT_ERR_BIRTH_DATE},
    {"phone", PT_ERR_PHONE},
    {"email", PT_ERR_EMAIL},
    {"categories", PT_ERR_CHOICE},
    {"accommodations", PT_ERR_CHOICE},
    {"accommodation_note", PT_ERR_NOTE},
    {"supporters", PT_ERR_SUPPORTERS},
    {"consent", PT_ERR_CONSENT},
    {"website", PT_ERR_HONEYPOT},
};

/* The companies' form; the openings' rows are listed after "openings". */
static const struct public_field public_company_fields[] = {
    {"corporate_number", PT_ERR_CORP_NUMBER},
    {"name", PT_ERR_COMPANY_NAME},
    {"name_kana", PT_ERR_COMPANY_KANA},
    {"postal_code", PT_ERR_POSTAL},
    {"address", PT_ERR_ADDRESS},
    {"contact_name", PT_ERR_CONTACT},
    {"phone", PT_ERR_PHONE},
    {"email", PT_ERR_COMPANY_EMAIL},
    {"representatives", PT_ERR_REPS},
    {"representative_names", PT_ERR_REP_NAMES},
    {"openings", PT_ERR_OPENINGS},
    {"website", PT_ERR_HONEYPOT},
};

#define NELEM(a) (sizeof(a) / sizeof *(a))

/* An opening's row "oN_title", …: the fields as bodies_opening names them. */
static const struct {
	const char *name;
	enum public_text label, error;
} public_opening_fields[] = {
    {"title", PT_O_TITLE, PT_ERR_O_TITLE},
    {"employment_type", PT_O_TYPE, PT_ERR_O_TYPE},
    {"count", PT_O_COUNT, PT_ERR_O_COUNT},
    {"job_number", PT_O_NUMBER, PT_ERR_O_NUMBER},
};
_Static_assert(NELEM(public_opening_fields) == BODIES_OPENING_NFIELDS,
	       "a row draws each field of bodies_opening");

struct page {
	FILE *f;
	char *buf;
	size_t len;
	enum public_lang lang;
	/* The form drawn on the page, for its errors' messages. */
	const struct public_field *fields;
	size_t nfields;
};

static const char *
T(const struct page *p, enum public_text t)
{
	return public_texts[t][p->lang];
}

static void
public_esc(struct page *p, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		switch (*s) {
		case '&':
			fputs("&amp;", p->f);
			break;
		case '<':
			fputs("&lt;", p->f);
			break;
		case '>':
			fputs("&gt;", p->f);
			break;
		case '"':
			fputs("&quot;", p->f);
			break;
		case '\'':
			fputs("&#39;", p->f);
			break;
		default:
			fputc(*s, p->f);
		}
}

/* Text with its line breaks kept, as paragraphs' lines. */
static void
public_esc_lines(struct page *p, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\n') {
			fputs("<br>\n", p->f);
			continue;
		}
		char one[2] = {*s, '\0'};

		public_esc(p, one);
	}
}

static const char *
str(const cJSON *o, const char *key)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

	return v != NULL ? v : "";
}

/* "?lang=en" for links while the page is in English, else nothing. */
static const char *
public_lang_query(const struct page *p)
{
	return p->lang == PUBLIC_EN ? "?lang=en" : "";
}

static void
public_head(struct page *p, const char *title, bool error)
{
	if ((p->f = open_memstream(&p->buf, &p->len)) == NULL)
		fatal("open_memstream");
	fprintf(p->f,
		"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
		"<meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, "
		"initial-scale=1\">\n<title>",
		p->lang == PUBLIC_EN ? "en" : "ja");
	if (error)
		public_esc(p, T(p, PT_ERR_TITLE_PREFIX));
	public_esc(p, title);
	fputs(" | ", p->f);
	public_esc(p, T(p, PT_SITE));
	fprintf(
	    p->f,
	    "</title>\n<link rel=\"stylesheet\" href=\"/apply/apply.css\">\n"
	    "<script src=\"/apply/apply.js\" defer></script>\n</head>\n"
	    "<body>\n<a class=\"skip\" href=\"#main\">%s</a>\n"
	    "<header class=\"site\"><p class=\"site-name\"><a "
	    "href=\"/apply%s\">%s</a></p>\n"
	    "<p class=\"lang\"><a href=\"?lang=%s\" lang=\"%s\">%s</a></p>"
	    "</header>\n<main id=\"main\" tabindex=\"-1\">\n<h1>",
	    T(p, PT_SKIP), public_lang_query(p), T(p, PT_SITE),
	    p->lang == PUBLIC_EN ? "ja" : "en",
	    p->lang == PUBLIC_EN ? "ja" : "en", T(p, PT_OTHER_LANG));
	public_esc(p, title);
	fputs("</h1>\n", p->f);
}

static char *
public_end(struct page *p)
{
	fprintf(p->f,
		"</main>\n<footer class=\"site\"><p>%s</p></footer>\n"
		"</body>\n</html>\n",
		T(p, PT_FOOTER));
	fclose(p->f);
	return p->buf;
}

/* The event's facts as a description list. */
static void
public_event_facts(struct page *p, const cJSON *e)
{
	const char *bring = str(e, "bring");
	const char *deadline =
	    str(e, p->lang == PUBLIC_EN ? "deadline_en" : "deadline_ja");

	fputs("<dl class=\"facts\">\n", p->f);
	fprintf(p->f, "<dt>%s</dt><dd>", T(p, PT_TYPE));
	public_esc(p, str(e, p->lang == PUBLIC_EN ? "type_en" : "type_ja"));
	fprintf(p->f, "</dd>\n<dt>%s</dt><dd>", T(p, PT_WHEN));
	public_esc(p, str(e, p->lang == PUBLIC_EN ? "when_en" : "when_ja"));
	fprintf(p->f, "</dd>\n<dt>%s</dt><dd>", T(p, PT_VENUE));
	public_esc(p, str(e, "venue"));
	fputs("</dd>\n", p->f);
	if (*bring != '\0') {
		fprintf(p->f, "<dt>%s</dt><dd>", T(p, PT_BRING));
		public_esc_lines(p, bring);
		fputs("</dd>\n", p->f);
	}
	if (*deadline != '\0') {
		fprintf(p->f, "<dt>%s</dt><dd>", T(p, PT_DEADLINE));
		/* The deadline is a moment: its "〜HH:MM" end is dropped. */
		const char *cut = strstr(deadline, "〜");
		const char *dash = strstr(deadline, "–");
		size_t n = cut	  ? (size_t)(cut - deadline)
			   : dash ? (size_t)(dash - deadline)
				  : strlen(deadline);
		char *head = xstrndup(deadline, n);

		public_esc(p, head);
		free(head);
		fputs("</dd>\n", p->f);
	}
	fputs("</dl>\n", p->f);
}

static void
public_notice_box(struct page *p, enum public_notice n, int seconds)
{
	fprintf(p->f, "<div class=\"notice%s\" %s>\n<p>",
		public_notices[n].error ? " notice-error" : "",
		public_notices[n].error ? "role=\"alert\"" : "role=\"status\"");
	if (n == PUBLIC_NOTICE_RATE) {
		char *text;

		xasprintf(&text, T(p, PT_N_RATE), seconds);
		public_esc(p, text);
		free(text);
	} else
		public_esc(p, T(p, public_notices[n].text));
	fputs("</p>\n</div>\n", p->f);
}

char *
public_page_index_new(enum public_lang lang, const cJSON *events)
{
	struct page p = {.lang = lang};
	const cJSON *e;

	public_head(&p, T(&p, PT_INDEX_TITLE), false);
	if (cJSON_GetArraySize(events) == 0)
		fprintf(p.f, "<p>%s</p>\n", T(&p, PT_INDEX_NONE));
	fputs("<ul class=\"events\">\n", p.f);
	cJSON_ArrayForEach(e, events)
	{
		fputs("<li class=\"event\">\n<h2>", p.f);
		public_esc(&p, str(e, "title"));
		fputs("</h2>\n", p.f);
		public_event_facts(&p, e);
		fprintf(p.f,
			"<p><a class=\"button\" href=\"/apply/events/%d%s\">%s"
			"<span class=\"visually-hidden\">: ",
			cJSON_GetObjectItem(e, "id")->valueint,
			public_lang_query(&p), T(&p, PT_APPLY_LINK));
		public_esc(&p, str(e, "title"));
		fputs("</span></a></p>\n</li>\n", p.f);
	}
	fputs("</ul>\n", p.f);
	return public_end(&p);
}

static bool
public_has_error(const struct public_form *form, const char *field)
{
	return form->errors != NULL &&
	       cJSON_GetObjectItem(form->errors, field) != NULL;
}

/* "o2_title": the row (2) and its field's index, or 0. */
static int
public_opening_field(const char *name, size_t *field)
{
	char *end;
	long row;

	if (name[0] != 'o' || name[1] < '1' || name[1] > '9')
		return 0;
	row = strtol(name + 1, &end, 10);
	if (*end != '_' || row > PUBLIC_OPENING_ROWS_MAX)
		return 0;
	for (size_t i = 0; i < NELEM(public_opening_fields); i++)
		if (strcmp(end + 1, public_opening_fields[i].name) == 0) {
			*field = i;
			return (int)row;
		}
	return 0;
}

static enum public_text
public_field_error(const struct page *p, const char *field)
{
	size_t f;

	for (size_t i = 0; i < p->nfields; i++)
		if (strcmp(p->fields[i].name, field) == 0)
			return p->fields[i].error;
	if (public_opening_field(field, &f) > 0)
		return public_opening_fields[f].error;
	return PT_ERR_CHOICE;
}

/* The openings' rows' errors in the summary: 「求人2：職種を…」. */
static void
public_opening_summary(struct page *p, const struct public_form *form)
{
	for (int row = 1; row <= PUBLIC_OPENING_ROWS_MAX; row++)
		for (size_t f = 0; f < NELEM(public_opening_fields); f++) {
			char field[40];

			snprintf(field, sizeof field, "o%d_%s", row,
				 public_opening_fields[f].name);
			if (!public_has_error(form, field))
				continue;
			fprintf(p->f, "<li><a href=\"#f-%s\">", field);
			fprintf(p->f, T(p, PT_OPENING_N), row);
			fprintf(p->f, "%s</a></li>\n",
				T(p, public_opening_fields[f].error));
		}
}

/* The summary at the top: each wrong field, linked to it. */
static void
public_error_summary(struct page *p, const struct public_form *form)
{
	if (form->notice == PUBLIC_NOTICE_NONE)
		return;
	fprintf(p->f,
		"<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" "
		"aria-labelledby=\"error-summary-title\">\n"
		"<h2 id=\"error-summary-title\">%s</h2>\n",
		T(p, public_notices[form->notice].text));
	if (form->errors != NULL && cJSON_GetArraySize(form->errors) > 0) {
		fputs("<ul>\n", p->f);
		for (size_t i = 0; i < p->nfields; i++) {
			const char *name = p->fields[i].name;

			if (public_has_error(form, name))
				fprintf(p->f,
					"<li><a href=\"#f-%s\">%s</a></li>\n",
					name, T(p, p->fields[i].error));
			if (strcmp(name, "openings") == 0)
				public_opening_summary(p, form);
		}
		fputs("</ul>\n", p->f);
	}
	fputs("</div>\n", p->f);
}

/* The attributes that tie a field to its hint and its error. */
static void
public_described(struct page *p, const struct public_form *form,
		 const char *name, bool hint)
{
	bool bad = public_has_error(form, name);

	if (bad)
		fputs(" aria-invalid=\"true\"", p->f);
	if (bad || hint)
		fprintf(p->f, " aria-describedby=\"%s%s%s%s%s\"",
			hint ? "h-" : "", hint ? name : "",
			hint && bad ? " " : "", bad ? "e-" : "",
			bad ? name : "");
}

static void
public_label(struct page *p, const char *name, enum public_text label,
	     bool required)
{
	fprintf(p->f,
		"<label for=\"f-%s\">%s <span class=\"%s\">%s</span></label>\n",
		name, T(p, label), required ? "req" : "opt",
		T(p, required ? PT_REQUIRED : PT_OPTIONAL));
}

static void
public_hint_error(struct page *p, const struct public_form *form,
		  const char *name, int hint)
{
	if (hint >= 0)
		fprintf(p->f, "<p class=\"hint\" id=\"h-%s\">%s</p>\n", name,
			T(p, (enum public_text)hint));
	if (public_has_error(form, name))
		fprintf(p->f,
			"<p class=\"field-error\" id=\"e-%s\"><span "
			"class=\"visually-hidden\">%s</span>%s</p>\n",
			name, T(p, PT_ERR_TITLE_PREFIX),
			T(p, public_field_error(p, name)));
}

/* A one-line field: label, hint, error, input keeping what was typed. */
static void
public_input(struct page *p, const struct public_form *form, const char *name,
	     enum public_text label, bool required, int hint, const char *type,
	     const char *extra)
{
	fprintf(p->f, "<div class=\"field%s\">\n",
		public_has_error(form, name) ? " field-bad" : "");
	public_label(p, name, label, required);
	public_hint_error(p, form, name, hint);
	fprintf(p->f, "<input id=\"f-%s\" name=\"%s\" type=\"%s\" %s", name,
		name, type, extra);
	if (required)
		fputs(" required", p->f);
	public_described(p, form, name, hint >= 0);
	fputs(" value=\"", p->f);
	public_esc(p, str(form->values, name));
	fputs("\">\n</div>\n", p->f);
}

static bool
public_checked(const struct public_form *form, const char *name,
	       const char *code)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, cJSON_GetObjectItem(form->values, name))
	{
		if (cJSON_IsString(v) && strcmp(v->valuestring, code) == 0)
			return true;
	}
	return false;
}

/* Check boxes of a vocabulary's codes, labelled from vocab.c. */
static void
public_choices(struct page *p, const struct public_form *form, const char *name,
	       enum public_text legend, enum vocab_kind kind)
{
	fprintf(p->f, "<fieldset class=\"field%s\" id=\"f-%s\"",
		public_has_error(form, name) ? " field-bad" : "", name);
	public_described(p, form, name, false);
	fprintf(p->f, ">\n<legend>%s <span class=\"opt\">%s</span></legend>\n",
		T(p, legend), T(p, PT_OPTIONAL));
	public_hint_error(p, form, name, -1);
	for (size_t i = 0; i < vocab_count(kind); i++) {
		const struct vocab_term *t = vocab_term(kind, i);

		fprintf(p->f,
			"<div class=\"check\"><input type=\"checkbox\" "
			"id=\"f-%s-%s\" name=\"%s\" value=\"%s\"%s>"
			"<label for=\"f-%s-%s\">",
			name, t->code, name, t->code,
			public_checked(form, name, t->code) ? " checked" : "",
			name, t->code);
		public_esc(p, p->lang == PUBLIC_EN ? t->label_en : t->label_ja);
		fputs("</label></div>\n", p->f);
	}
	fputs("</fieldset>\n", p->f);
}

/* The honeypot: hidden from people and screen readers, not bots. */
static void
public_honeypot_field(struct page *p)
{
	fprintf(p->f,
		"<div class=\"hp\" aria-hidden=\"true\"><label "
		"for=\"f-website\">%s</label><input id=\"f-website\" "
		"name=\"website\" type=\"text\" tabindex=\"-1\" "
		"autocomplete=\"off\" value=\"\"></div>\n",
		T(p, PT_HONEYPOT));
}

static void
public_form(struct page *p, const cJSON *e, const struct public_form *form)
{
	const cJSON *purpose = cJSON_GetObjectItem(e, "purpose");
	const char *supporters = str(form->values, "supporters");
	bool consent =
	    cJSON_IsTrue(cJSON_GetObjectItem(form->values, "consent"));

	fprintf(p->f,
		"<h2 id=\"form-title\">%s</h2>\n"
		"<form method=\"post\" action=\"/apply/events/%d\" "
		"class=\"apply\" aria-labelledby=\"form-title\" novalidate>\n"
		"<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
		"<input type=\"hidden\" name=\"lang\" value=\"%s\">\n"
		"<input type=\"hidden\" name=\"purpose_id\" value=\"%d\">\n",
		T(p, PT_FORM_TITLE), cJSON_GetObjectItem(e, "id")->valueint,
		form->csrf, p->lang == PUBLIC_EN ? "en" : "ja",
		cJSON_GetObjectItem(purpose, "id")->valueint);
	public_input(p, form, "name", PT_NAME, true, PT_NAME_HINT, "text",
		     "autocomplete=\"name\" maxlength=\"100\"");
	public_input(p, form, "name_kana", PT_KANA, true, PT_KANA_HINT, "text",
		     "maxlength=\"100\"");
	fprintf(p->f,
		"<fieldset class=\"field\">\n<legend>%s <span "
		"class=\"opt\">%s</span></legend>\n",
		T(p, PT_AGE_GROUP), T(p, PT_OPTIONAL));
	public_input(p, form, "age", PT_AGE, false, -1, "text",
		     "inputmode=\"numeric\" maxlength=\"3\" class=\"short\"");
	public_input(p, form, "birth_date", PT_BIRTH, false, -1, "date",
		     "autocomplete=\"bday\"");
	fputs("</fieldset>\n", p->f);
	public_input(p, form, "phone", PT_PHONE, false, PT_PHONE_HINT, "tel",
		     "autocomplete=\"tel\" maxlength=\"20\"");
	public_input(p, form, "email", PT_EMAIL, false, PT_EMAIL_HINT, "email",
		     "autocomplete=\"email\" maxlength=\"254\"");
	public_choices(p, form, "categories", PT_CATEGORIES, VOCAB_CATEGORY);
	public_choices(p, form, "accommodations", PT_ACCOMMODATIONS,
		       VOCAB_ACCOMMODATION);
	fprintf(p->f, "<div class=\"field%s\">\n",
		public_has_error(form, "accommodation_note") ? " field-bad"
							     : "");
	public_label(p, "accommodation_note", PT_NOTE, false);
	public_hint_error(p, form, "accommodation_note", -1);
	fputs(
	    "<textarea id=\"f-accommodation_note\" name=\"accommodation_note\" "
	    "rows=\"3\" maxlength=\"1000\"",
	    p->f);
	public_described(p, form, "accommodation_note", false);
	fputs(">", p->f);
	public_esc(p, str(form->values, "accommodation_note"));
	fputs("</textarea>\n</div>\n", p->f);
	fprintf(p->f, "<div class=\"field%s\">\n",
		public_has_error(form, "supporters") ? " field-bad" : "");
	public_label(p, "supporters", PT_SUPPORTERS, false);
	public_hint_error(p, form, "supporters", -1);
	fputs("<select id=\"f-supporters\" name=\"supporters\" class=\"short\"",
	      p->f);
	public_described(p, form, "supporters", false);
	fputs(">\n", p->f);
	for (int n = 0; n <= 10; n++)
		fprintf(p->f, "<option value=\"%d\"%s>%d</option>\n", n,
			atoi(supporters) == n ? " selected" : "", n);
	fputs("</select>\n</div>\n", p->f);
	public_honeypot_field(p);
	/* The purpose statement comes before the consent box. */
	fprintf(p->f,
		"<section class=\"purpose\" aria-labelledby=\"purpose-title\">"
		"\n<h3 id=\"purpose-title\">%s</h3>\n<p class=\"hint\">%s</p>\n"
		"<div class=\"purpose-text\" id=\"purpose-text\" lang=\"ja\">"
		"<p>",
		T(p, PT_PURPOSE), T(p, PT_PURPOSE_LEAD));
	public_esc_lines(p, str(purpose, "body"));
	fputs("</p></div>\n</section>\n", p->f);
	fprintf(p->f,
		"<div class=\"field consent%s\" id=\"f-consent-field\">\n",
		public_has_error(form, "consent") ? " field-bad" : "");
	public_hint_error(p, form, "consent", -1);
	fprintf(
	    p->f,
	    "<div class=\"check\"><input type=\"checkbox\" id=\"f-consent\" "
	    "name=\"consent\" value=\"yes\"%s required "
	    "aria-describedby=\"purpose-text%s\"%s><label "
	    "for=\"f-consent\">%s <span class=\"req\">%s</span></label>"
	    "</div>\n</div>\n",
	    consent ? " checked" : "",
	    public_has_error(form, "consent") ? " e-consent" : "",
	    public_has_error(form, "consent") ? " aria-invalid=\"true\"" : "",
	    T(p, PT_CONSENT), T(p, PT_REQUIRED));
	fprintf(p->f,
		"<p><button type=\"submit\" class=\"button\">%s</button></p>\n"
		"</form>\n",
		T(p, PT_SUBMIT));
}

char *
public_page_event_new(enum public_lang lang, const cJSON *event,
		      const struct public_form *form)
{
	struct page p = {.lang = lang,
			 .fields = public_seeker_fields,
			 .nfields = NELEM(public_seeker_fields)};
	enum public_notice closed = PUBLIC_NOTICE_NONE;

	if (!cJSON_IsTrue(cJSON_GetObjectItem(event, "accepting")))
		closed = PUBLIC_NOTICE_CLOSED;
	else if (cJSON_IsTrue(cJSON_GetObjectItem(event, "full")))
		closed = PUBLIC_NOTICE_FULL;
	public_head(&p, str(event, "title"),
		    form->notice != PUBLIC_NOTICE_NONE);
	public_error_summary(&p, form);
	public_event_facts(&p, event);
	if (closed != PUBLIC_NOTICE_NONE) {
		if (closed != form->notice)
			public_notice_box(&p, closed, 0);
	} else
		public_form(&p, event, form);
	/* Companies apply for a booth on their own form (while open). */
	if (cJSON_IsTrue(cJSON_GetObjectItem(event, "companies")) &&
	    cJSON_IsTrue(cJSON_GetObjectItem(event, "accepting")))
		fprintf(p.f,
			"<p class=\"company-link\"><a "
			"href=\"/apply/events/%d/company%s\">%s</a></p>\n",
			cJSON_GetObjectItem(event, "id")->valueint,
			public_lang_query(&p), T(&p, PT_COMPANY_LINK));
	fprintf(p.f, "<p><a href=\"/apply%s\">%s</a></p>\n",
		public_lang_query(&p), T(&p, PT_BACK_INDEX));
	return public_end(&p);
}

/* One row of openings: four fields in a fieldset 「求人N」. */
static void
public_opening_row(struct page *p, const struct public_form *form, int row)
{
	char name[40], legend[40];

	snprintf(legend, sizeof legend, T(p, PT_OPENING_N), row);
	/* 「求人2：」 without its colon, as the row's own heading. */
	legend[strcspn(legend, p->lang == PUBLIC_EN ? ":" : "：")] = '\0';
	fprintf(p->f,
		"<fieldset class=\"opening\" "
		"data-row=\"%d\">\n<legend>%s</legend>\n",
		row, legend);
	for (size_t f = 0; f < NELEM(public_opening_fields); f++) {
		const char *field = public_opening_fields[f].name;

		snprintf(name, sizeof name, "o%d_%s", row, field);
		fprintf(
		    p->f,
		    "<div class=\"field%s\">\n<label for=\"f-%s\">%s</label>\n",
		    public_has_error(form, name) ? " field-bad" : "", name,
		    T(p, public_opening_fields[f].label));
		public_hint_error(p, form, name, -1);
		if (strcmp(field, "employment_type") == 0) {
			fprintf(p->f, "<select id=\"f-%s\" name=\"%s\"", name,
				name);
			public_described(p, form, name, false);
			fprintf(p->f, ">\n<option value=\"\">%s</option>\n",
				T(p, PT_CHOOSE));
			for (size_t i = 0;
			     i < vocab_count(VOCAB_EMPLOYMENT_TYPE); i++) {
				const struct vocab_term *t =
				    vocab_term(VOCAB_EMPLOYMENT_TYPE, i);

				fputs("<option value=\"", p->f);
				public_esc(p, t->code);
				fprintf(p->f, "\"%s>",
					strcmp(str(form->values, name),
					       t->code) == 0
					    ? " selected"
					    : "");
				public_esc(p, p->lang == PUBLIC_EN
						  ? t->label_en
						  : t->label_ja);
				fputs("</option>\n", p->f);
			}
			fputs("</select>\n", p->f);
		} else {
			bool number = strcmp(field, "count") == 0;

			fprintf(
			    p->f,
			    "<input id=\"f-%s\" name=\"%s\" type=\"text\" %s",
			    name, name,
			    number ? "inputmode=\"numeric\" maxlength=\"3\" "
				     "class=\"short\""
			    : strcmp(field, "job_number") == 0
				? "inputmode=\"numeric\" maxlength=\"14\""
				: "maxlength=\"200\"");
			public_described(p, form, name, false);
			fputs(" value=\"", p->f);
			public_esc(p, str(form->values, name));
			fputs("\">\n", p->f);
		}
		fputs("</div>\n", p->f);
	}
	fputs("</fieldset>\n", p->f);
}

static void
public_company_form(struct page *p, const cJSON *e,
		    const struct public_form *form)
{
	const cJSON *rows = cJSON_GetObjectItem(form->values, "rows");
	int nrows = cJSON_IsNumber(rows) ? rows->valueint : PUBLIC_OPENING_ROWS;

	if (nrows < PUBLIC_OPENING_ROWS || nrows > PUBLIC_OPENING_ROWS_MAX)
		nrows = PUBLIC_OPENING_ROWS;
	fprintf(p->f,
		"<p>%s</p>\n<h2 id=\"form-title\">%s</h2>\n"
		"<form method=\"post\" action=\"/apply/events/%d/company\" "
		"class=\"apply\" aria-labelledby=\"form-title\" novalidate>\n"
		"<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
		"<input type=\"hidden\" name=\"lang\" value=\"%s\">\n",
		T(p, PT_COMPANY_LEAD), T(p, PT_FORM_TITLE),
		cJSON_GetObjectItem(e, "id")->valueint, form->csrf,
		p->lang == PUBLIC_EN ? "en" : "ja");
	public_input(p, form, "corporate_number", PT_CORP_NUMBER, true,
		     PT_CORP_NUMBER_HINT, "text",
		     "inputmode=\"numeric\" maxlength=\"20\"");
	public_input(p, form, "name", PT_COMPANY_NAME, true,
		     PT_COMPANY_NAME_HINT, "text",
		     "autocomplete=\"organization\" maxlength=\"200\"");
	public_input(p, form, "name_kana", PT_COMPANY_KANA, true,
		     PT_COMPANY_KANA_HINT, "text", "maxlength=\"200\"");
	public_input(p, form, "postal_code", PT_POSTAL, true, PT_POSTAL_HINT,
		     "text",
		     "autocomplete=\"postal-code\" inputmode=\"numeric\" "
		     "maxlength=\"10\" class=\"short\"");
	public_input(p, form, "address", PT_ADDRESS, true, PT_ADDRESS_HINT,
		     "text",
		     "autocomplete=\"street-address\" maxlength=\"300\"");
	public_input(p, form, "contact_name", PT_CONTACT, true, -1, "text",
		     "autocomplete=\"name\" maxlength=\"100\"");
	public_input(p, form, "phone", PT_PHONE, true, PT_PHONE_HINT, "tel",
		     "autocomplete=\"tel\" maxlength=\"20\"");
	public_input(p, form, "email", PT_EMAIL, true, PT_COMPANY_EMAIL_HINT,
		     "email", "autocomplete=\"email\" maxlength=\"254\"");
	public_input(p, form, "representatives", PT_REPS, true, PT_REPS_HINT,
		     "text",
		     "inputmode=\"numeric\" maxlength=\"2\" class=\"short\"");
	public_input(p, form, "representative_names", PT_REP_NAMES, false,
		     PT_REP_NAMES_HINT, "text", "maxlength=\"300\"");
	fprintf(p->f,
		"<fieldset class=\"field openings%s\" id=\"f-openings\" "
		"data-max=\"%d\"",
		public_has_error(form, "openings") ? " field-bad" : "",
		PUBLIC_OPENING_ROWS_MAX);
	public_described(p, form, "openings", true);
	fprintf(p->f, ">\n<legend>%s <span class=\"req\">%s</span></legend>\n",
		T(p, PT_OPENINGS), T(p, PT_REQUIRED));
	public_hint_error(p, form, "openings", PT_OPENINGS_HINT);
	for (int row = 1; row <= nrows; row++)
		public_opening_row(p, form, row);
	fputs("</fieldset>\n", p->f);
	public_honeypot_field(p);
	fprintf(p->f,
		"<p><button type=\"submit\" class=\"button\">%s</button></p>\n"
		"</form>\n",
		T(p, PT_COMPANY_SUBMIT));
}

char *
public_page_company_new(enum public_lang lang, const cJSON *event,
			const struct public_form *form)
{
	struct page p = {.lang = lang,
			 .fields = public_company_fields,
			 .nfields = NELEM(public_company_fields)};

	public_head(&p, T(&p, PT_COMPANY_TITLE),
		    form->notice != PUBLIC_NOTICE_NONE);
	public_error_summary(&p, form);
	fputs("<h2>", p.f);
	public_esc(&p, str(event, "title"));
	fputs("</h2>\n", p.f);
	public_event_facts(&p, event);
	if (!cJSON_IsTrue(cJSON_GetObjectItem(event, "accepting"))) {
		if (form->notice != PUBLIC_NOTICE_CLOSED)
			public_notice_box(&p, PUBLIC_NOTICE_CLOSED, 0);
	} else
		public_company_form(&p, event, form);
	fprintf(p.f, "<p><a href=\"/apply%s\">%s</a></p>\n",
		public_lang_query(&p), T(&p, PT_BACK_INDEX));
	return public_end(&p);
}

char *
public_page_company_received_new(enum public_lang lang, const cJSON *event)
{
	struct page p = {.lang = lang};

	public_head(&p, T(&p, PT_RECEIVED_TITLE), false);
	fprintf(p.f,
		"<div class=\"notice\" role=\"status\"><p>%s</p></div>\n<h2>",
		T(&p, PT_RECEIVED_BODY));
	public_esc(&p, str(event, "title"));
	fputs("</h2>\n", p.f);
	public_event_facts(&p, event);
	fprintf(p.f, "<p>%s</p>\n<p><a href=\"/apply%s\">%s</a></p>\n",
		T(&p, PT_RECEIVED_NOTE), public_lang_query(&p),
		T(&p, PT_BACK_INDEX));
	return public_end(&p);
}

char *
public_page_receipt_new(enum public_lang lang, const cJSON *receipt,
			const char *secret)
{
	struct page p = {.lang = lang};
	const cJSON *e = cJSON_GetObjectItem(receipt, "event");
	bool cancelled =
	    cJSON_IsTrue(cJSON_GetObjectItem(receipt, "cancelled"));

	public_head(&p, T(&p, PT_RECEIPT_TITLE), false);
	fputs("<p class=\"lead\">", p.f);
	public_esc(&p, str(receipt, "name"));
	fprintf(p.f, "%s</p>\n<h2>", T(&p, PT_RECEIPT_LEAD));
	public_esc(&p, str(e, "title"));
	fputs("</h2>\n", p.f);
	public_event_facts(&p, e);
	fprintf(p.f, "<p class=\"number\">%s: <strong>%s</strong></p>\n",
		T(&p, PT_NUMBER), str(receipt, "number"));
	if (cancelled)
		fprintf(p.f,
			"<div class=\"notice notice-error\"><p>%s</p></div>\n",
			T(&p, PT_CANCELLED_NOTE));
	else
		fprintf(p.f,
			"<p>%s</p>\n<p class=\"qr\"><img "
			"src=\"/apply/receipt/%s/qr.png\" width=\"264\" "
			"height=\"264\" alt=\"%s %s\"></p>\n"
			"<p><a class=\"button\" "
			"href=\"/apply/receipt/%s/slip.pdf\">%s</a></p>\n",
			T(&p, PT_QR_HOW), secret, T(&p, PT_QR_ALT),
			str(receipt, "number"), secret, T(&p, PT_SLIP_LINK));
	fprintf(p.f, "<p>%s</p>\n<p>%s</p>\n<p>%s</p>\n", T(&p, PT_MAIL_SENT),
		T(&p, PT_TWICE), T(&p, PT_KEEP_PRIVATE));
	if (!cancelled &&
	    cJSON_IsTrue(cJSON_GetObjectItem(receipt, "cancel_open")))
		fprintf(p.f, "<p><a href=\"/apply/cancel/%s%s\">%s</a></p>\n",
			str(receipt, "cancel"), public_lang_query(&p),
			T(&p, PT_CANCEL_LINK));
	return public_end(&p);
}

char *
public_page_cancel_new(enum public_lang lang, const cJSON *state,
		       const char *secret, const char *csrf)
{
	struct page p = {.lang = lang};
	const char *s = str(state, "state");
	const cJSON *e = cJSON_GetObjectItem(state, "event");

	public_head(&p, T(&p, PT_CANCEL_TITLE), false);
	if (strcmp(s, "ready") == 0) {
		fprintf(p.f, "<p>%s</p>\n<h2>", T(&p, PT_CANCEL_ASK));
		public_esc(&p, str(e, "title"));
		fputs("</h2>\n", p.f);
		public_event_facts(&p, e);
		fprintf(p.f,
			"<form method=\"post\" action=\"/apply/cancel/%s\">\n"
			"<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
			"<input type=\"hidden\" name=\"lang\" value=\"%s\">\n"
			"<p><button type=\"submit\" class=\"button "
			"button-warn\">%s</button></p>\n</form>\n",
			secret, csrf, lang == PUBLIC_EN ? "en" : "ja",
			T(&p, PT_CANCEL_BUTTON));
	} else {
		enum public_text t =
		    strcmp(s, "cancelled") == 0 ? PT_CANCEL_DONE
		    : strcmp(s, "used") == 0	? PT_CANCEL_USED
						: PT_CANCEL_EXPIRED;

		fprintf(
		    p.f,
		    "<div class=\"notice\" role=\"status\"><p>%s</p></div>\n",
		    T(&p, t));
		fputs("<h2>", p.f);
		public_esc(&p, str(e, "title"));
		fputs("</h2>\n", p.f);
		public_event_facts(&p, e);
	}
	fprintf(p.f, "<p><a href=\"/apply%s\">%s</a></p>\n",
		public_lang_query(&p), T(&p, PT_BACK_INDEX));
	return public_end(&p);
}

char *
public_page_notice_new(enum public_lang lang, enum public_notice notice,
		       int seconds)
{
	struct page p = {.lang = lang};
	char *title;

	if (notice == PUBLIC_NOTICE_RATE)
		xasprintf(&title, T(&p, PT_N_RATE), seconds);
	else
		title = xstrdup(T(&p, public_notices[notice].text));
	/* The heading is the first sentence; the whole text follows. */
	char *stop = strstr(title, "。");
	if (stop != NULL)
		stop[strlen("。")] = '\0';
	else if ((stop = strchr(title, '.')) != NULL)
		stop[1] = '\0';
	public_head(&p, title, public_notices[notice].error);
	free(title);
	public_notice_box(&p, notice, seconds);
	fprintf(p.f, "<p><a href=\"/apply%s\">%s</a></p>\n",
		public_lang_query(&p), T(&p, PT_BACK_INDEX));
	return public_end(&p);
}

/*
 * Unit tests for server/report_csv.c: the reports' JSON laid out as the
 * plan's 目標値一覧 and as the post-event table, in UTF-8 with a BOM and
 * in CP932, and every row CP932 cannot hold named.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "report_csv.h"

#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#define BOM "\xef\xbb\xbf"

static const char fy_json[] =
    "{\"fiscal_year\":2024,\"fiscal_year_label\":\"令和6年度\","
    "\"previous_years\":["
    "{\"fiscal_year\":2019,\"label\":\"平成31年度(令和元年度)\"},"
    "{\"fiscal_year\":2020,\"label\":\"令和2年度\"},"
    "{\"fiscal_year\":2021,\"label\":\"令和3年度\"},"
    "{\"fiscal_year\":2022,\"label\":\"令和4年度\"},"
    "{\"fiscal_year\":2023,\"label\":\"令和5年度\"}],"
    "\"rows\":["
    "{\"programme\":\"2 女性に関する取組\","
    "\"metric\":"
    "\"☆「子育て女性等を対象とした再就職準備セミナー」の参加求職者数\","
    "\"description\":\"※年2回の開催によるもの (1回20人を目標)\","
    "\"unit\":\"人\",\"figures\":[\"persons\"],"
    "\"actuals\":{\"2019\":34,\"2020\":0,\"2021\":11,\"2022\":22,\"2023\":28},"
    "\"sessions\":{\"2020\":0,\"2021\":1},"
    "\"target\":40,\"previous_target\":40,\"actual\":2,\"actual_sessions\":1,"
    "\"achievement\":5.0},"
    "{\"programme\":\"3 高齢者に関する取組\","
    "\"metric\":"
    "\"☆「アクティブシニアのための企業面談会」の参加企業、参加求職者数\","
    "\"description\":null,\"unit\":\"社・人\","
    "\"figures\":[\"companies\",\"persons\"],"
    "\"actuals\":{\"2019\":{\"companies\":19,\"persons\":40},\"2020\":null,"
    "\"2021\":null,\"2022\":{\"companies\":6,\"persons\":20},"
    "\"2023\":{\"companies\":20,\"persons\":29}},"
    "\"sessions\":{},"
    "\"target\":{\"companies\":15,\"persons\":50},"
    "\"previous_target\":{\"companies\":15,\"persons\":50},"
    "\"actual\":{\"companies\":12,\"persons\":25},\"actual_sessions\":null,"
    "\"achievement\":{\"companies\":80.0,\"persons\":50.0}},"
    "{\"programme\":\"1 若者等に関する取組\",\"metric\":\"=SUM(A1)\","
    "\"description\":\"\",\"unit\":\"件\",\"figures\":[\"cases\"],"
    "\"actuals\":{},\"sessions\":{},\"target\":389,"
    "\"previous_target\":null,\"actual\":null,\"actual_sessions\":null,"
    "\"achievement\":null}]}";

static const char fy_expected[] =
    "連携項目,項目,説明,平成31年度(令和元年度),令和2年度,令和3年度,令和4年度,"
    "令和5年度,目標値 令和6年度,実績,達成率\r\n"
    "2 女性に関する取組,☆「子育て女性等を対象とした再就職準備セミナー」の参加"
    "求職者数,※年2回の開催によるもの (1回20人を目標),34人,(0回)0人,(1回)11人,"
    "22人,28人,40人 (40人),(1回)2人,5.0%\r\n"
    "3 高齢者に関する取組,☆「アクティブシニアのための企業面談会」の参加企業、"
    "参加求職者数,,19社 40人,,,6社 20人,20社 29人,15社・50人 (15社・50人),"
    "12社 25人,社 80.0%・人 50.0%\r\n"
    "1 若者等に関する取組,'=SUM(A1),,,,,,,389件,,\r\n";

static const char event_json[] =
    "{\"event\":{\"id\":7,\"type\":\"joint_interview_fair\","
    "\"type_name\":\"合同就職面接会\",\"title\":\"令和6年度 合同就職面接会\","
    "\"starts_at\":\"2024-10-10T13:00:00+09:00\",\"fiscal_year\":2024,"
    "\"fiscal_year_label\":\"令和6年度\"},"
    "\"companies\":{\"registered\":3,\"confirmed\":2,\"cancelled\":1,"
    "\"present\":2,\"target\":3,\"achievement\":66.7},"
    "\"seekers\":{\"preregistered\":6,\"walk_ins\":1,\"cancelled\":1,"
    "\"present\":5,\"no_shows\":2,\"target\":null,\"achievement\":null,"
    "\"by_category\":{\"youth\":{\"registered\":2,\"present\":2},"
    "\"disability\":{\"registered\":1,\"present\":1}},"
    "\"by_age_band\":{\"under_35\":{\"registered\":2,\"present\":2},"
    "\"35_54\":{\"registered\":2,\"present\":1}}},"
    "\"supporters\":3,"
    "\"interviews\":{\"total\":6,\"seekers_interviewed\":5,\"per_seeker\":1.2,"
    "\"by_company\":[{\"company_id\":1,\"name\":\"株式会社山口\",\"count\":3},"
    "{\"company_id\":2,\"name\":\"㈱髙橋商店\",\"count\":0}]},"
    "\"outcomes\":{\"pending\":1,\"offers\":3,\"hires\":2,\"declined\":1,"
    "\"withdrawn\":0}}";

static const char event_expected[] =
    "区分,項目,値\r\n"
    "イベント,名称,令和6年度 合同就職面接会\r\n"
    "イベント,種別,合同就職面接会\r\n"
    "イベント,開催日時,2024-10-10 13:00\r\n"
    "イベント,年度,令和6年度\r\n"
    "企業,申込,3\r\n"
    "企業,参加確定,2\r\n"
    "企業,キャンセル,1\r\n"
    "企業,当日参加,2\r\n"
    "企業,目標,3\r\n"
    "企業,達成率,66.7%\r\n"
    "求職者,事前登録,6\r\n"
    "求職者,当日受付,1\r\n"
    "求職者,キャンセル,1\r\n"
    "求職者,来場(当日受付を含む),5\r\n"
    "求職者,欠席,2\r\n"
    "求職者,目標,\r\n"
    "求職者,達成率,\r\n"
    "同行支援者,来場,3\r\n"
    "区分別(登録),若年者(35歳未満),2\r\n"
    "区分別(登録),障がい者,1\r\n"
    "区分別(来場),若年者(35歳未満),2\r\n"
    "区分別(来場),障がい者,1\r\n"
    "年齢別(登録),35歳未満,2\r\n"
    "年齢別(登録),35～54歳,2\r\n"
    "年齢別(来場),35歳未満,2\r\n"
    "年齢別(来場),35～54歳,1\r\n"
    "面接,延べ面接件数,6\r\n"
    "面接,面接を受けた求職者,5\r\n"
    "面接,来場者1人当たり面接件数,1.20\r\n"
    "面接(企業別),株式会社山口,3\r\n"
    "面接(企業別),㈱髙橋商店,0\r\n"
    "採否,内定(採用を含む),3\r\n"
    "採否,採用,2\r\n"
    "採否,結果待ち,1\r\n"
    "採否,辞退,1\r\n"
    "採否,取下げ,0\r\n";

typedef struct csv_writer *(*render_fn)(const cJSON *, enum csv_encoding,
					char **);

/* The rendered document as a new NUL-terminated string. */
static char *
render(render_fn fn, const char *json, enum csv_encoding enc, size_t *len)
{
	cJSON *report = cJSON_Parse(json);
	char *cause = NULL, *out;
	struct csv_writer *w;
	const char *data;

	assert_non_null(report);
	w = fn(report, enc, &cause);
	cJSON_Delete(report);
	if (w == NULL)
		fail_msg("render: %s", cause);
	data = csv_writer_data(w, len);
	out = malloc(*len + 1);
	memcpy(out, data, *len);
	out[*len] = '\0';
	csv_writer_free(w);
	return out;
}

/* CP932 bytes back to UTF-8, as `iconv -f CP932 -t UTF-8` would. */
static char *
from_cp932(const char *s, size_t len)
{
	size_t oleft = len * 3 + 1;
	char *out = calloc(1, oleft), *ip = (char *)s, *op = out;
	iconv_t cd = iconv_open("UTF-8", "CP932");

	assert_true(cd != (iconv_t)-1);
	assert_true(iconv(cd, &ip, &len, &op, &oleft) != (size_t)-1);
	iconv_close(cd);
	return out;
}

static void
test_fiscal_year_utf8(void **state)
{
	size_t len;
	char *csv =
	    render(report_csv_fiscal_year_new, fy_json, CSV_ENC_UTF8, &len);

	(void)state;
	assert_memory_equal(csv, BOM, 3);
	assert_string_equal(csv + 3, fy_expected);
	free(csv);
}

static void
test_fiscal_year_cp932(void **state)
{
	size_t len;
	char *csv =
	    render(report_csv_fiscal_year_new, fy_json, CSV_ENC_CP932, &len);
	char *back;

	(void)state;
	assert_true((unsigned char)csv[0] != 0xef); /* no BOM in CP932 */
	/* ☆ is 0x81 0x99 in CP932: the bytes are CP932, not UTF-8. */
	assert_non_null(memmem(csv, len, "\x81\x99", 2));
	back = from_cp932(csv, len);
	assert_string_equal(back, fy_expected);
	free(back);
	free(csv);
}

static void
test_event_utf8_and_cp932(void **state)
{
	size_t len;
	char *csv =
	    render(report_csv_event_new, event_json, CSV_ENC_UTF8, &len);
	char *sjis, *back;

	(void)state;
	assert_memory_equal(csv, BOM, 3);
	assert_string_equal(csv + 3, event_expected);
	free(csv);
	/* ㈱, 髙 and ～ exist only in CP932, not in strict Shift_JIS. */
	sjis = render(report_csv_event_new, event_json, CSV_ENC_CP932, &len);
	back = from_cp932(sjis, len);
	assert_string_equal(back, event_expected);
	free(back);
	free(sjis);
}

/* 𠮷 has no CP932 code: each row holding it is named, none replaced. */
static void
test_cp932_unencodable_rows_named(void **state)
{
	cJSON *report = cJSON_Parse(event_json);
	cJSON *companies = cJSON_GetObjectItem(
	    cJSON_GetObjectItem(report, "interviews"), "by_company");
	char *cause = NULL;
	struct csv_writer *w;

	(void)state;
	cJSON_SetValuestring(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(companies, 0), "name"),
	    "𠮷野家");
	cJSON_SetValuestring(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(companies, 1), "name"),
	    "𠮷田商店");
	w = report_csv_event_new(report, CSV_ENC_CP932, &cause);
	assert_null(w);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "row 31"));
	assert_non_null(strstr(cause, "row 32"));
	free(cause);
	/* UTF-8 holds every character. */
	w = report_csv_event_new(report, CSV_ENC_UTF8, &cause);
	assert_non_null(w);
	csv_writer_free(w);
	cJSON_Delete(report);
}

/* Keys the JSON lacks leave empty cells; an empty report still has its
 * header. */
static void
test_fiscal_year_empty(void **state)
{
	size_t len;
	char *csv = render(report_csv_fiscal_year_new,
			   "{\"fiscal_year_label\":\"令和7年度\","
			   "\"previous_years\":[],\"rows\":[]}",
			   CSV_ENC_UTF8, &len);

	(void)state;
	assert_string_equal(csv, BOM "連携項目,項目,説明,目標値 令和7年度,"
				     "実績,達成率\r\n");
	free(csv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fiscal_year_utf8),
	    cmocka_unit_test(test_fiscal_year_cp932),
	    cmocka_unit_test(test_event_utf8_and_cp932),
	    cmocka_unit_test(test_cp932_unencodable_rows_named),
	    cmocka_unit_test(test_fiscal_year_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

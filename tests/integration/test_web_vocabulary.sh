#!/usr/bin/env bash
# GET /api/v1/vocabulary: the pages' labels come from common/vocab.c,
# the same table the CLI, the reports and the database's lookup tables
# use, for every role.
. "$(dirname "$0")/lib.sh"

jf_db_new || exit 1
db=$JF_DB
jf_server_start "$db" || exit 1
TOKEN=$(jf_user "$db" val viewer)

req GET /api/v1/vocabulary
check "viewer may read it" eq "$STATUS" 200
check "event statuses in order with labels" eq "$(jbody '[.event_statuses[] | .code + "=" + .label_ja] | join(",")')" "draft=準備中,open=受付中,closed=終了"
check "categories as the report labels them" eq "$(jbody '.seeker_categories[0].label_ja')" "若年者(35歳未満)"
for t in $(psql "$db" -qAtc "SELECT table_name FROM information_schema.columns WHERE column_name = 'label_ja' AND table_schema = 'public' AND table_name <> 'event_types'"); do
	check "$t: the database's lookup table has the same codes" eq \
		"$(jbody "[.${t}[].code] | sort | join(\",\")")" \
		"$(psql "$db" -qAtc "SELECT string_agg(code, ',' ORDER BY code COLLATE \"C\") FROM $t")"
done
# Mail kinds have no lookup table: the SQL functions write them as text.
# Every kind they queue has its labels, for the admin page's mail table.
queued=$(perl -0777 -ne 'while (/mail_enqueue\(\s*([^,]*),/g) { my $a = $1; print "$1\n" while $a =~ /\x27([a-z_]+)\x27/g }' \
	"$JF_SOURCE"/migrations/sql/*.sql | LC_ALL=C sort -u | paste -sd,)
check "the SQL queues mail of some kinds" test -n "$queued"
check "every kind of mail queued is in the vocabulary" eq "$(jbody '[.mail_kinds[].code] | sort | join(",")')" "$queued"
check "mail kinds labelled in both languages" eq "$(jbody '[.mail_kinds[] | select(.label_ja == .code or .label_en == .code or .label_ja == "" or .label_en == "")] | length')" 0
req GET '/api/v1/vocabulary?x=1'
check "no query taken" eq "$STATUS" 422
check "not without signing in" eq "$(curl -s -o /dev/null -w '%{http_code}' "$JF_URL/api/v1/vocabulary")" 401

jf_server_stop "$JF_PID"
check "server stopped cleanly" eq "$?" 0
done_testing

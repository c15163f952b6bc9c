#!/usr/bin/env bash
# The server's end-to-end path once under Valgrind memcheck: no errors,
# no definite leaks. (Skipped in the sanitizer build: the two do not mix.)
. "$(dirname "$0")/lib.sh"

if [ "${JF_SANITIZE:-OFF}" = ON ]; then
	echo "sanitizer build: Valgrind runs in the plain build"
	check "skipped under ASan" true
	done_testing
fi
command -v valgrind >/dev/null || { echo "valgrind missing"; exit 1; }

jf_db_new || exit 1
db=$JF_DB
JOBFAIR_DATABASE_URL=$db "$JF_BIN" migrate 2>/dev/null
TOKEN=$(jf_user "$db" org organizer)
port=$(jf_free_port)
JF_URL=http://127.0.0.1:$port
vlog=$JF_TMP/valgrind.log
JOBFAIR_DATABASE_URL=$db JOBFAIR_LISTEN=127.0.0.1:$port \
	valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite \
	--error-exitcode=99 --log-file="$vlog" "$JF_BIN" --no-migrate >"$JF_TMP/server.log" 2>&1 &
vpid=$!
JF_PIDS+=("$vpid")
for _ in $(seq 1 300); do curl -sf "$JF_URL/healthz" >/dev/null && break; sleep 0.1; done

req POST /api/v1/events '{"type":"joint_interview_fair","title":"合同就職面接会","starts_at":"2024-10-15T10:00:00+09:00","ends_at":"2024-10-15T16:00:00+09:00","capacity":100,"target_companies":30,"target_seekers":100,"organizer":"joint","status":"open"}'
check "event created" eq "$STATUS" 201
ev=$(jbody .id)
jf_reopen "$ev"
req POST /api/v1/companies '{"name":"山口商事株式会社","corporate_number":"4000012090001","name_kana":"やまぐちしょうじ"}'
check "company created" eq "$STATUS" 201
co=$(jbody .id)
req POST "/api/v1/events/$ev/companies" "{\"company_id\":$co,\"status\":\"confirmed\",\"openings\":[{\"title\":\"事務\",\"employment_type\":\"正社員\",\"count\":2}]}"
check "booth created" eq "$STATUS" 201
req POST "/api/v1/events/$ev/registrations" '{"name":"山口 太郎","name_kana":"ヤマグチ タロウ","age":30,"categories":["youth"],"consent":true}'
check "registration created" eq "$STATUS" 201
reg=$(jbody .id)
tok=$(jbody .checkin_token)
code=$(curl -s -o "$JF_TMP/qr.png" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$JF_URL/api/v1/registrations/$reg/qr.png")
check "QR PNG served" eq "$code" 200
for n in 1 2; do
	req POST "/api/v1/events/$ev/checkins" "{\"token\":\"$tok\",\"desk\":\"desk-1\",\"nonce\":\"valgrind-nonce-$n\"}"
done
check "second scan already checked in" eq "$(jbody .result)" already_checked_in
req POST "/api/v1/events/$ev/walkins" '{"name":"周南 花子","name_kana":"シュウナン ハナコ","categories":["senior"],"consent":true,"nonce":"valgrind-walkin-1"}'
check "walk-in" eq "$STATUS" 201
req POST "/api/v1/events/$ev/interviews" "{\"company_id\":$co,\"registration_id\":$reg,\"nonce\":\"valgrind-iv-1\"}"
check "interview" eq "$STATUS" 201
req GET "/api/v1/events/$ev/stats"
check "stats" eq "$(jbody .checked_in)" 2
code=$(curl -s -o "$JF_TMP/r.csv" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$JF_URL/api/v1/reports/fiscal-year/2024?format=csv&encoding=cp932")
check "fiscal-year CSV" eq "$code" 200
req POST /api/v1/events '{"type":"nope"}'
check "invalid input refused" eq "$STATUS" 422
req GET /no/such
check "404" eq "$STATUS" 404

kill -TERM "$vpid"
wait "$vpid"
rc=$?
check "exit status 0 under memcheck (got $rc)" eq "$rc" 0
check "no memcheck errors" grep -q "ERROR SUMMARY: 0 errors" "$vlog"
check "no definite leaks" bash -c "! grep -E 'definitely lost: [1-9]' '$vlog'"
grep -E "ERROR SUMMARY|definitely lost|indirectly lost" "$vlog"
done_testing

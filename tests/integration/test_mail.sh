#!/usr/bin/env bash
# The mail outbox against a real SMTP sink (tests/integration/smtp_sink.py,
# Debian's python3-aiosmtpd): a queued mail arrives with its Japanese
# subject and its QR code (zbarimg reads the token back); with the sink
# down it is retried with backoff and delivered once when it is back;
# jobfaird restarted mid-queue and two jobfaird on one database send every
# mail exactly once; a booth's confirm/decline mails the company; admins
# see the queue (no bodies); the relay's password is in no log.
. "$(dirname "$0")/lib.sh"

command -v zbarimg >/dev/null || { echo "zbarimg missing"; exit 77; }
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null ||
	{ echo "python3-aiosmtpd missing (deploy/deps.sh)"; exit 77; }

jf_db_new || exit 1
db=$JF_DB
SINK=$JF_TMP/sink
mkdir -p "$SINK"
SMTP_PORT=$(jf_free_port)
PASSWORD="pw-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$PASSWORD" >"$JF_TMP/smtp-password"
FROM='山口市 就職面接会 <noreply@city.example.jp>'
TOKEN_QR=JF1-R45ADRD3ELPJAVNKB4J6PRVZ2Q

sink_start() {
	/usr/bin/python3 "$JF_SOURCE/tests/integration/smtp_sink.py" "$SMTP_PORT" \
		"$SINK" jfmail "$PASSWORD" >"$JF_TMP/sink.log" 2>&1 &
	SINK_PID=$!
	JF_PIDS+=("$SINK_PID")
	for _ in $(seq 1 100); do
		grep -q ready "$JF_TMP/sink.log" && return 0
		sleep 0.1
	done
	return 1
}
sink_stop() { kill -TERM "$SINK_PID"; wait "$SINK_PID" 2>/dev/null; }

mail_server_start() {
	jf_server_start "$db" --smtp-url "smtp://127.0.0.1:$SMTP_PORT" \
		--smtp-user jfmail --smtp-password-file "$JF_TMP/smtp-password" \
		--mail-from "$FROM" --mail-retry 1 --mail-timeout 10 "$@"
}

sql() { psql "$db" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

# until SECONDS CMD...: true as soon as CMD succeeds.
until_true() {
	local limit=$(($1 * 10))
	shift
	for _ in $(seq 1 "$limit"); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
# sql_is WANT QUERY: the query's answer is WANT (evaluated at each call).
sql_is() { [ "$(sql "$2")" = "$1" ]; }
all_sent() { [ "$(sql "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL")" = 0 ]; }

# eml FILE FIELD: a field of a received message, decoded by Python's email.
eml() {
	/usr/bin/python3 - "$@" <<'EOF'
import email, email.policy, sys
with open(sys.argv[1], "rb") as f:
    m = email.message_from_binary_file(f, policy=email.policy.default)
what = sys.argv[2]
if what == "body":
    print(m.get_body(("plain",)).get_content(), end="")
elif what == "png":
    for p in m.iter_attachments():
        if p.get_content_type() == "image/png":
            open(sys.argv[3], "wb").write(p.get_content())
elif what == "parts":
    print(m.get_content_type(), *[p.get_content_type() for p in m.iter_attachments()])
else:
    print(m[what])
EOF
}
# Every received message as "FILE<TAB>Subject", one Python for all.
sink_index() {
	/usr/bin/python3 - "$SINK" <<'EOF'
import email, email.policy, glob, os, sys
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.eml"))):
    with open(path, "rb") as f:
        m = email.message_from_binary_file(f, policy=email.policy.default)
    print("%s\t%s" % (path, m["Subject"]))
EOF
}
# The files of the sink whose Subject is exactly $1.
sink_with_subject() { sink_index | awk -F '\t' -v s="$1" '$2 == s { print $1 }'; }
# arrived SUBJECT: the sink has a message with that subject.
arrived() { [ -n "$(sink_with_subject "$1")" ]; }
# count_each PREFIX N: sets LOST and DUPS over subjects "PREFIX 1".."PREFIX N".
count_each() {
	local counts
	counts=$(sink_index | cut -f2 | grep "^$1 " | sort | uniq -c)
	LOST=0 DUPS=0
	for i in $(seq 1 "$2"); do
		n=$(awk -v s="$1 $i" '{ c = $1; $1 = ""; sub(/^ /, "") } $0 == s { print c }' <<<"$counts")
		[ -z "$n" ] && LOST=$((LOST + 1))
		[ -n "$n" ] && [ "$n" -gt 1 ] && DUPS=$((DUPS + 1))
	done
}

# The sink requires AUTH: a delivered mail proves the user and password.
sink_start || { echo "the sink did not start"; cat "$JF_TMP/sink.log"; exit 1; }
mail_server_start || exit 1
A_PID=$JF_PID A_LOG=$JF_LOG
ADMIN=$(jf_user "$db" root admin)
ORG=$(jf_user "$db" olga organizer)

# --- a queued mail arrives, Japanese subject, QR attachment -----------------
SUBJECT='【令和8年度 山口市就職面接会】お申し込みを受け付けました（受付票のQRコードを添付しています）'
id=$(sql "SELECT mail_enqueue('seeker_applied', NULL, 'taro@example.jp',
	'$SUBJECT', E'山口 太郎 様\n\nお申し込みを受け付けました。\n当日は添付のQRコードを受付でお見せください。\n', '$TOKEN_QR')")
check "the mail arrives at the relay" until_true 20 all_sent
f=$(sink_with_subject "$SUBJECT")
check "its Subject decodes to the Japanese" test -n "$f"
check "From has the display name" eq "$(eml "$f" From)" "$FROM"
check "the body is the UTF-8 text" eq "$(eml "$f" body | tr -d '\r' | head -1)" "山口 太郎 様"
check "multipart with a PNG" eq "$(eml "$f" parts)" "multipart/mixed image/png"
eml "$f" png "$JF_TMP/qr.png"
check "the PNG decodes (zbarimg) to the token" \
	eq "$(zbarimg -q --raw "$JF_TMP/qr.png" 2>/dev/null)" "$TOKEN_QR"
check "Message-ID names the row" eq "$(eml "$f" Message-ID)" \
	"<jobfair.$id.$(sql "SELECT extract(epoch FROM created_at)::bigint FROM mail_outbox WHERE id = $id")@city.example.jp>"
check "Date is Japan's time" grep -q '^Date: .* +0900' "$f"
check "row marked sent after one attempt" \
	eq "$(sql "SELECT attempts, sent_at IS NOT NULL FROM mail_outbox WHERE id = $id")" "1|t"
check "…its text and token gone once sent (the secrets are kept only hashed)" \
	eq "$(sql "SELECT body = '' AND qr_token IS NULL FROM mail_outbox WHERE id = $id")" "t"

# A mail without a token is a single text/plain part.
sql "SELECT mail_enqueue('note', NULL, 'hanako@example.jp', 'お知らせ', 'テスト', NULL)" >/dev/null
until_true 20 all_sent
check "no token: text/plain alone" eq "$(eml "$(sink_with_subject お知らせ)" parts)" "text/plain"

# --- a refused recipient is given up at once ---------------------------------
nobody=$(sql "SELECT mail_enqueue('note', NULL, 'nobody@example.jp', '宛先なし', 'x', NULL)")
check "550 from the relay: failed after one attempt" until_true 20 \
	sql_is "1|true" "SELECT attempts || '|' || (failed_at IS NOT NULL) FROM mail_outbox WHERE id = $nobody"
check "…and its text gone" eq "$(sql "SELECT body FROM mail_outbox WHERE id = $nobody")" ""

# --- backoff: the formula, then live with the sink down ----------------------
# backoff ATTEMPTS: what mail_failed makes of a row after that many
# attempts, with a first retry of 60 s and 10 attempts: "retry|seconds".
backoff() {
	psql "$db" -qAtX -v ON_ERROR_STOP=1 <<EOF | paste -sd'|'
BEGIN;
INSERT INTO mail_outbox (kind, to_addr, subject, body, attempts) VALUES ('t', 'a@b.jp', 's', 'b', $1);
SELECT mail_failed(currval('mail_outbox_id_seq'), 'x', 60, 10, false);
SELECT extract(epoch FROM next_attempt_at - now())::int FROM mail_outbox
WHERE id = currval('mail_outbox_id_seq');
ROLLBACK;
EOF
}
check "backoff: 60 s after the first attempt" eq "$(backoff 1)" "retry|60"
check "…doubled per attempt (attempt 3: 240 s)" eq "$(backoff 3)" "retry|240"
check "…attempt 9: 256 min" eq "$(backoff 9)" "retry|15360"
check "…the 10th: given up (its wait capped at 6 h)" eq "$(backoff 10)" "failed|21600"

sink_stop
down=$(sql "SELECT mail_enqueue('note', NULL, 'jiro@example.jp', '再送テスト', 'x', NULL)")
check "sink down: retried, not given up" until_true 30 \
	sql_is t "SELECT attempts >= 3 AND failed_at IS NULL AND last_error IS NOT NULL FROM mail_outbox WHERE id = $down"
# Attempts at 0, 1, 3, 7, 15 s…: 6 s after the third there are at most 5
# (a fixed 1 s wait would have made about 10).
sleep 6
n=$(sql "SELECT attempts FROM mail_outbox WHERE id = $down")
check "the waits grow (attempts 6 s after the third: $n ≤ 5)" test "$n" -le 5
req GET /api/v1/mail "" "$ADMIN"
check "GET /api/v1/mail: 200 for an admin" eq "$STATUS" 200
check "…the waiting mail counted as retrying" test "$(jbody .counts.retrying)" -ge 1
check "…its error with the recipient's domain only" \
	eq "$(jbody "[.errors[] | select(.id == $down) | .to_domain] | .[0]")" example.jp
check "…no bodies, subjects or addresses" \
	eq "$(jbody '[.. | objects | keys[]] | map(select(. == "body" or . == "subject" or . == "to_addr")) | length')" 0
req GET /api/v1/mail "" "$ORG"
check "…403 for an organizer" eq "$STATUS" 403
sink_start
check "sink back: delivered" until_true 60 \
	sql_is t "SELECT sent_at IS NOT NULL FROM mail_outbox WHERE id = $down"
check "…exactly once" eq "$(sink_with_subject 再送テスト | wc -l)" 1

metrics=$(curl -s "$JF_URL/metrics")
check "/metrics: jobfair_mail_sent_total" grep -qE '^jobfair_mail_sent_total [1-9]' <<<"$metrics"
check "/metrics: jobfair_mail_failed_total 1" grep -qE '^jobfair_mail_failed_total 1$' <<<"$metrics"
check "/metrics: jobfair_mail_queued" grep -qE '^jobfair_mail_queued ' <<<"$metrics"

# --- restarted mid-queue: nothing lost, nothing twice ------------------------
touch "$SINK/.slow" # 0.2 s a message: 40 take 8 s
sql "SELECT mail_enqueue('note', NULL, 'r' || i || '@example.jp', '再起動 ' || i, 'x', '$TOKEN_QR')
     FROM generate_series(1, 40) i" >/dev/null
until_true 20 arrived '再起動 1'
check "stopped mid-queue (SIGTERM), exit 0" jf_server_stop "$A_PID" "$A_LOG"
left=$(sql "SELECT count(*) FROM mail_outbox WHERE kind = 'note' AND subject LIKE '再起動%' AND sent_at IS NULL")
echo "     $left of 40 still queued at the stop"
mail_server_start || exit 1
A_PID=$JF_PID A_LOG=$JF_LOG
check "after the restart all 40 sent" until_true 60 all_sent
count_each 再起動 40
check "…none lost" eq "$LOST" 0
check "…none twice" eq "$DUPS" 0

# --- two jobfaird on one database: each mail once ----------------------------
rm "$SINK/.slow"
a_before=$(grep -c 'sent$' "$A_LOG")
mail_server_start --no-migrate || exit 1
B_PID=$JF_PID B_LOG=$JF_LOG
sql "SELECT mail_enqueue('note', NULL, 't' || i || '@example.jp', '二台 ' || i, 'x', NULL)
     FROM generate_series(1, 60) i" >/dev/null
check "two servers: all 60 sent" until_true 60 all_sent
count_each 二台 60
check "…none lost" eq "$LOST" 0
check "…none twice" eq "$DUPS" 0
echo "     sent by A: $(($(grep -c 'sent$' "$A_LOG") - a_before)), by B: $(grep -c 'sent$' "$B_LOG")"
check "second server stops cleanly" jf_server_stop "$B_PID" "$B_LOG"

# --- killed mid-queue (SIGKILL): nothing lost once the leases run out -------
touch "$SINK/.slow"
# Its claims are leased for 4 × --mail-timeout + 30 s (50 s here); a mail
# the relay took but that was not yet marked sent may come twice.
check "first server stops cleanly" jf_server_stop "$A_PID" "$A_LOG"
mail_server_start --no-migrate --mail-timeout 5 || exit 1
C_PID=$JF_PID
sql "SELECT mail_enqueue('note', NULL, 'k' || i || '@example.jp', '停止 ' || i, 'x', NULL)
     FROM generate_series(1, 40) i" >/dev/null
until_true 20 arrived '停止 1'
kill -KILL "$C_PID"
wait "$C_PID" 2>/dev/null
echo "     $(sql "SELECT count(*) FROM mail_outbox WHERE subject LIKE '停止%' AND sent_at IS NULL") of 40 not marked sent at the kill"
mail_server_start --no-migrate || exit 1
A_PID=$JF_PID A_LOG=$JF_LOG
check "after the kill all 40 sent (within the lease + 40 s)" until_true 90 all_sent
count_each 停止 40
check "…none lost" eq "$LOST" 0
check "…at most the 4 claimed at the kill twice ($DUPS)" test "$DUPS" -le 4
rm "$SINK/.slow"

# --- a booth confirmed or declined mails the company -------------------------
TOKEN=$ORG
req POST /api/v1/events '{"type":"joint_interview_fair","title":"合同就職面接会","starts_at":"2026-06-10T13:00:00+09:00","ends_at":"2026-06-10T16:00:00+09:00","venue":"山口市民会館","organizer":"joint"}'
fair=$(jbody .id)
req POST /api/v1/companies '{"name":"株式会社やまぐち","email":"jinji@yamaguchi.example.jp"}'
yes=$(jbody .id)
req POST /api/v1/companies '{"name":"湯田商事","email":"info@yuda.example.jp"}'
no=$(jbody .id)
req POST /api/v1/companies '{"name":"メールなし商店"}'
none=$(jbody .id)
for c in $yes $no $none; do req POST "/api/v1/events/$fair/companies" "{\"company_id\":$c}"; done
before=$(sql "SELECT count(*) FROM mail_outbox")
req PATCH "/api/v1/events/$fair/companies/$yes" '{"status":"confirmed","booth":"A-1"}'
check "confirm: 200" eq "$STATUS" 200
req PATCH "/api/v1/events/$fair/companies/$no" '{"status":"cancelled"}'
check "decline: 200" eq "$STATUS" 200
req PATCH "/api/v1/events/$fair/companies/$none" '{"status":"confirmed"}'
req PATCH "/api/v1/events/$fair/companies/$yes" '{"booth":"A-2"}'
check "two mails queued (none without an email, none for an edit)" \
	eq "$(sql "SELECT count(*) - $before FROM mail_outbox")" 2
check "…both sent" until_true 20 all_sent
f=$(sink_with_subject '【合同就職面接会】出展が確定しました')
check "the confirmed company's mail arrived" test -n "$f"
check "…to its contact address" grep -q '^To: <jinji@yamaguchi.example.jp>' "$f"
check "…with the date, venue and booth" eq "$(eml "$f" body | tr -d '\r' | grep -cE '2026年6月10日 13:00〜16:00|会場：山口市民会館|ブース：A-1')" 3
f=$(sink_with_subject '【合同就職面接会】今回はお受けできませんでした')
check "the declined company's mail arrived" test -n "$f"
check "…to its contact address" grep -q '^To: <info@yuda.example.jp>' "$f"
req PATCH "/api/v1/events/$fair/companies/$no" '{"status":"nonsense"}'
check "a refused update queues nothing" \
	eq "$(sql "SELECT count(*) - $before FROM mail_outbox")" 2

check "the last server with a relay stops cleanly" jf_server_stop "$A_PID" "$A_LOG"

# --- a relay that never answers: the loop does not wait, the stop is bounded -
HOLE_PORT=$(jf_free_port)
/usr/bin/python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8); held = []
print("ready", flush=True)
while True: held.append(s.accept()[0])' "$HOLE_PORT" >"$JF_TMP/hole.log" 2>&1 &
JF_PIDS+=($!)
until_true 10 grep -q ready "$JF_TMP/hole.log"
jf_server_start "$db" --no-migrate --smtp-url "smtp://127.0.0.1:$HOLE_PORT" \
	--mail-from "$FROM" --mail-timeout 5 --shutdown-timeout 2 || exit 1
hole=$(sql "SELECT mail_enqueue('note', NULL, 'hole@example.jp', '無応答', 'x', NULL)")
until_true 10 sql_is 1 "SELECT attempts FROM mail_outbox WHERE id = $hole"
sleep 0.5
t=$(curl -s -o /dev/null -w '%{time_total}' "$JF_URL/healthz")
check "a send hangs at the relay: /healthz still answers (${t} s < 1 s)" \
	awk -v t="$t" 'BEGIN { exit !(t < 1) }'
start=$(date +%s)
jf_server_stop "$JF_PID"
took=$(($(date +%s) - start))
check "SIGTERM during the hung send: stopped in ${took} s (drain 2 s + ≤ 1 s, < 6)" test "$took" -lt 6
check "…the mail not marked sent, still queued for later" \
	sql_is "1|t|t" "SELECT attempts, sent_at IS NULL, failed_at IS NULL FROM mail_outbox WHERE id = $hole"

# --- without --smtp-url: queued, one warning ---------------------------------
jf_server_start "$db" --no-migrate || exit 1
sql "SELECT mail_enqueue('note', NULL, 'x@example.jp', 'キュー', 'x', NULL)" >/dev/null
sleep 2
check "no relay: the mail stays queued" eq "$(sql "SELECT attempts, sent_at IS NULL FROM mail_outbox WHERE subject = 'キュー'")" "0|t"
check "…and one warning says so" eq "$(grep -c 'no --smtp-url' "$JF_LOG")" 1
check "no-relay server stops cleanly" jf_server_stop "$JF_PID"

# --- the password never appears in a log -------------------------------------
check "the relay's password is in no log" \
	eq "$(cat "$JF_TMP"/server-*.log | grep -cF "$PASSWORD")" 0
out=$(JOBFAIR_DATABASE_URL=$db JOBFAIR_LISTEN=127.0.0.1:$(jf_free_port) timeout 10 \
	"$JF_BIN" --no-migrate --smtp-url 'smtp://u:p@127.0.0.1:1' --mail-from a@b.jp 2>&1)
check "a password in --smtp-url is refused" grep -q 'must not hold a user or password' <<<"$out"
sink_stop
done_testing

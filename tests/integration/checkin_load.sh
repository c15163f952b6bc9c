# shellcheck shell=bash
# Helpers for the check-in load tests (sourced after lib.sh, not run): an
# event full of registrations with tokens, scanload runs in the
# background, and the exactly-once checks against the database.
SCANLOAD=$JF_BUILD/tests/tools/scanload
LOAD_TOKENS=$JF_TMP/tokens
LOAD_OUT=$JF_TMP/scans.jsonl
LOAD_SUMMARY=$JF_TMP/summary.json

# load_event DB N: an open event with N registered job seekers, each with
# a token as common/token.h makes them; sets LOAD_EVENT and writes the
# tokens to LOAD_TOKENS.
load_event() {
	local db=$1 n=$2
	LOAD_EVENT=$(psql "$db" -qAt -v ON_ERROR_STOP=1 -c "
		INSERT INTO events (type, title, starts_at, ends_at, organizer,
		                    status, target_seekers, target_companies)
		VALUES ('joint_interview_fair', '負荷試験', now(),
		        now() + interval '4 hours', 'city', 'open', $n, 0)
		RETURNING id") || return 1
	# The correlated WHERE makes each row draw its own 26 characters.
	psql "$db" -qAt -v ON_ERROR_STOP=1 -c "
		INSERT INTO registrations (event_id, name, name_kana, consent_at,
		                           checkin_token)
		SELECT $LOAD_EVENT, '来場者' || g, 'ライジョウシャ', now(),
		       'JF1-' || (SELECT string_agg(substr(
		           'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
		           1 + floor(random() * 32)::int, 1), '')
		       FROM generate_series(1, 26) WHERE g > 0)
		FROM generate_series(1, $n) g" || return 1
	psql "$db" -qAt -c "SELECT checkin_token FROM registrations
		WHERE event_id = $LOAD_EVENT" >"$LOAD_TOKENS"
	[ "$(wc -l <"$LOAD_TOKENS")" -eq "$n" ]
}

# load_start SERVERS [ARGS...]: scanload in the background against the
# event, 32 desks, each token three times plus LOAD_GARBAGE (300) garbage
# scans; sets
# LOAD_PID. The figures go to LOAD_SUMMARY, one line per scan to LOAD_OUT.
load_start() {
	local servers=$1
	shift
	"$SCANLOAD" --servers "$servers" --event "$LOAD_EVENT" \
		--token "$TOKEN" --token-file "$LOAD_TOKENS" --repeat 3 \
		--garbage "${LOAD_GARBAGE:-300}" --concurrency 32 --retry-seconds 30 \
		--out "$LOAD_OUT" "$@" >"$LOAD_SUMMARY" &
	LOAD_PID=$!
	JF_PIDS+=("$LOAD_PID") # stopped on exit, whatever happens
}

# load_wait: waits for scanload; true when it exited 0.
load_wait() {
	wait "$LOAD_PID"
	LOAD_RC=$?
	cat "$LOAD_SUMMARY"
	[ "$LOAD_RC" -eq 0 ]
}

# load_wait_answered N SECONDS: until scanload has N answers, so that a
# fault lands in the middle of the load. (Its output file, not the
# database: polling with psql would slow the load down.)
load_wait_answered() {
	local i
	for i in $(seq 1 $(($2 * 20))); do
		[ -f "$LOAD_OUT" ] && [ "$(wc -l <"$LOAD_OUT")" -ge "$1" ] &&
			return 0
		kill -0 "$LOAD_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "scanload did not reach $1 answers" >&2
	return 1
}

load_sql() {
	psql "$1" -qAt -v ON_ERROR_STOP=1 -c "$2"
}

# load_answers DB SQL: runs SQL with scanload's answers in the table
# answers (nonce, token, server, status, result, attempts).
load_answers() {
	jq -r '[.nonce, .token, .server, .status, .result // "", .attempts]
		| @csv' "$LOAD_OUT" >"$JF_TMP/answers.csv"
	psql "$1" -qAt -v ON_ERROR_STOP=1 \
		-c "CREATE TEMP TABLE answers (nonce text, token text,
			server text, status int, result text, attempts int)" \
		-c "\\copy answers FROM '$JF_TMP/answers.csv' CSV" \
		-c "$2"
}

# A figure from scanload's summary.
load_fig() {
	jq -r ".$1" "$LOAD_SUMMARY"
}

# load_live DB: the event's live check-ins in the database.
load_live() {
	load_sql "$1" "SELECT count(*) FROM checkins
		WHERE event_id = $LOAD_EVENT AND undone_at IS NULL"
}

# load_check_once DB: what every load test promises, whatever the
# faults: each valid token checked in exactly once and answered
# checked_in exactly once, every such answer stored, no malformed answer,
# no scan left unanswered, one scan-log row per scan answered 200, and
# the live counts' running tallies equal to the rows.
load_check_once() {
	local db=$1 n
	n=$(wc -l <"$LOAD_TOKENS")
	check "scanload finished: every scan answered, none malformed" \
		eq "$LOAD_RC" 0
	check "sent = valid × 3 + garbage" eq "$(load_fig sent)" \
		$((n * 3 + ${LOAD_GARBAGE:-300}))
	check "nothing unanswered" eq "$(load_fig unanswered)" 0
	check "nothing malformed" eq "$(load_fig malformed)" 0
	check "$n live check-ins in the database" eq "$(load_live "$db")" "$n"
	check "the running tallies agree" eq "$(load_sql "$db" "
		SELECT checkin_counts($LOAD_EVENT)->'seekers'->>'checked_in'")" "$n"
	check "$n scans answered checked_in" eq "$(load_fig acked_checked_in)" "$n"
	check "one checked_in answer per token" \
		eq "$(load_fig distinct_checked_in)" "$n"
	check "valid tokens never refused" eq "$(load_fig valid_refused)" 0
	check "garbage never let in" eq "$(load_fig garbage_accepted)" 0
	check "no registration with two live check-ins" eq "$(load_sql "$db" "
		SELECT count(*) FROM (SELECT registration_id FROM checkins
			WHERE event_id = $LOAD_EVENT AND undone_at IS NULL
			GROUP BY 1 HAVING count(*) > 1) twice")" 0
	check "every token answered checked_in has its check-in stored" \
		eq "$(load_answers "$db" "SELECT count(*) FROM answers a
		WHERE a.result = 'checked_in' AND NOT EXISTS (
			SELECT 1 FROM registrations r JOIN checkins c
			  ON c.registration_id = r.id AND c.undone_at IS NULL
			WHERE r.checkin_token = a.token)")" 0
	check "every answer is the one in the scan log" \
		eq "$(load_answers "$db" "SELECT count(*) FROM answers a
		LEFT JOIN scans s ON s.nonce = a.nonce AND s.event_id = $LOAD_EVENT
		WHERE a.status = 200 AND s.result IS DISTINCT FROM a.result")" 0
	check "one scan-log row per scan answered 200" eq "$(load_sql "$db" "
		SELECT count(*) FROM scans WHERE event_id = $LOAD_EVENT")" \
		"$(jq -s 'map(select(.status == 200)) | length' "$LOAD_OUT")"
}

# load_figures DB [MORE...]: the line the lead quotes in the issue note.
load_figures() {
	echo "figures: sent=$(load_fig sent) valid=$(load_fig valid_scans)" \
		"garbage=$(load_fig garbage_scans) attempts=$(load_fig attempts)" \
		"answered=$(load_fig answered)" \
		"acked_checked_in=$(load_fig acked_checked_in)" \
		"stored=$(load_live "$1") retried=$(load_fig retried)" \
		"5xx=$(load_fig status_5xx) 503s=$(load_fig status_503)" \
		"transport_errors=$(load_fig transport_errors)" \
		"timeouts=$(load_fig timeouts) max_ms=$(load_fig max_ms)" \
		"elapsed_ms=$(load_fig elapsed_ms)" "${@:2}"
}

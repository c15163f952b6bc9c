# Fixtures for the event-day tests (sourced after lib.sh): events,
# registrations and booths written straight into the tables of
# migrations 0002/0003, so these tests do not depend on the organizers'
# API. Each function prints what it made.

# ed_token: a token in token_generate()'s format.
ed_token() {
	echo "JF1-$(head -c 4096 /dev/urandom | LC_ALL=C tr -dc 'A-Z2-7' | head -c 26)"
}

# The events' day: today in Japan, as check-ins are taken only on an
# event's days.
ED_DAY=$(TZ=Asia/Tokyo date +%F)

# ed_event DB TITLE [CAPACITY] [TARGET_SEEKERS] [TARGET_COMPANIES]: the id.
ed_event() {
	psql "$1" -qAtc "INSERT INTO events (type, title, starts_at, ends_at, capacity,
	        target_seekers, target_companies, organizer, status)
	    VALUES ('joint_interview_fair', '$2', '$ED_DAY 13:00+09', '$ED_DAY 16:00+09',
	            ${3:-NULL}, ${4:-NULL}, ${5:-NULL}, 'joint', 'open') RETURNING id"
}

# ed_registration DB EVENT NAME KANA [STATUS] [PHONE] [CATEGORIES]:
# "id token".
ed_registration() {
	local token phone=NULL
	token=$(ed_token)
	[ -n "${6:-}" ] && phone="'$6'"
	psql "$1" -qAtc "INSERT INTO registrations (event_id, name, name_kana, status, phone,
	        categories, consent_at, checkin_token)
	    VALUES ($2, '$3', '$4', '${5:-registered}', $phone,
	            '{${7:-}}', now(), '$token') RETURNING id" | tr -d '\n'
	echo " $token"
}

# ed_booth DB EVENT COMPANY_NAME [STATUS]: "company_id token".
ed_booth() {
	local token company
	token=$(ed_token)
	company=$(psql "$1" -qAtc "INSERT INTO companies (name, name_kana)
	    VALUES ('$3', 'カブシキガイシャ') RETURNING id")
	psql "$1" -qAtc "INSERT INTO participations (event_id, company_id, status, checkin_token)
	    VALUES ($2, $company, '${4:-confirmed}', '$token')" >/dev/null
	echo "$company $token"
}

# ed_sql DB QUERY: one value.
ed_sql() {
	psql "$1" -qAtc "$2"
}

# scan TOKEN NONCE [DESK] [EXTRA_JSON]: POST a check-in to $EVENT.
scan() {
	req POST "/api/v1/events/$EVENT/checkins" \
		"{\"token\":\"$1\",\"nonce\":\"$2\",\"desk\":\"${3:-desk-1}\"${4:+,$4}}"
}

# wait_lines FILE N: until FILE has N lines (or 30 s).
wait_lines() {
	for _ in $(seq 300); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	echo "     only $(wc -l <"$1") lines in $1" >&2
	return 1
}

# ended PID SECONDS: a background curl of a stream exits (the server
# closed it) within SECONDS.
ended() {
	local i
	for i in $(seq 1 $(($2 * 10))); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	echo "     stream still open after $2 s" >&2
	return 1
}

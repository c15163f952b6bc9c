#!/usr/bin/env bash
# The run command: installs what is missing, builds, starts the database
# (the project-local cluster unless JOBFAIR_DATABASE_URL is set), applies
# migrations and runs jobfaird in the foreground until Ctrl-C.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

deploy/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null

pgdir=""
if [ -z "${JOBFAIR_DATABASE_URL:-}" ]; then
	pgdir="$top/var/pg"
	# The cluster's owner must reach it; elsewhere keep it under /var/tmp.
	if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$top" 2>/dev/null; then
		pgdir="/var/tmp/jobfair-$(echo "$top" | md5sum | cut -c1-8)/pg"
	fi
	export JOBFAIR_DATABASE_URL=$(deploy/pg.sh start "$pgdir")
	echo "run: PostgreSQL cluster in $pgdir" >&2
	trap 'deploy/pg.sh stop "$pgdir"; echo "run: PostgreSQL stopped" >&2' EXIT
fi
build/server/jobfaird migrate "$@"

# First run: nobody can sign in to the back office until an admin has a
# password. On a terminal, offer to create one; otherwise say how.
listen=${JOBFAIR_LISTEN:-127.0.0.1:8080}
for ((i = 1; i <= $#; i++)); do
	case ${!i} in
	--listen=*) listen=${!i#--listen=} ;;
	--listen) j=$((i + 1)) && listen=${!j:-$listen} ;;
	esac
done
admins=$(psql "$JOBFAIR_DATABASE_URL" -qAtc "SELECT count(*) FROM users WHERE role = 'admin'
	AND revoked_at IS NULL AND password_hash IS NOT NULL" 2>/dev/null || echo unknown)
add="JOBFAIR_DATABASE_URL='$JOBFAIR_DATABASE_URL' build/server/jobfaird user add NAME --role admin"
if [ "$admins" = 0 ] && [ -t 0 ] && [ -t 2 ]; then
	echo "run: no admin can sign in to the back office yet." >&2
	read -r -p "run: create one now? name (empty: not now): " name
	if [ -n "$name" ]; then
		build/server/jobfaird user add "$name" --role admin ||
			echo "run: not created; later: $add" >&2
	fi
elif [ "$admins" = 0 ]; then
	echo "run: no admin can sign in yet; create one (it asks for a password; or pipe it with --password-stdin):" >&2
	echo "run:   $add" >&2
fi
echo "run: the back office: http://$listen/ (sign in with a user's name and password)" >&2
echo "run: more users: $add (or from the page's 管理 menu)" >&2
# Not exec: the trap must stop the cluster after jobfaird exits.
build/server/jobfaird --no-migrate "$@" &
server=$!
trap 'kill -TERM $server 2>/dev/null' INT TERM
wait $server || true
wait $server 2>/dev/null || true

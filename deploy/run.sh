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
echo "run: create a user with: JOBFAIR_DATABASE_URL='$JOBFAIR_DATABASE_URL' build/server/jobfaird user add NAME --role admin" >&2
# Not exec: the trap must stop the cluster after jobfaird exits.
build/server/jobfaird "$@" &
server=$!
trap 'kill -TERM $server 2>/dev/null' INT TERM
wait $server || true
wait $server 2>/dev/null || true

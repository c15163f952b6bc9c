#!/usr/bin/env bash
# A project-local PostgreSQL cluster: created once, started and stopped on
# demand, listening only on a Unix socket inside its own directory.
#
#   deploy/pg.sh start DIR   create (first time) and start; prints the URL
#   deploy/pg.sh stop DIR    stop cleanly
#   deploy/pg.sh url DIR     print the libpq URL
#
# initdb refuses root, so as root the cluster belongs to the `postgres`
# user (created by Debian's package); DIR must be reachable by it.
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop|url DIR}
dir=${2:?usage: pg.sh start|stop|url DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "pg.sh: PostgreSQL server binaries not found" >&2; exit 1; }

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

url() {
	echo "postgresql:///jobfair?host=$dir&user=jobfair"
}

start() {
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$dir"
		if ! runuser -u postgres -- test -w "$dir"; then
			echo "pg.sh: user postgres cannot reach $dir; put the cluster under /tmp or /var/tmp" >&2
			exit 1
		fi
	fi
	if [ ${#dir} -gt 90 ]; then
		echo "pg.sh: $dir is too long for a Unix socket path" >&2
		exit 1
	fi
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		as_owner "$bindir/initdb" -D "$dir/data" -U jobfair --auth=trust \
			--encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
			{ cat "$dir/initdb.log" >&2; exit 1; }
		cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
unix_socket_permissions = 0777
max_connections = 200
timezone = 'UTC'
${JOBFAIR_PG_EXTRA_CONF:-}
CONF
	fi
	if ! as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null
	fi
	as_owner "$bindir/psql" -h "$dir" -U jobfair -d postgres -qtAc \
		"SELECT 1 FROM pg_database WHERE datname = 'jobfair'" | grep -q 1 ||
		as_owner "$bindir/createdb" -h "$dir" -U jobfair jobfair
	url
}

stop() {
	[ -f "$dir/data/PG_VERSION" ] || return 0
	as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

case "$cmd" in
start) start ;;
stop) stop ;;
url) url ;;
*) echo "usage: pg.sh start|stop|url DIR" >&2; exit 1 ;;
esac

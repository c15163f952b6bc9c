#!/usr/bin/env bash
# ctest fixture: one throw-away PostgreSQL cluster per build tree, shared
# by the integration tests (each makes its own database in it).
#   pg_fixture.sh start BUILD_DIR | stop BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pg=$here/../../deploy/pg.sh
env=$2/test-pg.env

case $1 in
start)
	[ -f "$env" ] && "$0" stop "$2"
	dir=$(mktemp -d /tmp/jobfair-test.XXXXXX)
	chmod 755 "$dir"
	# Throw-away data: durability buys nothing here.
	url=$(JOBFAIR_PG_EXTRA_CONF=$'fsync = off\nsynchronous_commit = off\nfull_page_writes = off' "$pg" start "$dir")
	printf 'JF_PGDIR=%q\nJF_PGURL=%q\n' "$dir" "$url" >"$env"
	;;
stop)
	[ -f "$env" ] || exit 0
	# shellcheck disable=SC1090
	. "$env"
	"$pg" stop "$JF_PGDIR"
	rm -rf "$JF_PGDIR" "$env"
	;;
esac

#!/usr/bin/env bash
# Restores a dump made by deploy/backup.sh into an EMPTY database.
#   JOBFAIR_DATABASE_URL=... deploy/restore.sh FILE
# Refuses a database that already has jobfair's tables, so a restore
# never mixes with live data. Run `jobfaird migrate` afterwards to bring
# an older dump up to the current schema.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
in=${1:?usage: deploy/restore.sh FILE}
url=${JOBFAIR_DATABASE_URL:-$("$top/deploy/pg.sh" url "$top/var/pg")}
if [ "$(psql "$url" -qAtc "SELECT to_regclass('schema_migrations') IS NOT NULL")" = t ]; then
	echo "restore: the target database is not empty; create a new one" >&2
	exit 1
fi
pg_restore --exit-on-error --no-owner --single-transaction --dbname="$url" "$in"
echo "restore: restored $in" >&2

#!/usr/bin/env bash
# Backs up the jobfair database to one file in pg_dump's custom format.
#   deploy/backup.sh FILE            uses JOBFAIR_DATABASE_URL, else the
#                                    project-local cluster in var/pg
# The dump is consistent (one snapshot) and can be taken while jobfaird
# runs. It holds personal data: store it as carefully as the database.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: deploy/backup.sh FILE}
url=${JOBFAIR_DATABASE_URL:-$("$top/deploy/pg.sh" url "$top/var/pg")}
umask 077
pg_dump --format=custom --no-owner --file="$out" "$url"
echo "backup: wrote $out ($(du -h "$out" | cut -f1))" >&2

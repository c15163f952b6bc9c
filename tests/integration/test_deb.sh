#!/usr/bin/env bash
# The Debian package end to end, as root (CI): build it with CPack, install
# it, run the installed jobfaird with the installed unit's command line,
# user and environment against a test database, upgrade to a rebuilt
# package with data present, remove, purge. The package, and the system
# user when this test made it, are gone afterwards.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ] || ! command -v dpkg >/dev/null; then
	echo "skip: needs root and dpkg"
	exit 77
fi
if dpkg-query -W -f='${Status}' jobfair 2>/dev/null | grep -q installed; then
	echo "a jobfair package is installed already; not touching it" >&2
	exit 1
fi
user_was_there=false
getent passwd jobfair >/dev/null && user_was_there=true
deb_cleanup() {
	dpkg -P jobfair >/dev/null 2>&1
	$user_was_there || userdel jobfair 2>/dev/null
	jf_finish
}
trap deb_cleanup EXIT

# Two packages of the same build: release 1, and release 2 to upgrade to.
for rel in 1 2; do
	(cd "$JF_BUILD" && cpack -G DEB -D CPACK_DEBIAN_PACKAGE_RELEASE=$rel \
		-B "$JF_TMP/pkg$rel") >"$JF_TMP/cpack$rel.log" 2>&1
done
deb1=$(ls "$JF_TMP"/pkg1/jobfair_*-1_*.deb 2>/dev/null)
deb2=$(ls "$JF_TMP"/pkg2/jobfair_*-2_*.deb 2>/dev/null)
check "cpack built release 1" test -f "$deb1"
check "cpack built release 2" test -f "$deb2"
[ -f "$deb1" ] && [ -f "$deb2" ] || { cat "$JF_TMP"/cpack*.log; done_testing; }
for f in ./usr/bin/jobfaird ./usr/bin/jobfair ./usr/lib/systemd/system/jobfaird.service \
	./usr/lib/systemd/system/jobfaird@.service ./etc/jobfair/jobfaird.env \
	./usr/share/jobfair/migrations/0001_users_audit.sql ./usr/share/jobfair/migrations/sql/checkin.sql; do
	check "package holds $f" bash -c "dpkg-deb -c '$deb1' | awk '{print \$6}' | grep -qx '$f'"
done

check "dpkg -i" dpkg -i "$deb1" >/dev/null
check "postinst made the system user" bash -c 'getent passwd jobfair | grep -q :/nonexistent:'
check "the settings file is root:jobfair 640" eq "$(stat -c '%U:%G %a' /etc/jobfair/jobfaird.env)" "root:jobfair 640"
check "it is a conffile" bash -c "dpkg-query -W -f='\${Conffiles}' jobfair | grep -q /etc/jobfair/jobfaird.env"
unit=/usr/lib/systemd/system/jobfaird.service
check "systemd-analyze verify on the installed unit" systemd-analyze verify "$unit"

# The installed unit's command line, user and environment, with the
# settings file pointed at a test database.
jf_db_new || exit 1
port=$(jf_free_port)
sed -i -e "s|^JOBFAIR_DATABASE_URL=.*|JOBFAIR_DATABASE_URL=${JF_DB//&/\\&}|" \
	-e "s|^JOBFAIR_LISTEN=.*|JOBFAIR_LISTEN=127.0.0.1:$port|" /etc/jobfair/jobfaird.env
JF_URL=http://127.0.0.1:$port
run_unit() {
	local exec env=() line
	exec=$(sed -n 's/^ExecStart=//p' "$unit")
	while read -r line; do env+=("$line"); done < <(sed -n 's/^Environment=//p' "$unit")
	while read -r line; do env+=("$line"); done < <(grep -E '^[A-Z_]+=' /etc/jobfair/jobfaird.env)
	JF_LOG=$JF_TMP/installed-$1.log
	# shellcheck disable=SC2086
	setpriv --reuid="$(sed -n 's/^User=//p' "$unit")" --regid="$(sed -n 's/^Group=//p' "$unit")" \
		--init-groups env -i PATH=/usr/bin:/bin "${env[@]}" $exec >"$JF_LOG" 2>&1 &
	JF_PID=$!
	JF_PIDS+=("$JF_PID")
	jf_wait_serving /readyz && return 0
	cat "$JF_LOG" >&2
	return 1
}
# How many migrations are recorded, and when the last was applied.
migrations() { psql "$JF_DB" -qAtc "SELECT count(*) || '/' || max(applied_at) FROM schema_migrations"; }

check "the installed jobfaird starts as the unit would" run_unit 1
check "it runs as the jobfair user" eq "$(ps -o user= -p "$JF_PID")" jobfair
check "it uses the packaged migrations" grep -q 'from /usr/share/jobfair/migrations' "$JF_LOG"
TOKEN=$(JOBFAIR_DATABASE_URL=$JF_DB setpriv --reuid=jobfair --regid=jobfair --init-groups \
	/usr/bin/jobfaird user add deb-admin --role admin | tail -n 1)
req POST /api/v1/events '{"type":"joint_interview_fair","title":"パッケージの面接会","starts_at":"2024-10-15T10:00:00+09:00","ends_at":"2024-10-15T16:00:00+09:00","organizer":"joint","target_companies":30,"target_seekers":100}'
check "an event made through the installed server" eq "$STATUS" 201
before=$(migrations)
check "the migrations are recorded" test "${before%%/*}" -gt 5
check "stopped cleanly" jf_server_stop "$JF_PID"

check "upgrade with dpkg -i" dpkg -i "$deb2" >/dev/null
check "the upgrade is release 2" eq "$(dpkg-query -W -f='${Version}' jobfair)" "0.1.0-2"
check "the admin's settings survive the upgrade" grep -q "^JOBFAIR_LISTEN=127.0.0.1:$port" /etc/jobfair/jobfaird.env
check "the upgraded jobfaird starts" run_unit 2
check "no migration applied again" grep -q '(0 applied now' "$JF_LOG"
check "schema_migrations unchanged" eq "$(migrations)" "$before"
req GET /api/v1/events
check "the data are kept" eq "$(jbody '[.items // . | .[] | .title] | index("パッケージの面接会") != null')" true
check "stopped cleanly after the upgrade" jf_server_stop "$JF_PID"

check "dpkg -r" dpkg -r jobfair >/dev/null
check "remove takes the programs" test ! -e /usr/bin/jobfaird
check "remove keeps the configuration" test -f /etc/jobfair/jobfaird.env
check "dpkg -P" dpkg -P jobfair >/dev/null
check "purge takes the configuration" test ! -e /etc/jobfair
check "purge never touches the database" eq "$(psql "$JF_DB" -qAtc "SELECT count(*) FROM events WHERE title = 'パッケージの面接会'")" 1
done_testing

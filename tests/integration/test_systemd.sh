#!/usr/bin/env bash
# The systemd units: `systemd-analyze verify` and `security` on both, and
# jobfaird's sd_notify protocol: READY=1 only once the database answers
# with the schema in place, STOPPING=1 when SIGTERM starts the drain.
. "$(dirname "$0")/lib.sh"

units=$JF_SOURCE/deploy/systemd
dir=$JF_TMP/units
mkdir -p "$dir"
# verify wants the ExecStart binary and the User to exist: point at the
# build's binary and run as root for the check only.
for u in jobfaird.service jobfaird@.service; do
	sed -e "s|^ExecStart=/usr/bin/jobfaird|ExecStart=$JF_BIN|" \
		-e 's/^User=.*/User=root/' -e 's/^Group=.*/Group=root/' \
		"$units/$u" >"$dir/$u"
done
check "verify jobfaird.service" systemd-analyze verify "$dir/jobfaird.service"
cp "$dir/jobfaird@.service" "$dir/jobfaird@a.service"
check "verify jobfaird@a.service" systemd-analyze verify "$dir/jobfaird@a.service"
for u in jobfaird.service jobfaird@.service; do
	score=$(systemd-analyze security --offline=yes "$units/$u" 2>&1 |
		sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p')
	echo "     systemd-analyze security $u: $score"
	check "security $u exposure ≤ 2.0" awk -v s="$score" 'BEGIN { exit !(s != "" && s <= 2.0) }'
done
check "the template reads the instance's file" \
	grep -qx 'EnvironmentFile=/etc/jobfair/jobfaird-%i.env' "$units/jobfaird@.service"

# sd_notify: a datagram socket standing in for systemd, logging each message.
sock=$JF_TMP/notify.sock
msgs=$JF_TMP/notify.log
: >"$msgs"
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
while True:
    m = s.recv(4096).decode()
    with open(sys.argv[2], "a") as f:
        f.write(m.replace("\n", " ") + "\n")
' "$sock" "$msgs" &
JF_PIDS+=($!)
for _ in $(seq 1 50); do [ -S "$sock" ] && break; sleep 0.1; done

# A database without the schema: jobfaird serves /healthz but is not ready.
jf_db_new || exit 1
NOTIFY_SOCKET=$sock jf_server_start "$JF_DB" --no-migrate || exit 1
sleep 2
check "no READY=1 while the schema is missing" bash -c "! grep -q READY=1 '$msgs'"
check "the status says why" grep -q 'STATUS=waiting for the database' "$msgs"
JOBFAIR_DATABASE_URL=$JF_DB "$JF_BIN" migrate >/dev/null 2>&1
for _ in $(seq 1 50); do grep -q READY=1 "$msgs" && break; sleep 0.1; done
check "READY=1 once the database answers" grep -q 'READY=1' "$msgs"
check "READY=1 sent once" eq "$(grep -c READY=1 "$msgs")" 1
check "stopped cleanly" jf_server_stop "$JF_PID"
check "STOPPING=1 on SIGTERM" grep -q 'STOPPING=1' "$msgs"
done_testing

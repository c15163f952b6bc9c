#!/usr/bin/env python3
"""Figure 7 of the benchmarks: dashboard fan-out (run by bench/fanout.sh).

    fanout.py BASE_URL PID EVENT LINK DESK_TOKEN TOKENS_FILE [STREAMS] [PUSHES]

Opens STREAMS (default 1,000) stats streams of EVENT on the jobfaird at
BASE_URL (process PID) with the dashboard link LINK, as projectors do,
then measures:
  - the memory they added (VmRSS after minus before),
  - /healthz while they are open (median and slowest of 20),
  - PUSHES times (default 5): a check-in (POST …/checkins with DESK_TOKEN,
    a code from TOKENS_FILE), and the time from sending it, and from its
    answer, to the moment the last stream has the new count.
Prints key=value lines and one JSON line.
"""

import json
import resource
import select
import socket
import statistics
import sys
import time
import urllib.request
import uuid

base, pid, event, link, desk, tokens_file = sys.argv[1:7]
n = int(sys.argv[7]) if len(sys.argv) > 7 else 1000
pushes = int(sys.argv[8]) if len(sys.argv) > 8 else 5
host, port = base.split("//")[1].split(":")
port = int(port)
tokens = open(tokens_file).read().split()
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def rss_mb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def healthz_ms():
    t = time.monotonic()
    with urllib.request.urlopen(base + "/healthz", timeout=10) as r:
        r.read()
    return (time.monotonic() - t) * 1000


class Stream:
    def __init__(self):
        self.s = socket.create_connection((host, port))
        self.s.setblocking(False)
        self.buf = b""
        self.status = None
        self.count = None  # the seekers' checked_in of the latest numbers

    def send(self):
        self.s.sendall(f"GET /api/v1/events/{event}/stats/stream?link={link} HTTP/1.1\r\n"
                       f"Host: {host}\r\n\r\n".encode())

    def read(self):
        try:
            chunk = self.s.recv(65536)
        except BlockingIOError:
            return True
        if not chunk:
            return False
        self.buf += chunk
        if self.status is None and b"\r\n" in self.buf:
            self.status = int(self.buf.split(b" ", 2)[1])
        # The seekers' count of the last complete event.
        while b"\n\n" in self.buf:
            ev, self.buf = self.buf.split(b"\n\n", 1)
            if b"event: stats" in ev:
                data = ev.split(b"data: ", 1)[1]
                self.count = json.loads(data)["checked_in"]
        return True


streams = [Stream() for _ in range(n)]
by_fd = {st.s.fileno(): st for st in streams}
poller = select.poll()
for st in streams:
    poller.register(st.s, select.POLLIN)


def pump(until, timeout):
    """Reads every stream until until() or the timeout; the time it held."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if until():
            return time.time()
        for fd, _ in poller.poll(100):
            st = by_fd[fd]
            if not st.read():
                poller.unregister(fd)
    return None


before = rss_mb()
start = time.monotonic()
# In batches, as projectors would not all open in the same millisecond.
for i in range(0, n, 100):
    for st in streams[i:i + 100]:
        st.send()
    pump(lambda: all(st.count is not None or st.status not in (None, 200) for st in streams[i:i + 100]), 30)
opened = sum(1 for st in streams if st.count is not None)
open_s = time.monotonic() - start
time.sleep(2)
pump(lambda: False, 0.5)
after = rss_mb()
health = [healthz_ms() for _ in range(20)]

lags_sent, lags_answered, health_during = [], [], []
for k in range(pushes):
    want = max(st.count for st in streams if st.count is not None) + 1
    body = json.dumps({"token": tokens[k], "nonce": str(uuid.uuid4()), "desk": "fanout"}).encode()
    req = urllib.request.Request(f"{base}/api/v1/events/{event}/checkins", data=body, method="POST")
    req.add_header("Authorization", "Bearer " + desk)
    req.add_header("Content-Type", "application/json")
    sent = time.time()
    with urllib.request.urlopen(req, timeout=30) as r:
        result = json.loads(r.read())["result"]
    answered = time.time()
    if result != "checked_in":
        print(f"check-in {k}: {result}", file=sys.stderr)
        continue
    last = pump(lambda: all(st.count is not None and st.count >= want
                            for st in streams if st.count is not None), 30)
    health_during.append(healthz_ms())
    if last is None:
        print(f"push {k}: not every stream updated in 30 s", file=sys.stderr)
        continue
    lags_sent.append((last - sent) * 1000)
    lags_answered.append((last - answered) * 1000)
    time.sleep(0.5)
still_open = sum(1 for st in streams if st.status == 200)
for st in streams:
    st.s.close()

out = {
    "streams": n, "streams_open": opened, "open_seconds": round(open_s, 2),
    "rss_before_mb": round(before, 1), "rss_after_mb": round(after, 1),
    "rss_added_mb": round(after - before, 1),
    "healthz_median_ms": round(statistics.median(health), 2),
    "healthz_max_ms": round(max(health), 2),
    "healthz_after_push_max_ms": round(max(health_during), 2) if health_during else None,
    "last_update_ms_runs": [round(x) for x in lags_sent],
    "last_update_ms_max": round(max(lags_sent)) if lags_sent else None,
    "last_update_after_answer_ms_max": round(max(lags_answered)) if lags_answered else None,
    "streams_still_open": still_open,
}
for k, v in out.items():
    print(f"fanout_{k}={v}")
print(json.dumps(out))

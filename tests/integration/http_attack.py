#!/usr/bin/python3
"""Raw-socket attacks on jobfaird for the hardening tests.

  raw PORT HEX-OR-TEXT [WAIT]   send bytes as they are; print the reply
  streams PORT N PATH TOKEN     open N streams at once; print how many
                                were accepted, refused, and refused with
                                Retry-After
  uploads PORT N SIZE PATH [TOKEN] [PID]
                                N concurrent uploads of SIZE bytes each;
                                print the statuses and jobfaird's peak RSS
  nonreading PORT N PATH TOKEN PID SECONDS
                                N requests whose replies are never read;
                                print jobfaird's RSS after SECONDS
  hold PORT N SECONDS           open N idle connections, hold them, close

Each prints one line; the shell test judges it.
"""
import resource
import select
import socket
import sys
import time


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def tcp_mem_kb():
    """Kernel memory held by all TCP sockets (for what RSS does not show)."""
    with open("/proc/net/sockstat") as f:
        for line in f:
            if line.startswith("TCP:"):
                fields = line.split()
                return int(fields[fields.index("mem") + 1]) * 4
    return 0


def connect(port):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_reply(s, timeout):
    """Everything the server sends within timeout, or until it closes."""
    s.settimeout(timeout)
    data = b""
    end = time.time() + timeout
    try:
        while time.time() < end:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep:
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        if len(body) >= int(line.split(b":")[1]):
                            return data
    except (socket.timeout, ConnectionResetError):
        pass
    return data


def status_of(data):
    parts = data.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def cmd_raw(port, text, wait="3"):
    s = connect(port)
    s.sendall(text.encode("utf-8", "surrogateescape").decode(
        "unicode_escape").encode("latin-1"))
    t0 = time.time()
    data = read_reply(s, float(wait))
    ms = int((time.time() - t0) * 1000)
    sys.stdout.buffer.write(data + b"\n")
    print(f"#ms {ms}")


def cmd_streams(port, n, path, token):
    raise_nofile()
    n = int(n)
    socks = []
    for _ in range(n):
        s = connect(port)
        socks.append(s)
    req = (f"GET {path} HTTP/1.1\r\nHost: x\r\n"
           f"Authorization: Bearer {token}\r\n\r\n").encode()
    for s in socks:
        s.sendall(req)
    status, retry = {}, {}
    pending = {s.fileno(): s for s in socks}
    bufs = {s.fileno(): b"" for s in socks}
    end = time.time() + 60
    poller = select.poll()
    for s in socks:
        poller.register(s, select.POLLIN)
    while pending and time.time() < end:
        for fd, _ in poller.poll(1000):
            s = pending.get(fd)
            if s is None:
                continue
            try:
                chunk = s.recv(4096)
            except ConnectionResetError:
                chunk = b""
            fd = s.fileno()
            bufs[fd] += chunk
            if b"\r\n\r\n" in bufs[fd] or not chunk:
                status[fd] = status_of(bufs[fd])
                retry[fd] = b"\r\nRetry-After: " in bufs[fd]
                del pending[fd]
                poller.unregister(fd)
    ok = sum(1 for v in status.values() if v == 200)
    refused = sum(1 for v in status.values() if v == 503)
    print(ok, refused, sum(retry.values()))
    for s in socks:
        s.close()


def cmd_uploads(port, n, size, path, token="", pid=""):
    raise_nofile()
    n, size = int(n), int(size)
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    head = (f"POST {path} HTTP/1.1\r\nHost: x\r\n{auth}"
            f"Content-Type: application/json\r\n"
            f"Content-Length: {size}\r\n\r\n").encode()
    socks = [connect(port) for _ in range(n)]
    for s in socks:
        s.sendall(head)
        s.setblocking(False)
    left = {s: size for s in socks}
    chunk = b"x" * 65536
    replies = {s: b"" for s in socks}
    peak = 0
    end = time.time() + 60
    while time.time() < end:
        writers = [s for s, k in left.items() if k > 0]
        readers = [s for s in socks if b"\r\n\r\n" not in replies[s]]
        if not writers and not readers:
            break
        r, w, _ = select.select(readers, writers, [], 0.5)
        for s in r:
            try:
                data = s.recv(65536)
            except (ConnectionResetError, BlockingIOError):
                data = b""
            if data:
                replies[s] += data
            else:
                left[s] = 0
                if b"\r\n\r\n" not in replies[s]:
                    replies[s] += b"closed\r\n\r\n"
        for s in w:
            try:
                left[s] -= s.send(chunk[:min(left[s], len(chunk))])
            except BlockingIOError:
                pass
            except (BrokenPipeError, ConnectionResetError):
                left[s] = 0
        if pid:
            peak = max(peak, rss_kb(pid))
        if not writers and all(b"\r\n\r\n" in v for v in replies.values()):
            break
    counts = {}
    for v in replies.values():
        st = status_of(v)
        counts[st] = counts.get(st, 0) + 1
    print(" ".join(f"{k}:{v}" for k, v in sorted(counts.items())),
          f"peak_rss_kb:{peak}")
    for s in socks:
        s.close()


def cmd_nonreading(port, n, path, token, pid, seconds):
    raise_nofile()
    req = (f"GET {path} HTTP/1.1\r\nHost: x\r\n"
           f"Authorization: Bearer {token}\r\n\r\n").encode()
    socks = []
    peak = 0
    for _ in range(int(n)):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", int(port)))
        s.sendall(req)
        socks.append(s)
    end = time.time() + float(seconds)
    tcp = 0
    while time.time() < end:
        peak = max(peak, rss_kb(pid))
        tcp = max(tcp, tcp_mem_kb())
        time.sleep(0.2)
    print(f"peak_rss_kb:{peak} rss_kb:{rss_kb(pid)} peak_tcp_kb:{tcp}")
    for s in socks:
        s.close()


def cmd_hold(port, n, seconds):
    raise_nofile()
    socks = []
    for _ in range(int(n)):
        try:
            socks.append(connect(port))
        except OSError:
            break
    time.sleep(float(seconds))
    for s in socks:
        s.close()
    print(len(socks))


if __name__ == "__main__":
    cmd = sys.argv[1]
    args = sys.argv[2:]
    args[0] = int(args[0])
    {"raw": cmd_raw, "streams": cmd_streams, "uploads": cmd_uploads,
     "nonreading": cmd_nonreading, "hold": cmd_hold}[cmd](*args)

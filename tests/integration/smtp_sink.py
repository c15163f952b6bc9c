#!/usr/bin/python3
"""A local SMTP sink for the mail tests (Debian's python3-aiosmtpd).

smtp_sink.py PORT DIR [USER PASSWORD]: listens on 127.0.0.1:PORT and writes
each message as DIR/<n>.eml (the DATA as received, CRLF line ends). With
USER and PASSWORD, AUTH is required (over plain TCP: loopback only) and a
wrong password is refused. A recipient nobody@… is refused with 550. While DIR/.slow exists, each
message waits 0.2 s before it is taken (a slow relay, to stop jobfaird
mid-queue).
Prints "ready" once listening; stops on SIGTERM.
"""
import asyncio
import itertools
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

port, out = int(sys.argv[1]), sys.argv[2]
creds = (sys.argv[3].encode(), sys.argv[4].encode()) if len(sys.argv) > 4 else None
seq = itertools.count(len(os.listdir(out)) + 1)


class Sink:
    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith("nobody@"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(out, ".slow")):
            await asyncio.sleep(0.2)
        n = next(seq)
        tmp = os.path.join(out, ".%d.tmp" % n)
        with open(tmp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, os.path.join(out, "%04d.eml" % n))
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = creds is not None and (auth_data.login, auth_data.password) == creds
    return AuthResult(success=ok)


kwargs = {}
if creds:
    kwargs = dict(authenticator=authenticator, auth_required=True,
                  auth_require_tls=False)
controller = Controller(Sink(), hostname="127.0.0.1", port=port, **kwargs)
controller.start()
print("ready", flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
signal.signal(signal.SIGINT, lambda *_: stop.set())
stop.wait()
controller.stop()

#!/usr/bin/python3
"""A real SMTP server for Pulse's tests (aiosmtpd, Debian's python3-aiosmtpd; test-only).

Each message it accepts is written to OUT/<n>.json as Python's email package reads it, so
that the tests check what an independent implementation decodes, not what Pulse meant.
Prints "PORT <n>" once it is listening, then serves until killed.

  --out DIR            where accepted messages go (required)
  --tls CERT KEY       offer STARTTLS with this certificate, and require it
  --auth USER:PASS     require AUTH (PLAIN or LOGIN) with these credentials
  --fail-first CODE    answer the first DATA of each Message-ID with CODE (451 or 554)
  --reject ADDRESS     answer RCPT TO:<ADDRESS> with 550
  --port N             listen on N (default: a free port)
"""
import argparse, email, email.policy, json, os, socket, ssl, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--out", required=True)
parser.add_argument("--tls", nargs=2)
parser.add_argument("--auth")
parser.add_argument("--fail-first", type=int)
parser.add_argument("--reject", action="append", default=[])
parser.add_argument("--port", type=int, default=0)
args = parser.parse_args()

class Handler:
    def __init__(self):
        self.seen = set()
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in args.reject:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        mid = message["Message-ID"]
        if args.fail_first and mid not in self.seen:
            self.seen.add(mid)
            return f"{args.fail_first} 4.3.0 try again later" if args.fail_first < 500 else f"{args.fail_first} 5.7.1 refused"
        self.count += 1
        record = {
            "mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "to": str(message["To"]), "from": str(message["From"]),
            "subject": str(message["Subject"]), "raw_subject": message.get("Subject").__str__() if False else None,
            "message_id": mid, "body": message.get_content(), "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated), "transfer_encoding": str(message["Content-Transfer-Encoding"]),
            "mail_options": envelope.mail_options,
        }
        raw = (envelope.original_content or envelope.content)
        record["raw_subject"] = next((l for l in raw.decode("utf-8", "replace").split("\r\n") if l.startswith("Subject:")), "")
        path = os.path.join(args.out, f"{time.time_ns()}-{self.count}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(path + ".tmp", path)
        return "250 2.0.0 accepted"

def authenticator(server, session, envelope, mechanism, auth_data):
    user, password = args.auth.split(":", 1)
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok, handled=False)

port = args.port
if port == 0:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()

kwargs = {}
if args.tls:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.tls[0], args.tls[1])
    kwargs.update(tls_context=context, require_starttls=True)
if args.auth:
    kwargs.update(authenticator=authenticator, auth_require_tls=True)
controller = Controller(Handler(), hostname="127.0.0.1", port=port, server_hostname="localhost", **kwargs)
controller.start()
print(f"PORT {port}", flush=True)
try:
    while True:
        time.sleep(3600)
except KeyboardInterrupt:
    pass

# A mail catcher for tests: aiosmtpd on 127.0.0.1, each message received
# written (whole, as the server got it) to a file in a folder.
# Usage: server.py PORT FOLDER MODE [USER PASSWORD] [CERT KEY]
#   MODE: plain | starttls | tls
import os
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

port, folder, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3]
user, password = (sys.argv[4], sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] else (None, None)
cert, key = (sys.argv[6], sys.argv[7]) if len(sys.argv) > 7 else (None, None)


class Keep:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            number = self.count
        partial = os.path.join(folder, "%06d.part" % number)
        with open(partial, "wb") as out:
            out.write(envelope.original_content or envelope.content)
        os.rename(partial, os.path.join(folder, "%06d.eml" % number))
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = (
        user is not None
        and auth_data.login.decode() == user
        and auth_data.password.decode() == password
    )
    # Not handled: aiosmtpd answers 235 or 535 itself.
    return AuthResult(success=ok, handled=False)


context = None
if cert:
    # One context for the server's side and for aiosmtpd's own readiness probe.
    context = ssl.SSLContext(ssl.PROTOCOL_TLS)
    context.load_cert_chain(cert, key)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

options = dict(hostname="127.0.0.1", port=port)
if user is not None:
    options.update(authenticator=authenticate, auth_required=True, auth_require_tls=(mode == "starttls"))
if mode == "starttls":
    options.update(tls_context=context, require_starttls=True)
elif mode == "tls":
    options.update(ssl_context=context)

controller = Controller(Keep(), **options)
controller.start()
print("ready", flush=True)
try:
    sys.stdin.read()
finally:
    controller.stop()

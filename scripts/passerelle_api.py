"""What the Python scripts share: a server, calling the API, a free port, and a completed simulator session."""
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

# A transport company's answers: TICPE eligible, three products to migrate.
ANSWERS = {
    "GENERAL_001": "transport_marchandises", "GENERAL_002": "de_1m_a_5m", "GENERAL_003": "de_21_a_50",
    "GENERAL_004": "non", "FONCIER_002": False, "GENERAL_005": True, "TICPE_001": True, "TICPE_002": "de_11_a_25",
    "TICPE_003": ["camions_plus_7_5t"], "TICPE_004": "oui_tous", "TICPE_005": "plus_50000", "TICPE_006": ["gazole"],
    "TICPE_007": "trois_ans", "TICPE_008": "cent_pour_cent", "TICPE_009": "plus_60000", "TICPE_010": "oui_toutes_stations",
    "TICPE_011": "systematiquement", "TICPE_012": "oui_100", "TICPE_013": "non", "TICPE_015": "totalite",
    "TICPE_017": "une_ou_deux_regions", "TICPE_018": 12, "URSSAF_001": "non", "URSSAF_002": ["taux_atmp_conteste"],
    "DFS_001": 18, "DFS_002": "non", "CEE_001": "non", "CIR_001": "non",
}


class Verdict:
    """A script's checks: each failure printed as it happens, then one closing line and the exit status."""
    def __init__(self):
        self.failures = []
        self.started = time.monotonic()

    def fail(self, message):
        print(f"  ÉCHEC : {message}")
        self.failures.append(message)

    def check(self, condition, message, show_success=False):
        if not condition:
            self.fail(message)
        elif show_success:
            print(f"  ok : {message}")

    def finish(self, title, success, hint=""):
        """Prints `title terminé(s) en N s : success` or the count of failures, and exits."""
        outcome = success if not self.failures else f"{len(self.failures)} échec(s){hint}."
        print(f"{title} en {time.monotonic() - self.started:.0f} s : {outcome}")
        sys.exit(1 if self.failures else 0)


def signup_form(email):
    """A sign-up form that passes every check (the SIREN's key is valid)."""
    return {"email": email, "password": "motdepasse2026", "name": "Jeanne Martin",
            "company_name": "Transports Martin", "phone_number": "0123456789", "siren": "443061841",
            "address": "12 rue des Lilas", "city": "Orléans", "postal_code": "45000"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port, method, path, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def answered_session(port):
    """A session with every answer saved, not yet completed."""
    status, body = call(port, "POST", "/api/simulator/sessions")
    assert status == 201, (status, body)
    token = body["session_token"]
    status, body = call(port, "PUT", f"/api/simulator/sessions/{token}/answers", {"answers": ANSWERS})
    assert status == 200, (status, body)
    return token


def completed_session(port):
    token = answered_session(port)
    status, body = call(port, "POST", f"/api/simulator/sessions/{token}/complete")
    assert status == 200, (status, body)
    return token


class Server:
    """`passerelle serve` on a free port, on the database `database` names (environment variables),
    with bcrypt's cheapest cost and the address budgets off; waits for /health."""
    def __init__(self, binary, database, log_level="warning"):
        self.port = free_port()
        self.workdir = tempfile.mkdtemp(prefix="passerelle-browser-")
        env = dict(os.environ, PORT=str(self.port), SWIFT_BACKTRACE="enable=no", BCRYPT_COST="4", LOG_LEVEL=log_level,
                   PASSWORD_ATTEMPTS_PER_MINUTE="0", SESSIONS_PER_MINUTE="0")
        env.pop("DATABASE_URL", None)
        env.update(database)
        self.log = open(os.path.join(self.workdir, "server.log"), "w")
        self.process = subprocess.Popen([binary, "serve"], env=env, cwd=self.workdir, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2)
                return
            except Exception:
                if self.process.poll() is not None:
                    raise SystemExit(f"server exited; see {self.log.name}")
                time.sleep(0.2)
        raise SystemExit("server did not start")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        self.log.close()

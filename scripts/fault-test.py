#!/usr/bin/env python3
"""Fault suite: what production does to a server, tried on real `passerelle serve` processes.

- PostgreSQL restarted under a transactional load: no 500, no request hangs, every route works
  within 5 s of the database answering again, and the invariants hold.
- SIGTERM under load, 10 trials per database: exit 0, no 500, and every request the server started
  was answered (the responses it logged are the ones the clients received).
- 100 double clicks on sign-up per database: one 201 and one 200 each.
- `migrate-batch` beside a loaded server on one SQLite file: no 500.
- 1 100 idle connections: a normal request still answered within a second.
- Three servers started at the same moment on a fresh PostgreSQL database, then on a fresh SQLite
  file: all come up with the whole schema applied once, and a visitor's journey passes through each.

Each experiment prints its counts; any violation fails the run. Bounded: every loop has a count or a
deadline. Usage: scripts/fault-test.py BINARY PG_BIN PG_PORT PG_DIR
"""
import concurrent.futures
import http.client
import json
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from passerelle_api import ANSWERS, free_port, signup_form

binary, pg_bin, pg_port, pg_dir = sys.argv[1:5]
psql = [os.path.join(pg_bin, "psql"), "-h", "127.0.0.1", "-p", pg_port, "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-At"]
workdir = tempfile.mkdtemp(prefix="passerelle-fault-")
failures = []


def fail(message):
    print(f"  ÉCHEC : {message}")
    failures.append(message)


def sql(query, db):
    return subprocess.run(psql + ["-d", db, "-c", query], check=True, capture_output=True, text=True).stdout.strip()


def as_postgres(command):
    """Runs a PostgreSQL tool as its owner. No pipe: a server it starts would hold it open."""
    if os.getuid() == 0:
        command = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{part}'" for part in command)]
    return subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


class Outcome:
    """What one request came to: a status, or the way it failed without one."""

    def __init__(self, status=None, body=None, error=None, seconds=0.0):
        self.status, self.body, self.error, self.seconds = status, body, error, seconds


def request(port, method, path, body=None, token=None, timeout=15.0, keep=None):
    """One request on a fresh connection (Connection: close), so a refusal at connect time is told
    apart from a request the server dropped."""
    started = time.monotonic()
    headers = {"Connection": "close"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        try:
            connection.connect()
        except ConnectionRefusedError:
            return Outcome(error="refused", seconds=time.monotonic() - started)
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return Outcome(response.status, parsed, seconds=time.monotonic() - started)
    except socket.timeout:
        return Outcome(error="timeout", seconds=time.monotonic() - started)
    except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected, http.client.BadStatusLine) as error:
        return Outcome(error=f"reset:{type(error).__name__}", seconds=time.monotonic() - started)
    finally:
        connection.close()


class Server:
    def __init__(self, name, database, extra=None, open_files=None, wait=True):
        self.name, self.port = name, free_port()
        self.log_path = os.path.join(workdir, f"{name}.log")
        env = dict(os.environ, PORT=str(self.port), LOG_LEVEL="info", SWIFT_BACKTRACE="enable=no", BCRYPT_COST="4",
                   PASSWORD_ATTEMPTS_PER_MINUTE="0", SESSIONS_PER_MINUTE="0", DATABASE_POOL_TIMEOUT="5000")
        env.pop("DATABASE_URL", None)
        env.update(database)
        env.update(extra or {})
        self.env = env
        self.log = open(self.log_path, "w")
        def limit():
            # The usual soft limit of a service (1 024 open files), which the server raises itself.
            if open_files:
                resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
        self.process = subprocess.Popen([binary, "serve"], env=env, stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=limit)
        if wait:
            self.wait_ready()

    def wait_ready(self):
        name = self.name
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{name}: server exited with {self.process.returncode}; see {self.log_path}")
            if request(self.port, "GET", "/health", timeout=2).status == 200:
                return
            time.sleep(0.2)
        raise SystemExit(f"{name}: server did not start")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def logged(self):
        with open(self.log_path, errors="replace") as log:
            return log.read()


def completed_session(port):
    created = request(port, "POST", "/api/simulator/sessions")
    if created.status != 201:
        return None, [created]
    token = created.body["session_token"]
    answered = request(port, "PUT", f"/api/simulator/sessions/{token}/answers", {"answers": ANSWERS})
    completed = request(port, "POST", f"/api/simulator/sessions/{token}/complete")
    return (token if completed.status == 200 else None), [created, answered, completed]


def journey(port, email):
    """A visitor's whole path, each request its own transaction: session, answers, results, sign-up."""
    token, outcomes = completed_session(port)
    if token:
        outcomes.append(request(port, "POST", "/api/session-migration/migrate",
                                {"session_token": token, "client_data": signup_form(email)}))
    return outcomes


class Load:
    """Visitors' journeys from `workers` threads until stopped; every outcome kept. A worker ends early
    once the server refuses connections (it has stopped) when `until_refused`."""

    def __init__(self, port, workers, prefix, until_refused=False):
        self.outcomes, self.lock, self.stop = [], threading.Lock(), threading.Event()
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
        self.futures = [self.pool.submit(self.run, port, f"{prefix}-{n}", until_refused) for n in range(workers)]

    def run(self, port, prefix, until_refused):
        i = 0
        while not self.stop.is_set():
            i += 1
            result = journey(port, f"{prefix}-{i}@example.fr")
            with self.lock:
                self.outcomes.extend(result)
            if until_refused and any(o.error == "refused" for o in result):
                return

    def finish(self):
        self.stop.set()
        for future in self.futures:
            future.result(timeout=120)
        self.pool.shutdown()
        return self.outcomes


def invariants(db_query):
    """Each migrated session: one Simulation, one audit event, products without duplicates."""
    problems = []
    rows = db_query("""SELECT count(*) FROM "TemporarySession" s WHERE s.status = 'migrated' AND
                       ((SELECT count(*) FROM "Simulation" m WHERE m.session_id = s.id) <> 1 OR
                        (SELECT count(*) FROM "AuditEvent" a WHERE a.session_id = s.id) <> 1)""")
    if rows != "0":
        problems.append(f"{rows} session(s) migrée(s) sans exactement une Simulation et un événement d'audit")
    duplicates = db_query("""SELECT count(*) FROM (SELECT "clientId", "produitId" FROM "ClientProduitEligible"
                             GROUP BY 1, 2 HAVING count(*) > 1) d""")
    if duplicates != "0":
        problems.append(f"{duplicates} produit(s) en double chez un client")
    orphans = db_query("""SELECT count(*) FROM "Client" c WHERE c.role = 'client' AND NOT EXISTS
                          (SELECT 1 FROM "Simulation" m WHERE m."clientId" = c.id)""")
    if orphans != "0":
        problems.append(f"{orphans} compte(s) client créé(s) sans la migration de leur inscription")
    return problems


def sqlite_query(path):
    def run(query):
        return subprocess.run(["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]);"
                               "print(c.execute(sys.argv[2]).fetchone()[0])", path, query],
                              check=True, capture_output=True, text=True).stdout.strip()
    return run


def fresh_postgres(name):
    sql(f"DROP DATABASE IF EXISTS {name}", "postgres")
    sql(f"CREATE DATABASE {name}", "postgres")
    return {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg_port}/{name}?sslmode=disable"}, lambda q: sql(q, name)


def fresh_sqlite(name):
    path = os.path.join(workdir, f"{name}.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return {"SQLITE_PATH": path}, sqlite_query(path)


def count(outcomes, predicate):
    return sum(1 for outcome in outcomes if predicate(outcome))


# ----------------------------------------------------------------------------------------------
def postgres_restart():
    print("== PostgreSQL redémarré sous charge ==")
    database, query = fresh_postgres("faultrestart")
    server = Server("restart", database)
    recoveries = []
    load = Load(server.port, 8, "redemarrage")
    for _ in range(3):
        time.sleep(1.5)
        restarted = as_postgres([os.path.join(pg_bin, "pg_ctl"), "-D", os.path.join(pg_dir, "data"), "-l",
                                 os.path.join(pg_dir, "server.log"), "-m", "fast", "-w", "restart"])
        back = time.monotonic()
        if restarted.returncode != 0:
            fail(f"pg_ctl restart : code {restarted.returncode}")
        # Within 5 s of PostgreSQL answering again, every route works (the load goes on meanwhile).
        recovered = None
        while time.monotonic() - back < 30:
            token, steps = completed_session(server.port)
            steps.append(request(server.port, "GET", "/health"))
            if token:
                steps.append(request(server.port, "POST", "/api/session-migration/migrate",
                                     {"session_token": token, "client_data": signup_form(f"apres-{time.time_ns()}@example.fr")}))
                steps.append(request(server.port, "GET", f"/api/simulator/sessions/{token}/results"))
            if all(step.status in (200, 201) for step in steps):
                recovered = time.monotonic() - back
                break
            time.sleep(0.1)
        recoveries.append(recovered)
    time.sleep(2)
    outcomes = load.finish()
    server.stop()

    errors500 = count(outcomes, lambda o: o.status is not None and o.status >= 500 and o.status != 503)
    unavailable = count(outcomes, lambda o: o.status == 503)
    hung = count(outcomes, lambda o: o.error == "timeout")
    dropped = count(outcomes, lambda o: o.error and o.error != "refused")
    slow503 = count(outcomes, lambda o: o.status == 503 and o.seconds > 6)
    print(f"  {len(outcomes)} requêtes : {count(outcomes, lambda o: o.status and o.status < 400)} réussies, "
          f"{unavailable} en 503, {errors500} en 500, {hung} sans réponse en 15 s, {dropped} coupées ; "
          f"503 lents (> 6 s) : {slow503}")
    print("  trois redémarrages ; toutes les routes répondent de nouveau "
          + ", ".join(f"{r:.1f} s" if r is not None else "jamais (30 s)" for r in recoveries) + " après le retour de PostgreSQL")
    if errors500:
        fail(f"{errors500} réponse(s) 500 pendant le redémarrage")
    if hung or dropped:
        fail(f"{hung} requête(s) bloquée(s), {dropped} coupée(s)")
    if slow503:
        fail(f"{slow503} réponse(s) 503 après plus de 6 s")
    if any(r is None or r > 5 for r in recoveries):
        fail("le service n'a pas retrouvé toutes ses routes dans les 5 s")
    for problem in invariants(query):
        fail(problem)


# ----------------------------------------------------------------------------------------------
def sigterm_trials(kind, trials=10):
    print(f"== SIGTERM sous charge, {trials} essais ({kind}) ==")
    totals = {"served": 0, "refused": 0, "503": 0, "500": 0, "reset": 0, "exit": []}
    for trial in range(trials):
        database, query = fresh_postgres(f"faultterm{trial}") if kind == "PostgreSQL" else fresh_sqlite(f"term{trial}")
        server = Server(f"term-{kind}-{trial}", database)
        load = Load(server.port, 6, f"arret-{trial}", until_refused=True)
        time.sleep(0.8 + random.random())
        server.process.send_signal(signal.SIGTERM)
        try:
            code = server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            code = "bloqué"
        outcomes = load.finish()
        server.log.close()
        # Every response the server sent, but the start-up probes of /health (not the clients').
        logged = len(re.findall(r"^\[ INFO \] (?!GET /health ).* → \d{3} en", server.logged(), re.MULTILINE))
        received = count(outcomes, lambda o: o.status is not None)
        totals["exit"].append(code)
        totals["served"] += count(outcomes, lambda o: o.status is not None and o.status < 500)
        totals["refused"] += count(outcomes, lambda o: o.error == "refused")
        totals["503"] += count(outcomes, lambda o: o.status == 503)
        totals["500"] += count(outcomes, lambda o: o.status is not None and o.status >= 500 and o.status != 503)
        resets = count(outcomes, lambda o: o.error and o.error != "refused")
        totals["reset"] += resets
        if code != 0:
            fail(f"{kind}, essai {trial + 1} : code de sortie {code}")
        if logged != received:
            fail(f"{kind}, essai {trial + 1} : {logged} réponse(s) envoyée(s), {received} reçue(s) : requête commencée puis coupée")
        if "Fatal error" in server.logged():
            fail(f"{kind}, essai {trial + 1} : le processus s'est arrêté sur une erreur fatale")
        for problem in invariants(query):
            fail(f"{kind}, essai {trial + 1} : {problem}")
    print(f"  codes de sortie : {totals['exit']} ; réponses reçues : {totals['served']} (dont {totals['503']} en 503), "
          f"500 : {totals['500']}, refusées à la connexion : {totals['refused']}, "
          f"fermées avant toute lecture par le serveur : {totals['reset']}")
    if totals["500"]:
        fail(f"{kind} : {totals['500']} réponse(s) 500 pendant l'arrêt")


# ----------------------------------------------------------------------------------------------
def double_clicks(kind, pairs=100):
    print(f"== {pairs} doubles clics sur l'inscription ({kind}) ==")
    database, query = fresh_postgres("faultclick") if kind == "PostgreSQL" else fresh_sqlite("click")
    server = Server(f"click-{kind}", database)
    tally = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        tokens = [t for t, _ in pool.map(lambda _: completed_session(server.port), range(pairs))]
        for i, token in enumerate(tokens):
            body = {"session_token": token, "client_data": signup_form(f"double-{i}@example.fr")}
            first, second = pool.submit(request, server.port, "POST", "/api/session-migration/migrate", body), \
                pool.submit(request, server.port, "POST", "/api/session-migration/migrate", body)
            pair = tuple(sorted(str(o.status or o.error) for o in (first.result(), second.result())))
            tally[pair] = tally.get(pair, 0) + 1
    server.stop()
    print(f"  paires : {dict(sorted(tally.items()))}")
    bad = sum(n for pair, n in tally.items() if pair != ("200", "201"))
    if bad:
        fail(f"{kind} : {bad} double(s) clic(s) sans 201 + 200")
    for problem in invariants(query):
        fail(f"{kind} : {problem}")


# ----------------------------------------------------------------------------------------------
def servers_started_together(kind, count=3):
    print(f"== {count} serveurs démarrés ensemble sur une base neuve ({kind}) ==")
    database, query = fresh_postgres("faultstart") if kind == "PostgreSQL" else fresh_sqlite("start")
    servers = [Server(f"start-{kind}-{n}", database, wait=False) for n in range(count)]
    try:
        for server in servers:
            server.wait_ready()
    except SystemExit as error:
        fail(f"{kind} : {error}")
        for server in servers:
            server.stop()
        return
    journeys = [journey(server.port, f"start-{kind.lower()}-{n}@example.fr") for n, server in enumerate(servers)]
    statuses = [[outcome.status for outcome in outcomes] for outcomes in journeys]
    for server in servers:
        server.stop()
    changes = int(query('SELECT count(*) FROM "_fluent_migrations"'))
    distinct = int(query('SELECT count(DISTINCT "name") FROM "_fluent_migrations"'))
    print(f"  parcours : {statuses} ; changements du schéma enregistrés : {changes} (distincts : {distinct})")
    if any(status != [201, 200, 200, 201] for status in statuses):
        fail(f"{kind} : un parcours a échoué sur un des serveurs : {statuses}")
    if changes != distinct or changes < 20:
        fail(f"{kind} : schéma appliqué {changes} fois pour {distinct} changements")
    products = query('SELECT count(*) - count(DISTINCT "code") FROM "ProduitEligible"')
    if products != "0":
        fail(f"{kind} : {products} produit(s) du catalogue en double")
    for problem in invariants(query):
        fail(f"{kind} : {problem}")


# ----------------------------------------------------------------------------------------------
def batch_beside_server():
    print("== migrate-batch à côté d'un serveur chargé, même fichier SQLite ==")
    database, query = fresh_sqlite("batch")
    server = Server("batch", database)
    signup = request(server.port, "POST", "/api/session-migration/migrate",
                     {"session_token": completed_session(server.port)[0], "client_data": signup_form("lot@example.fr")})
    if signup.status != 201:
        fail(f"inscription préalable : {signup.status}")
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        tokens = [t for t, _ in pool.map(lambda _: completed_session(server.port), range(300))]
    csv = os.path.join(workdir, "lot.csv")
    with open(csv, "w") as file:
        file.write("session_token,client_email\n" + "".join(f"{t},lot@example.fr\n" for t in tokens))
    load = Load(server.port, 6, "lot")
    env = dict(server.env, LOG_LEVEL="warning", MIGRATION_BATCH_SIZE="20")
    batch = subprocess.run([binary, "migrate-batch", "--file", csv], env=env, capture_output=True, text=True, timeout=300)
    outcomes = load.finish()
    server.stop()
    summary = [line for line in batch.stdout.splitlines() if line.startswith("Bilan")]
    errors500 = count(outcomes, lambda o: o.status is not None and o.status >= 500 and o.status != 503)
    busy = count(outcomes, lambda o: o.status == 503)
    slowest = max((o.seconds for o in outcomes), default=0)
    print(f"  lot : {summary[0] if summary else batch.stdout.strip()[-200:]} (code {batch.returncode}) ; serveur : "
          f"{len(outcomes)} requêtes, {errors500} en 500, {busy} en 503, la plus lente {slowest:.1f} s")
    if batch.returncode != 0:
        fail(f"migrate-batch : code {batch.returncode} : {batch.stderr.strip()[-300:]}")
    if errors500:
        fail(f"{errors500} réponse(s) 500 du serveur pendant le lot")
    if slowest > 10:
        fail(f"une requête a attendu {slowest:.1f} s")
    for problem in invariants(query):
        fail(problem)


# ----------------------------------------------------------------------------------------------
def idle_connections(count_open=1100):
    print(f"== {count_open} connexions inactives ==")
    database, _ = fresh_sqlite("idle")
    server = Server("idle", database, {"IDLE_CONNECTION_TIMEOUT_SECONDS": "30"}, open_files=1024)
    sockets = []
    try:
        for i in range(count_open):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            if i % 2:
                s.sendall(b"POST /api/simulator/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{")
            sockets.append(s)
        time.sleep(1)
        started = time.monotonic()
        answer = request(server.port, "GET", "/api/simulator/questions", timeout=5)
        elapsed = time.monotonic() - started
        print(f"  {len(sockets)} connexions ouvertes (la moitié avec une requête à demi envoyée) ; "
              f"questionnaire : {answer.status or answer.error} en {elapsed * 1000:.0f} ms")
        if answer.status != 200 or elapsed > 1:
            fail(f"requête normale : {answer.status or answer.error} en {elapsed:.2f} s")
    finally:
        for s in sockets:
            s.close()
        server.stop()


def main():
    started = time.monotonic()
    experiments = {
        "restart": postgres_restart,
        "clicks": lambda: (double_clicks("PostgreSQL"), double_clicks("SQLite")),
        "sigterm": lambda: (sigterm_trials("PostgreSQL"), sigterm_trials("SQLite")),
        "batch": batch_beside_server,
        "idle": idle_connections,
        "startup": lambda: (servers_started_together("PostgreSQL"), servers_started_together("SQLite")),
    }
    # FAULT_ONLY=name[,name]: some of them (while working on one).
    chosen = os.environ.get("FAULT_ONLY", ",".join(experiments)).split(",")
    for name in chosen:
        experiments[name]()
    print(f"Suite de pannes terminée en {time.monotonic() - started:.0f} s : "
          + ("réussie." if not failures else f"{len(failures)} violation(s)."))
    sys.exit(1 if failures else 0)


main()

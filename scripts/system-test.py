#!/usr/bin/env python3
"""End-to-end check with real processes on one PostgreSQL database:
two `passerelle serve` processes receive parallel migrations of one session (exactly one writes),
the documented SQL call runs as written through psql, and the CLI refuses with one line and a
non-zero exit. Usage: scripts/system-test.py BINARY PG_BIN PG_PORT"""
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
import time

from passerelle_api import call, completed_session, free_port, signup_form

binary, pg_bin, pg_port = sys.argv[1], sys.argv[2], sys.argv[3]
database = "systemtest"
url = f"postgres://postgres@127.0.0.1:{pg_port}/{database}?sslmode=disable"
psql = [os.path.join(pg_bin, "psql"), "-h", "127.0.0.1", "-p", pg_port, "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-At"]


def sql(query, db=database):
    return subprocess.run(psql + ["-d", db, "-c", query], check=True, capture_output=True, text=True).stdout.strip()


def start_server(port, log):
    env = dict(os.environ, DATABASE_URL=url, PORT=str(port), LOG_LEVEL="warning", SWIFT_BACKTRACE="enable=no", BCRYPT_COST="4")
    process = subprocess.Popen([binary, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(240):
        try:
            if call(port, "GET", "/health")[0] == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"server on {port} exited with {process.returncode}")
        time.sleep(0.25)
    raise SystemExit(f"server on {port} did not start")


def main():
    sql(f"DROP DATABASE IF EXISTS {database}", db="postgres")
    sql(f"CREATE DATABASE {database}", db="postgres")
    logs = tempfile.TemporaryDirectory()
    servers = []
    try:
        port_a, port_b = free_port(), free_port()
        # The first process creates the schema; the second finds it ready.
        servers.append(start_server(port_a, open(os.path.join(logs.name, "a.log"), "w")))
        servers.append(start_server(port_b, open(os.path.join(logs.name, "b.log"), "w")))

        form = signup_form("client@email.com")
        status, body = call(port_a, "POST", "/api/session-migration/migrate",
                            {"session_token": completed_session(port_a), "client_data": form})
        assert status == 201, (status, body)
        access, client_id = body["access_token"], body["client_id"]

        token = completed_session(port_b)
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            futures = [pool.submit(call, port_a if i % 2 else port_b, "POST", "/api/session-migration/migrate-existing",
                                   {"session_token": token}, access) for i in range(16)]
            results = [f.result() for f in futures]
        statuses = sorted({status for status, _ in results})
        first = [body for status, body in results if status == 200 and not body["already_migrated"]]
        assert statuses == [200], statuses
        assert len(first) == 1, f"{len(first)} migrations wrote"
        assert {body["client_id"] for _, body in results} == {client_id}
        session_id = sql(f"""SELECT id FROM "Simulation" WHERE session_id = (SELECT id FROM "TemporarySession"
                             WHERE session_token_hash = encode(sha256(convert_to('{token}', 'UTF8')), 'hex'))""")
        assert len(session_id.splitlines()) == 1, "exactly one Simulation row"
        audits = sql(f"""SELECT count(*) FROM "AuditEvent" WHERE session_id = (SELECT id FROM "TemporarySession"
                         WHERE session_token_hash = encode(sha256(convert_to('{token}', 'UTF8')), 'hex'))""")
        assert audits == "1", audits
        duplicates = sql("""SELECT count(*) FROM (SELECT "clientId", "produitId" FROM "ClientProduitEligible"
                            GROUP BY 1, 2 HAVING count(*) > 1) d""")
        assert duplicates == "0"
        print(f"Deux processus, 16 requêtes parallèles : 1 migration écrite, 15 réponses identiques, aucun doublon.")

        # The user's documented calls, as written.
        documented = completed_session(port_a)
        answer = json.loads(sql(f"SELECT migrate_simulator_to_existing_client('{documented}', 'client@email.com');"))
        assert answer["success"] is True and answer["client_email"] == "client@email.com", answer
        assert answer["message"] == "Migration réussie vers le client existant"
        rows = sql("""SELECT count(*) FROM "ClientProduitEligible"
                      WHERE "clientId" = (SELECT id FROM "Client" WHERE email = 'client@email.com')
                      AND metadata->>'migrated_from_simulator' = 'true';""")
        assert int(rows) == 3 == answer["migrated_products_count"], rows
        again = json.loads(sql(f"SELECT migrate_simulator_to_existing_client('{documented}', 'client@email.com');"))
        assert again["already_migrated"] is True, again
        print(f"Fonction SQL documentée : {answer['migrated_products_count']} produits, nouvel appel sans écriture.")

        # The command line: a one-line reason and a non-zero exit.
        env = dict(os.environ, DATABASE_URL=url, LOG_LEVEL="error", SWIFT_BACKTRACE="enable=no")
        refused = subprocess.run([binary, "migrate-session", "--token", "jeton-inconnu-0123456789", "--email", "client@email.com"],
                                 env=env, capture_output=True, text=True)
        lines = [line for line in refused.stderr.splitlines() if line.strip()]
        assert refused.returncode != 0, refused.returncode
        assert len(lines) == 1 and "SESSION_NOT_FOUND" in lines[0], refused.stderr
        print(f"Ligne de commande : « {lines[0]} », code de sortie {refused.returncode}.")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    print("Test système : réussi.")


main()

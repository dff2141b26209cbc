#!/usr/bin/env python3
"""A real Prometheus (Debian's) scrapes a running Passerelle with its bearer token and loads the
shipped alert rules; a sign-up migrates a session; the migration counter is read back through
PromQL, the target is up, and every rule is loaded and healthy.
Usage: scripts/prometheus-test.py BINARY
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from passerelle_api import Server, Verdict, call, completed_session, free_port, signup_form

binary = sys.argv[1]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
token = "jeton-de-collecte-prometheus-" + os.urandom(8).hex()
verdict = Verdict()


def check(condition, message):
    verdict.check(condition, message, show_success=True)


def query(port, path, **params):
    url = f"http://127.0.0.1:{port}{path}" + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def main():
    work = tempfile.mkdtemp(prefix="passerelle-prometheus-")
    os.environ["METRICS_TOKEN"] = token
    server = Server(binary, {"SQLITE_PATH": os.path.join(work, "passerelle.sqlite")})
    prometheus_port = free_port()
    config = os.path.join(work, "prometheus.yml")
    with open(config, "w") as file:
        file.write(f"""global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [{os.path.join(root, "deploy/prometheus/alerts.yml")}]
scrape_configs:
  - job_name: passerelle
    authorization: {{ credentials: "{token}" }}
    static_configs: [{{ targets: ["127.0.0.1:{server.port}"] }}]
""")
    log = open(os.path.join(work, "prometheus.log"), "w")
    prometheus = subprocess.Popen(
        ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={os.path.join(work, 'data')}",
         f"--web.listen-address=127.0.0.1:{prometheus_port}"], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{prometheus_port}/-/ready", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        # A sign-up: a session completed, then migrated into a new client.
        session = completed_session(server.port)
        status, body = call(server.port, "POST", "/api/session-migration/migrate",
                            {"session_token": session, "client_data": signup_form("prometheus@example.fr")})
        check(status == 201, f"sign-up migrated ({status})")
        deadline = time.monotonic() + 30
        wanted = 'sum(passerelle_session_migrations_total{path="signup",outcome="migrated"})'
        value = None
        while time.monotonic() < deadline:
            try:
                result = query(prometheus_port, "/api/v1/query", query=wanted)["data"]["result"]
                if result and float(result[0]["value"][1]) >= 1:
                    value = float(result[0]["value"][1])
                    break
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.5)
        check(value == 1, f"PromQL {wanted} = {value}")
        targets = query(prometheus_port, "/api/v1/targets")["data"]["activeTargets"]
        check([t["health"] for t in targets] == ["up"], f"the scrape target is up ({[t['health'] for t in targets]})")
        waits = query(prometheus_port, "/api/v1/query", query="sum(passerelle_database_pool_wait_seconds_count)")["data"]["result"]
        check(bool(waits) and float(waits[0]["value"][1]) >= 1, f"the writes' waits for a connection timed ({waits})")
        up = query(prometheus_port, "/api/v1/query", query="passerelle_database_up")["data"]["result"]
        check(bool(up) and up[0]["value"][1] == "1", "passerelle_database_up = 1")
        routes = query(prometheus_port, "/api/v1/query", query="http_requests_total")["data"]["result"]
        paths = {series["metric"].get("path") for series in routes}
        check("/api/session-migration/migrate" in paths and not any(session in (p or "") for p in paths),
              "HTTP requests by route pattern, no token")
        rules = [rule for group in query(prometheus_port, "/api/v1/rules")["data"]["groups"] for rule in group["rules"]]
        with open(os.path.join(root, "deploy/prometheus/alerts.yml"), encoding="utf-8") as handle:
            shipped = handle.read().count("- alert:")
        check(len(rules) == shipped and all(rule["health"] == "ok" for rule in rules),
              f"{len(rules)} alert rules loaded, all healthy")
        firing = [rule["name"] for rule in rules if rule["state"] != "inactive"]
        check(firing == [], f"no alert pending on a healthy server ({firing})")
    finally:
        prometheus.terminate()
        prometheus.wait(timeout=30)
        server.stop()
        log.close()
    verdict.finish("Test Prometheus terminé", "réussi.", hint=f" ; voir {work}")


main()

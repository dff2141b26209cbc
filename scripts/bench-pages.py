#!/usr/bin/env python3
"""The pages' benchmark (release build): the results page's HTML rate against the JSON results route,
same server, same session, same run, in ROUNDS rounds (5 by default) alternating the two, with their
medians and the ratio HTML ÷ JSON (target ≥ 0.8); then each page's size with its stylesheet and
script (target < 60 kB). wrk (Debian) sends the requests: CONCURRENCY connections (8), DURATION
seconds (4) per measure. Usage: scripts/bench-pages.py BINARY
"""
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

from passerelle_api import Server, completed_session

binary = sys.argv[1]
rounds = int(os.environ.get("ROUNDS", "5"))
concurrency = int(os.environ.get("CONCURRENCY", "8"))
duration = int(os.environ.get("DURATION", "4"))
limit = 60_000


def wrk(url, headers):
    command = ["wrk", "-t2", f"-c{concurrency}", f"-d{duration}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"réponses en erreur pendant la mesure :\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


class Browser:
    """Cookies kept, the CSRF token of the last page read put in each form."""
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None

    def get(self, path):
        return self._read(urllib.request.Request(self.base + path, headers={"Accept": "text/html"}))

    def post(self, path, fields=()):
        data = urllib.parse.urlencode(list(fields) + [("csrf", self.csrf)]).encode()
        return self._read(urllib.request.Request(self.base + path, data=data, headers={"Accept": "text/html"}))

    def _read(self, request):
        with self.opener.open(request, timeout=30) as response:
            body = response.read()
        token = re.search(rb'name="csrf" value="([0-9a-f]+)"', body)
        if token:
            self.csrf = token.group(1).decode()
        return body

    def hold(self, name, value):
        host = urllib.parse.urlparse(self.base).hostname
        self.jar.set_cookie(http.cookiejar.Cookie(
            0, name, value, None, False, host, False, False, "/", True, False, None, False, None, None, {}))

    def cookie_header(self):
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def main():
    server = Server(binary, {"SQLITE_PATH": os.path.join(tempfile.mkdtemp(), "bench.sqlite")}, log_level="error")
    try:
        token = completed_session(server.port)
        browser = Browser(server.url)
        browser.hold("passerelle_simulation", token)
        browser.get("/simulateur/resultats")  # the CSRF cookie, as a browser has it after its first page
        html_headers = {"Accept": "text/html", "Cookie": browser.cookie_header()}
        json_url = f"{server.url}/api/simulator/sessions/{token}/results"
        print(f"== Page des résultats (HTML) contre la route JSON des résultats : {rounds} manches de {duration} s, "
              f"{concurrency} connexions ==")
        rates = {"json": [], "html": []}
        for number in range(1, rounds + 1):
            rates["json"].append(wrk(json_url, {"Accept": "application/json"}))
            rates["html"].append(wrk(server.url + "/simulateur/resultats", html_headers))
            print(f"manche {number} : JSON {rates['json'][-1]:.0f} requêtes/s, HTML {rates['html'][-1]:.0f} requêtes/s")
        json_rate, html_rate = statistics.median(rates["json"]), statistics.median(rates["html"])
        ratio = html_rate / json_rate
        print(f"médianes : JSON {json_rate:.0f} requêtes/s, HTML {html_rate:.0f} requêtes/s ; "
              f"rapport HTML ÷ JSON {ratio:.2f} (objectif ≥ 0,8 : {'atteint' if ratio >= 0.8 else 'non atteint'})")

        print("== Poids de chaque page avec sa feuille de style et son script ==")
        assets = 0
        results_page = browser.get("/simulateur/resultats").decode()
        for path in re.findall(r'(?:href|src)="(/assets/[^"]+)"', results_page):
            assets += len(browser.get(path))
        visitor = Browser(server.url)
        pages = [("accueil", visitor.get("/"))]
        visitor.post("/simulateur/commencer")
        pages.append(("étape 1", visitor.get("/simulateur?etape=1")))
        pages += [("récapitulatif", browser.get("/simulateur/recapitulatif")), ("résultats", browser.get("/simulateur/resultats")),
                  ("inscription", browser.get("/inscription"))]
        form = [("name", "Jeanne Martin"), ("email", "bench@example.fr"), ("phone_number", "0123456789"),
                ("company_name", "Transports Martin"), ("siren", "443061841"), ("address", "12 rue des Lilas"),
                ("postal_code", "45000"), ("city", "Orléans"), ("password", "motdepasse2026")]
        pages.append(("espace", browser.post("/inscription", form)))
        pages.append(("connexion", Browser(server.url).get("/connexion")))
        worst = 0
        for name, body in pages:
            total = len(body) + assets
            worst = max(worst, total)
            print(f"{name} : {len(body)} octets + {assets} (feuille de style et script) = {total} octets")
        print(f"page la plus lourde : {worst} octets (objectif < {limit} : {'atteint' if worst < limit else 'non atteint'})")
    finally:
        server.stop()


main()

#!/usr/bin/env python3
"""Browser tests of the visitor's pages: Playwright driving Debian's chromium, axe-core on every page.

The journey — home, start, a question revealed by an answer, a validation error and its correction,
back, recap, modify, results — once with JavaScript enabled and once disabled, on SQLite, then once
on PostgreSQL. axe runs in a JavaScript-enabled context (it hangs where JavaScript is disabled) on
every page the journey met, error states included, and must find no violation. A screenshot of each
page at 1280 and 375 px wide goes to screenshots/ (ignored by git), for a person to look at.
Usage: scripts/browser-test.py BINARY [POSTGRES_URL]
"""
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from passerelle_api import ANSWERS, free_port

binary = sys.argv[1]
postgres_url = sys.argv[2] if len(sys.argv) > 2 else None
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shots = os.path.join(root, "screenshots")
os.makedirs(shots, exist_ok=True)
failures = []


def fail(message):
    print(f"  ÉCHEC : {message}")
    failures.append(message)


def check(condition, message):
    if not condition:
        fail(message)


class Server:
    def __init__(self, database):
        self.port = free_port()
        self.workdir = tempfile.mkdtemp(prefix="passerelle-browser-")
        env = dict(os.environ, PORT=str(self.port), SWIFT_BACKTRACE="enable=no", BCRYPT_COST="4", LOG_LEVEL="warning",
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


def answer_visible(page):
    """Answers every question shown with the haulier's answers (`ANSWERS`)."""
    for question, value in ANSWERS.items():
        if page.locator(f'[name="{question}"]').count() == 0:
            continue
        kind = page.locator(f'[name="{question}"]').first.get_attribute("type")
        if kind == "radio":
            wanted = ("oui" if value else "non") if isinstance(value, bool) else value
            page.locator(f'input[name="{question}"][value="{wanted}"]').check()
        elif kind == "checkbox":
            for box in page.locator(f'input[name="{question}"]').all():
                box.set_checked(box.get_attribute("value") in value)
        else:
            page.locator(f'input[name="{question}"]').fill(str(value).replace(".", ","))


def journey(browser, base, label, javascript, pages_seen):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + "/")
    check(page.title().endswith("— Passerelle"), f"{label}: home title {page.title()}")
    check(page.locator("h1").count() == 1, f"{label}: one h1 on the home page")
    pages_seen.setdefault("accueil", page.url)
    page.get_by_role("button", name="Commencer la simulation").click()
    check("/simulateur?etape=1" in page.url, f"{label}: start lands on step 1 ({page.url})")
    check(page.get_by_text("Étape 1 sur").count() == 1, f"{label}: step counter shown")
    pages_seen.setdefault("etape-1", page.url)

    # A required question left empty: the page again, the summary linking to the field, the answer kept.
    page.locator('input[name="GENERAL_001"][value="transport_marchandises"]').check()
    page.get_by_role("button", name="Continuer").click()
    summary = page.locator(".resume-erreurs")
    check(summary.count() == 1, f"{label}: error summary shown")
    check(page.locator('input[name="GENERAL_001"][value="transport_marchandises"]').is_checked(), f"{label}: answer kept")
    check(page.locator("fieldset[aria-describedby] input[aria-invalid=true]").count() > 0, f"{label}: invalid fields marked")
    check(page.title().startswith("Erreur"), f"{label}: the title says there is an error")
    summary.locator("a").first.click()
    pages_seen.setdefault("etape-1-erreurs", None)

    # Corrected, the step goes on; the fuel question reveals its follow-ups on the TICPE step.
    answer_visible(page)
    page.get_by_role("button", name="Continuer").click()
    revealed = False
    for _ in range(40):
        if "/simulateur/recapitulatif" in page.url:
            break
        heading = page.locator("h1").inner_text()
        before = {name for name in ANSWERS if page.locator(f'[name="{name}"]').count()}
        answer_visible(page)
        page.get_by_role("button", name="Continuer").click()
        if page.get_by_text("de nouvelles questions").count():
            revealed = True
            after = {name for name in ANSWERS if page.locator(f'[name="{name}"]').count()}
            check(after > before, f"{label}: revealed questions on {heading}")
            pages_seen.setdefault("questions-revelees", None)
    check(revealed, f"{label}: an answer revealed questions on its own step")
    check("/simulateur/recapitulatif" in page.url, f"{label}: the journey reaches the recap ({page.url})")
    pages_seen.setdefault("recapitulatif", page.url)

    # Modify an answer from the recap, and come back.
    page.locator("a[href$=\"#GENERAL_003\"]").click()
    check("etape=1" in page.url, f"{label}: modify goes back to its step")
    page.locator('input[name="GENERAL_003"][value="de_6_a_20"]').check()
    for _ in range(10):
        page.get_by_role("button", name="Continuer").click()
        if "/simulateur/recapitulatif" in page.url:
            break
    check(page.get_by_text("6 à 20").count() >= 1, f"{label}: the modified answer is on the recap")

    page.get_by_role("button", name="Voir mes résultats").click()
    check("/simulateur/resultats" in page.url, f"{label}: results ({page.url})")
    check(page.get_by_text("Économies potentielles estimées").count() == 1, f"{label}: total shown")
    check(page.locator("svg.graphique").count() == 1 and page.locator("table").count() >= 1, f"{label}: chart and its table")
    check(page.get_by_text("Éligible").count() >= 1, f"{label}: statuses in words")
    for summary in page.locator("summary", has_text="Comment est-ce calculé ?").all():
        summary.click()
    check(page.locator("details[open] a[href^='https://']").count() >= 1, f"{label}: the trace links to its sources")
    pages_seen.setdefault("resultats", page.url)

    # Back later with the same browser: resumes where the visitor left off.
    page.goto(base + "/")
    check(page.get_by_role("link", name="Reprendre ma simulation").count() == 1, f"{label}: resume offered")
    context.close()


def accessibility(browser, base, pages_seen):
    """axe on each page, in a JavaScript-enabled context; screenshots at two widths."""
    axe = Axe()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    visits = [("accueil", lambda: page.goto(base + "/"))]
    visits.append(("etape-1", lambda: page.get_by_role("button", name="Commencer la simulation").click()))
    def errors():
        page.locator('input[name="GENERAL_001"][value="transport_marchandises"]').check()
        page.get_by_role("button", name="Continuer").click()
    visits.append(("etape-1-erreurs", errors))
    def fill_step():
        answer_visible(page)
        page.get_by_role("button", name="Continuer").click()
    visits.append(("etape-2", fill_step))
    def to_recap():
        for _ in range(40):
            if "/simulateur/recapitulatif" in page.url:
                return
            answer_visible(page)
            page.get_by_role("button", name="Continuer").click()
    visits.append(("recapitulatif", to_recap))
    visits.append(("resultats", lambda: page.get_by_role("button", name="Voir mes résultats").click()))
    def open_traces():
        for summary in page.locator("summary").all():
            summary.click()
    visits.append(("resultats-calculs", open_traces))
    visits.append(("introuvable", lambda: page.goto(base + "/page-qui-n-existe-pas")))
    for name, reach in visits:
        reach()
        result = axe.run(page)
        violations = result.response["violations"]
        check(not violations, f"axe, {name}: {[(v['id'], len(v['nodes'])) for v in violations]}")
        print(f"  axe {name} : {len(violations)} violation(s), {len(page.content())} octets")
        page.screenshot(path=os.path.join(shots, f"{name}-1280.png"), full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path=os.path.join(shots, f"{name}-375.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
    context.close()


def main():
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        databases = [("SQLite", {"SQLITE_PATH": os.path.join(tempfile.mkdtemp(), "browser.sqlite")})]
        if postgres_url:
            databases.append(("PostgreSQL", {"DATABASE_URL": postgres_url}))
        for name, database in databases:
            server = Server(database)
            try:
                seen = {}
                runs = [("JavaScript", True), ("sans JavaScript", False)] if name == "SQLite" else [("JavaScript", True)]
                for label, javascript in runs:
                    print(f"== Parcours du visiteur, {name}, {label} ==")
                    journey(browser, server.url, f"{name}, {label}", javascript, seen)
                if name == "SQLite":
                    print("== Accessibilité (axe-core) et captures d'écran ==")
                    accessibility(browser, server.url, seen)
            finally:
                server.stop()
        browser.close()
    print(f"Tests navigateur terminés en {time.monotonic() - started:.0f} s : "
          + ("réussis." if not failures else f"{len(failures)} échec(s)."))
    sys.exit(1 if failures else 0)


main()

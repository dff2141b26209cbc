#!/usr/bin/env python3
"""Browser tests of the pages: Playwright driving Debian's chromium, axe-core on every page.

The visitor's journey — home, start, a question revealed by an answer, a validation error and its
correction, back, recap, modify, results, sign-up (a refused SIREN, then the dashboard), sign-out —
and the existing client's — sign-in (a wrong password first), attaching a new simulation, each
product's outcome, the dashboard, sign-out everywhere — once with JavaScript enabled and once
disabled, on SQLite, then once on PostgreSQL. axe runs in a JavaScript-enabled context (it hangs where JavaScript is disabled) on
every page the journey met, error states included, and must find no violation. A screenshot of each
page at 1280 and 375 px wide goes to screenshots/ (ignored by git), for a person to look at.
Usage: scripts/browser-test.py BINARY [POSTGRES_URL]
"""
import os
import subprocess
import sys
import tempfile

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from passerelle_api import ANSWERS, Server, Verdict, call, completed_session, signup_form

PASSWORD = "motdepasse2026"
OPERATOR_PASSWORD = "console-secrete-2026"

binary = sys.argv[1]
postgres_url = sys.argv[2] if len(sys.argv) > 2 else None
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shots = os.path.join(root, "screenshots")
os.makedirs(shots, exist_ok=True)
verdict = Verdict()
fail, check = verdict.fail, verdict.check


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


def journey(browser, base, label, javascript, pages_seen, email):
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

    # Sign-up from the results: the bands pre-filled, a refused SIREN shown next to its field with the
    # other values kept, then the dashboard; then sign-out.
    page.goto(base + "/simulateur/resultats")
    page.get_by_role("link", name="Créer mon compte pour être accompagné").click()
    check("/inscription" in page.url, f"{label}: sign-up page ({page.url})")
    check(page.locator("#sector").input_value() == "transport_marchandises", f"{label}: sector pre-filled")
    check(page.locator("#headcount_band").input_value() == "de_6_a_20", f"{label}: the modified headcount pre-filled")
    fill_signup(page, email, siren="443061842")
    page.get_by_role("button", name="Créer mon compte").click()
    check(page.locator("#siren-erreur").count() == 1, f"{label}: SIREN error next to its field")
    check(page.locator("#company_name").input_value() == "Transports Martin", f"{label}: sign-up values kept")
    page.locator("#siren").fill("443061841")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    check("/espace" in page.url, f"{label}: signed up, on the dashboard ({page.url})")
    check(page.get_by_text("Votre compte est créé").count() == 1, f"{label}: welcome said")
    check(page.locator("section.carte").count() >= 3, f"{label}: the products on the dashboard")
    page.locator("summary", has_text="Comment est-ce calculé ?").first.click()
    check(page.locator("details[open]").count() == 1, f"{label}: the stored trace opens")
    page.get_by_role("button", name="Se déconnecter", exact=True).click()
    check(page.get_by_role("heading", name="Vous êtes déconnecté").count() == 1, f"{label}: signed out")
    page.goto(base + "/espace")
    check("/connexion" in page.url, f"{label}: the dashboard needs a sign-in again")
    context.close()


def fill_signup(page, email, siren="443061841"):
    for field, value in [("name", "Jeanne Martin"), ("email", email), ("phone_number", "01 23 45 67 89"),
                         ("company_name", "Transports Martin"), ("siren", siren), ("address", "12 rue des Lilas"),
                         ("postal_code", "45000"), ("city", "Orléans"), ("password", PASSWORD)]:
        page.locator(f"#{field}").fill(value)


def existing_client(browser, base, port, label, javascript, email):
    """A client back with a new simulation: signs in (a wrong password first), attaches it, reads each
    product's outcome, then signs out everywhere. With JavaScript, the forms are driven by the keyboard."""
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 375, "height": 800})
    context.add_cookies([{"name": "passerelle_simulation", "value": completed_session(port), "url": base}])
    page = context.new_page()
    page.goto(base + "/simulateur/resultats")
    page.get_by_role("link", name="J'ai déjà un compte").click()
    check("/connexion" in page.url, f"{label}: sign-in page ({page.url})")
    page.locator("#email").fill(email)
    page.locator("#password").fill("mauvais-mot-de-passe-1")
    page.get_by_role("button", name="Se connecter").click()
    check(page.get_by_text("E-mail ou mot de passe incorrect.").count() >= 1, f"{label}: wrong password said")
    check(page.locator("#email").input_value() == email, f"{label}: address kept")
    if javascript:
        keyboard_fill(page, "#password", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url: "/connexion" not in url)
    else:
        page.locator("#password").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
    check("/espace/rattacher" in page.url, f"{label}: asked to attach ({page.url})")
    check(page.locator("h1").inner_text().startswith("Rattacher la simulation du"), f"{label}: the question names the day")
    if javascript:
        tab_to(page, "button", "Rattacher à mon compte")
        page.keyboard.press("Enter")
        page.wait_for_url("**/espace/rattachement")
    else:
        page.get_by_role("button", name="Rattacher à mon compte").click()
    check("/espace/rattachement" in page.url, f"{label}: outcome page ({page.url})")
    check(page.get_by_text("Mis à jour : Produit déjà associé").count() >= 1, f"{label}: products updated, said per product")
    page.get_by_role("link", name="Aller à mon espace").click()
    check(page.locator("table").last.locator("tbody tr").count() == 2, f"{label}: two simulations in the history")
    page.get_by_role("button", name="Se déconnecter de tous mes appareils").click()
    check(page.get_by_text("de tous vos appareils").count() == 1, f"{label}: signed out everywhere")
    context.close()


def keyboard_fill(page, selector, text):
    page.locator(selector).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def tab_to(page, tag, name):
    """Presses Tab until the focused element is the `tag` named `name`."""
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => [document.activeElement.tagName, document.activeElement.innerText]")
        if focused[0].lower() == tag and focused[1].strip() == name:
            return
    fail(f"keyboard: {name} cannot be reached with Tab")


def accessibility(browser, base, port, pages_seen):
    """axe on each page, in a JavaScript-enabled context; screenshots at two widths."""
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
    visits.append(("inscription", lambda: page.goto(base + "/inscription")))
    visits.append(("inscription-erreurs", lambda: page.get_by_role("button", name="Créer mon compte").click()))
    def sign_up():
        fill_signup(page, "axe@example.fr")
        page.get_by_role("button", name="Créer mon compte").click()
    visits.append(("espace", sign_up))
    visits.append(("deconnecte", lambda: page.get_by_role("button", name="Se déconnecter", exact=True).click()))
    visits.append(("connexion", lambda: page.goto(base + "/connexion")))
    def wrong_password():
        page.locator("#email").fill("axe@example.fr")
        page.locator("#password").fill("mauvais-mot-de-passe-1")
        page.get_by_role("button", name="Se connecter").click()
    visits.append(("connexion-erreur", wrong_password))
    def sign_in_with_simulation():
        context.add_cookies([{"name": "passerelle_simulation", "value": completed_session(port), "url": base}])
        page.goto(base + "/connexion")
        page.locator("#email").fill("axe@example.fr")
        page.locator("#password").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
    visits.append(("rattacher", sign_in_with_simulation))
    visits.append(("rattachement", lambda: page.get_by_role("button", name="Rattacher à mon compte").click()))
    def dashboard_traces():
        page.goto(base + "/espace")
        for summary in page.locator("summary").all():
            summary.click()
    visits.append(("espace-calculs", dashboard_traces))
    visits.append(("introuvable", lambda: page.goto(base + "/page-qui-n-existe-pas")))
    audit(page, visits)
    context.close()


def create_operator(database, email):
    """`passerelle create-operator`, the password on standard input, on the server's database."""
    env = dict(os.environ, SWIFT_BACKTRACE="enable=no", BCRYPT_COST="4", LOG_LEVEL="error")
    env.pop("DATABASE_URL", None)
    env.update(database)
    done = subprocess.run([binary, "create-operator", "--email", email], input=OPERATOR_PASSWORD + "\n", env=env,
                          capture_output=True, text=True, timeout=120)
    check(done.returncode == 0, f"create-operator: {done.stderr.strip()[-200:]}")


def new_client(port, email):
    """A client signed up through the API with a finished simulation."""
    status, body = call(port, "POST", "/api/session-migration/migrate",
                        {"session_token": completed_session(port), "client_data": signup_form(email)})
    check(status == 201, f"sign-up of {email}: {status}")


def sign_in(page, base, email, password):
    page.goto(base + "/connexion")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def batch_file(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "wb") as handle:
        handle.write(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def console(browser, base, port, label, javascript, operator, client_email):
    """The operator's console: sign-in, dashboard, attach with confirmation, migrations and their audit,
    clients, sessions, a bad CSV then a batch followed to its report, the catalogue; a client refused."""
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    sign_in(page, base, operator, OPERATOR_PASSWORD)
    check(page.url.endswith("/operateur"), f"{label}: the operator lands on the console ({page.url})")
    check(page.locator("h1").inner_text() == "Tableau de bord", f"{label}: dashboard")
    page.get_by_role("link", name="7 derniers jours").click()
    check("jours=7" in page.url, f"{label}: a period chosen")
    started = page.locator("table").first.locator("tbody tr").first.locator("td").first.inner_text()
    check(int(started) >= 1, f"{label}: sessions started counted ({started})")

    # Attach a finished session to the client, after the confirmation page.
    token = completed_session(port)
    page.get_by_role("link", name="Rattacher", exact=True).click()
    page.locator("#jeton").fill(token)
    page.locator("#email").fill("personne@example.fr")
    page.get_by_role("button", name="Vérifier avant de rattacher").click()
    check(page.get_by_text("Client non trouvé avec cet e-mail.").count() >= 1, f"{label}: unknown client said")
    check(page.locator("#jeton").input_value() == token, f"{label}: token kept")
    page.locator("#email").fill(client_email)
    page.get_by_role("button", name="Vérifier avant de rattacher").click()
    check(page.locator("h1").inner_text() == "Confirmer le rattachement", f"{label}: confirmation page")
    check(page.get_by_role("cell", name="Mis à jour").count() >= 1, f"{label}: what will be written, per product")
    page.get_by_role("button", name="Confirmer le rattachement").click()
    check("/operateur/migrations/" in page.url, f"{label}: the migration's audit ({page.url})")
    check(page.get_by_text(f"L'opérateur {operator}").count() >= 1, f"{label}: audited with the operator")
    check(token not in page.url and token not in page.content(), f"{label}: no token on the audit page")

    # Migrations, filtered by outcome and client, each opening its audit.
    page.get_by_role("link", name="Migrations", exact=True).click()
    page.locator("#resultat").select_option("migrated")
    page.locator("#client").fill(client_email)
    page.get_by_role("button", name="Filtrer").click()
    rows = page.locator("table tbody tr")
    check(rows.count() == 2, f"{label}: the client's two migrations ({rows.count()})")
    check(client_email not in page.url, f"{label}: no email in the address")
    rows.last.locator("th a").click()
    check(page.get_by_text("Le visiteur, en créant son compte").count() == 1, f"{label}: the sign-up's audit")

    # Clients: found by company, the client's page.
    page.get_by_role("link", name="Clients", exact=True).click()
    page.locator("#q").fill("transports")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("link", name=client_email).click()
    check(page.locator("h1").inner_text() == "Transports Martin", f"{label}: the client's page")
    check(page.get_by_text("en attente de prise en charge par un conseiller").count() >= 1, f"{label}: where each file stands")

    # Sessions, without a token.
    page.get_by_role("link", name="Sessions", exact=True).click()
    check(page.locator("table tbody tr").count() >= 2, f"{label}: sessions listed")
    check(token not in page.content(), f"{label}: no token in the sessions")

    # A bad CSV, then a batch followed to its report.
    tmp = tempfile.mkdtemp()
    page.get_by_role("link", name="Lot CSV").click()
    page.locator("#fichier").set_input_files(batch_file(tmp, "mauvais.csv", "a,b,c\n"))
    page.get_by_role("button", name="Lancer le lot").click()
    check(page.get_by_text("Ligne 1 : 3 colonne(s) au lieu de 2").count() >= 1, f"{label}: bad file said")
    second = completed_session(port)
    page.locator("#fichier").set_input_files(
        batch_file(tmp, "lot.csv", f"session_token,client_email\n{second},{client_email}\ninconnu,{client_email}\n"))
    page.get_by_role("button", name="Lancer le lot").click()
    check("/operateur/lots/" in page.url, f"{label}: the batch's page ({page.url})")
    for _ in range(60):
        if page.get_by_text("Terminé : 2 ligne(s) traitée(s) sur 2").count() == 1:
            break
        if javascript:
            page.wait_for_timeout(500)
        else:
            page.get_by_role("link", name="Actualiser").click()
    check(page.get_by_text("Bilan : 1 rattachée(s), 0 déjà rattachée(s), 1 refusée(s).").count() == 1, f"{label}: the batch's report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le rapport (CSV)").click()
    with open(download.value.path(), encoding="utf-8") as handle:
        report = handle.read().splitlines()
    check(report[0] == "ligne,email_client,resultat,detail" and len(report) == 3, f"{label}: report downloaded ({report[:1]})")

    page.get_by_role("link", name="Catalogue").click()
    check(page.locator("h1").inner_text() == "Catalogue des règles", f"{label}: catalogue")
    page.get_by_role("button", name="Se déconnecter").click()
    context.close()

    # A client never reaches the console.
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, base, client_email, PASSWORD)
    response = page.goto(base + "/operateur")
    check(response.status == 403 and page.get_by_text("réservée aux opérateurs").count() == 1, f"{label}: a client refused")
    context.close()


def console_accessibility(browser, base, port, operator, client_email):
    """axe on every console page, error states included; screenshots; nothing wider than 320 px."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    tmp = tempfile.mkdtemp()
    def attach_review():
        page.goto(base + "/operateur/rattacher")
        page.locator("#jeton").fill(completed_session(port))
        page.locator("#email").fill(client_email)
        page.get_by_role("button", name="Vérifier avant de rattacher").click()
    def attach_errors():
        page.goto(base + "/operateur/rattacher")
        page.get_by_role("button", name="Vérifier avant de rattacher").click()
    def migration():
        page.goto(base + "/operateur/migrations")
        page.locator("table tbody tr th a").first.click()
    def client_page():
        page.goto(base + "/operateur/clients")
        page.locator("#q").fill(client_email)
        page.get_by_role("button", name="Rechercher").click()
        page.get_by_role("link", name=client_email).click()
    def batch_error():
        page.goto(base + "/operateur/lots")
        page.locator("#fichier").set_input_files(batch_file(tmp, "bad.csv", b"\xe9\xe9,\xff\n"))
        page.get_by_role("button", name="Lancer le lot").click()
    def batch_report():
        page.goto(base + "/operateur/lots")
        page.locator("#fichier").set_input_files(batch_file(tmp, "ok.csv", f"inconnu,{client_email}\n"))
        page.get_by_role("button", name="Lancer le lot").click()
        page.get_by_text("Terminé").first.wait_for()
    visits = [
        ("console", lambda: sign_in(page, base, operator, OPERATOR_PASSWORD)),
        ("console-periode-erreur", lambda: page.goto(base + "/operateur?du=2026-02-30&au=2026-01-01")),
        ("console-migrations", lambda: page.goto(base + "/operateur/migrations")),
        ("console-migration", migration),
        ("console-clients", client_page),
        ("console-sessions", lambda: page.goto(base + "/operateur/sessions")),
        ("console-rattacher-erreurs", attach_errors),
        ("console-rattacher-confirmer", attach_review),
        ("console-lot-erreur", batch_error),
        ("console-lot-rapport", batch_report),
        ("console-catalogue", lambda: page.goto(base + "/operateur/catalogue")),
    ]
    audit(page, visits)
    context.close()


def audit(page, visits):
    axe = Axe()
    for name, reach in visits:
        reach()
        result = axe.run(page)
        violations = result.response["violations"]
        check(not violations, f"axe, {name}: {[(v['id'], len(v['nodes'])) for v in violations]}")
        print(f"  axe {name} : {len(violations)} violation(s), {len(page.content())} octets")
        # Every shape of a chart drawn, none swallowed by the one before it (an unclosed <rect>).
        nested = page.evaluate("() => [...document.querySelectorAll('svg rect, svg line')].filter(e => e.parentElement.tagName.toLowerCase() !== 'svg').length")
        check(nested == 0, f"{name}: {nested} chart shape(s) inside another")
        page.screenshot(path=os.path.join(shots, f"{name}-1280.png"), full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path=os.path.join(shots, f"{name}-375.png"), full_page=True)
        # 320 px wide (a small phone, or 1280 px at 400 % zoom): nothing wider than the screen.
        page.set_viewport_size({"width": 320, "height": 800})
        width = page.evaluate("() => document.documentElement.scrollWidth")
        check(width <= 320, f"{name}: {width} px wide at 320 px")
        page.set_viewport_size({"width": 1280, "height": 900})


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        databases = [("SQLite", {"SQLITE_PATH": os.path.join(tempfile.mkdtemp(), "browser.sqlite")})]
        if postgres_url:
            databases.append(("PostgreSQL", {"DATABASE_URL": postgres_url}))
        for name, database in databases:
            server = Server(binary, database)
            try:
                seen = {}
                runs = [("JavaScript", True), ("sans JavaScript", False)] if name == "SQLite" else [("JavaScript", True)]
                for label, javascript in runs:
                    print(f"== Parcours du visiteur, {name}, {label} ==")
                    email = f"jeanne.{name.lower()}.{'js' if javascript else 'html'}@example.fr"
                    journey(browser, server.url, f"{name}, {label}", javascript, seen, email)
                    print(f"== Parcours du client existant, {name}, {label} ==")
                    existing_client(browser, server.url, server.port, f"{name}, {label}, client", javascript, email)
                operator = f"operatrice.{name.lower()}@passerelle.test"
                create_operator(database, operator)
                for label, javascript in runs:
                    print(f"== Console des opérateurs, {name}, {label} ==")
                    client_email = f"client.{name.lower()}.{'js' if javascript else 'html'}@example.fr"
                    new_client(server.port, client_email)
                    console(browser, server.url, server.port, f"{name}, {label}, console", javascript, operator, client_email)
                if name == "SQLite":
                    print("== Accessibilité (axe-core) et captures d'écran ==")
                    accessibility(browser, server.url, server.port, seen)
                    console_accessibility(browser, server.url, server.port, operator, "client.sqlite.js@example.fr")
            finally:
                server.stop()
        browser.close()
    verdict.finish("Tests navigateur terminés", "réussis.")


main()

#!/usr/bin/env python3
"""Browser tests of the visitor's pages: Playwright driving Debian's chromium, axe-core on every page.

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
import sys
import tempfile

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from passerelle_api import ANSWERS, Server, Verdict, completed_session

PASSWORD = "motdepasse2026"

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
    for name, reach in visits:
        reach()
        result = axe.run(page)
        violations = result.response["violations"]
        check(not violations, f"axe, {name}: {[(v['id'], len(v['nodes'])) for v in violations]}")
        print(f"  axe {name} : {len(violations)} violation(s), {len(page.content())} octets")
        page.screenshot(path=os.path.join(shots, f"{name}-1280.png"), full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path=os.path.join(shots, f"{name}-375.png"), full_page=True)
        # 320 px wide (a small phone, or 1280 px at 400 % zoom): nothing wider than the screen.
        page.set_viewport_size({"width": 320, "height": 800})
        width = page.evaluate("() => document.documentElement.scrollWidth")
        check(width <= 320, f"{name}: {width} px wide at 320 px")
        page.set_viewport_size({"width": 1280, "height": 900})
    context.close()


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
                if name == "SQLite":
                    print("== Accessibilité (axe-core) et captures d'écran ==")
                    accessibility(browser, server.url, server.port, seen)
            finally:
                server.stop()
        browser.close()
    verdict.finish("Tests navigateur terminés", "réussis.")


main()

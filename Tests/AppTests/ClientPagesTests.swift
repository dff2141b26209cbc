import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// The client's pages without a browser (the browser tests are `scripts/browser-test.py`): sign-up
/// from the simulation, sign-in and attaching, the dashboard, sign-out, and their refusals.
@Suite("Pages du client")
struct ClientPagesTests {
    /// The sign-up form's fields that pass every check, as a browser posts them.
    static let form: [(String, String)] = [
        ("name", "Jeanne Martin"), ("email", "Jeanne.Martin@Example.fr"), ("phone_number", "01 23 45 67 89"),
        ("company_name", "Transports Martin"), ("siren", "443 061 841"), ("address", "12 rue des Lilas"),
        ("postal_code", "45000"), ("city", "Orléans"), ("sector", "transport_marchandises"), ("headcount_band", "de_6_a_20"),
        ("turnover_band", "de_1m_a_5m"), ("password", "motdepasse2026"),
    ]

    static func replacing(_ changes: [String: String]) -> [(String, String)] {
        form.map { ($0.0, changes[$0.0] ?? $0.1) }
    }

    /// A browser holding the haulier's finished simulation, on the sign-up page.
    static func browserWithResults(_ app: Application) async throws -> TestBrowser {
        let browser = TestBrowser(app)
        browser.hold(BrowserCookies.simulation, try await app.completedSession())
        #expect(try await browser.get("/simulateur/resultats").body.contains(#"href="/inscription""#))
        return browser
    }

    @Test(arguments: TestDatabase.all)
    func theSignUpFormIsPrefilledFromTheAnswersAndSaysSo(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let browser = try await Self.browserWithResults(app)
            let page = try await browser.get("/inscription")
            #expect(page.status == .ok)
            #expect(page.body.contains("<h1>Créer mon compte</h1>"))
            // The haulier answered the sector, the turnover and the headcount: selected, said to come from the simulation.
            #expect(page.body.contains(#"<option value="transport_marchandises" selected>"#))
            #expect(page.body.contains(#"<option value="de_1m_a_5m" selected>"#))
            #expect(page.body.components(separatedBy: "Issu de votre simulation").count - 1 == 3)
            // Nothing else is guessed, every personal field says what it is, and the rule comes before the password.
            #expect(page.body.contains(#"id="name" name="name" value autocomplete="name""#))
            for token in ["name", "email", "tel", "organization", "street-address", "postal-code", "address-level2", "new-password"] {
                #expect(page.body.contains(#"autocomplete="\#(token)""#), "\(token)")
            }
            let rule = try #require(page.body.range(of: SignupForm.passwordRule))
            let password = try #require(page.body.range(of: #"type="password""#))
            #expect(rule.lowerBound < password.lowerBound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRefusedSignUpKeepsTheValuesGivesEachFieldItsMessageAndWritesNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let browser = try await Self.browserWithResults(app)
            _ = try await browser.get("/inscription")
            let page = try await browser.post(
                "/inscription",
                Self.replacing([
                    "siren": "443 061 842", "postal_code": "99000", "phone_number": "12 34", "password": "court", "sector": "inventé",
                ]))
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains("<title>Erreur : Créer mon compte — Passerelle</title>"))
            // The API's own messages, next to their fields, each linked from the summary.
            for (field, message) in [
                ("siren", "SIREN invalide : 9 chiffres dont le dernier est une clé de contrôle."),
                ("postal_code", "Code postal français invalide (5 chiffres)."),
                ("phone_number", "Le téléphone doit compter entre 10 et 20 caractères."),
                ("password", "Le mot de passe doit compter au moins 10 caractères, dont au moins une lettre et un chiffre."),
                ("sector", "Choisissez une valeur de la liste."),
            ] {
                #expect(page.body.contains(#"<p class="message-erreur" id="\#(field)-erreur">Erreur : \#(message)</p>"#), "\(field)")
                #expect(page.body.contains("<a href=\"#\(field)\">"), "\(field)")
            }
            #expect(page.body.contains(#"aria-describedby="siren-aide siren-erreur" aria-invalid="true""#))
            // What was typed comes back (the password excepted), and nothing was written.
            #expect(page.body.contains(#"value="443 061 842""#) && page.body.contains(#"value="Transports Martin""#))
            #expect(!page.body.contains("court"))
            let rows = try await app.migrationRows()
            #expect(rows.clients == 0 && rows.products == 0 && rows.simulations == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func signingUpCreatesTheClientMigratesTheSessionSignsInAndShowsTheDashboard(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let browser = try await Self.browserWithResults(app)
            _ = try await browser.get("/inscription")
            // The visitor changes the headcount band the simulation gave.
            let signedUp = try await browser.post("/inscription", Self.replacing(["headcount_band": "de_21_a_50"]))
            #expect(signedUp.status == .seeOther)
            #expect(signedUp.location == "/espace?bienvenue=1")
            let cookie = try #require(signedUp.setCookie(BrowserCookies.account))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Expires="))
            let token = try #require(browser.cookies[BrowserCookies.account])
            let access = try #require(try await AccessToken.query(on: app.db).first())
            #expect(access.tokenHash == SecretToken.hash(token) && access.tokenHash != token)

            let client = try #require(try await Client.query(on: app.db).filter(\.$role == .client).first())
            #expect(client.email == "jeanne.martin@example.fr")
            #expect(client.sector == "Transport routier de marchandises")
            #expect(client.headcountBand == "21 à 50")
            #expect(client.turnoverBand == "1 000 000€ - 5 000 000€")
            let rows = try await app.migrationRows()
            #expect(rows.clients == 1 && rows.simulations == 1 && rows.products == 4)

            let dashboard = try await browser.get("/espace?bienvenue=1")
            #expect(dashboard.status == .ok)
            #expect(dashboard.body.contains("<h1>Mon espace</h1>"))
            #expect(dashboard.body.contains("Votre compte est créé"))
            #expect(dashboard.body.contains("Remboursement partiel de l'accise sur le gazole (ex-TICPE)"))
            #expect(dashboard.body.contains("Où en est votre dossier : ouvert, en attente de prise en charge par un conseiller."))
            #expect(dashboard.body.components(separatedBy: "<summary>Comment est-ce calculé ?</summary>").count - 1 == 4)
            #expect(dashboard.body.contains("Économies estimées au total"))
            #expect(
                dashboard.body.contains("<h2>Mes simulations</h2>") && dashboard.body.contains("<td>\(app.catalog.ruleset.version)</td>"))
            #expect(dashboard.body.contains(#"action="/deconnexion/partout""#))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSignUpPressedTwiceOrPostedAgainCreatesOneClientAndOneMigration(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let browser = try await Self.browserWithResults(app)
            _ = try await browser.get("/inscription")
            let csrf = try #require(browser.lastCSRF)
            // Two presses at once, as a double click sends them, then the same POST again (a reload).
            async let first = browser.post("/inscription", Self.form)
            async let second = browser.post("/inscription", Self.form)
            let answers = try await [first, second]
            let again = try await browser.post("/inscription", Self.form + [(CSRF.field, csrf)], csrf: false)
            for page in answers + [again] {
                #expect(page.status == .seeOther)
                #expect(page.location == "/espace?bienvenue=1")
            }
            let rows = try await app.migrationRows()
            #expect(rows.clients == 1 && rows.simulations == 1 && rows.products == 4)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$eventType == "session_migrated").count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anExistingClientSignsInAttachesTheSimulationAndSeesEachOutcome(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // Given a client whose first simulation made them a client, and a new simulation in this browser
            _ = try await app.signUp(token: try await app.completedSession())
            let browser = TestBrowser(app)
            browser.hold(BrowserCookies.simulation, try await app.completedSession(changing: ["TICPE_018": 20]))
            let results = try await browser.get("/simulateur/resultats")
            #expect(results.body.contains(#"href="/connexion""#))

            // A wrong password: the form again, the address kept, the reason said
            _ = try await browser.get("/connexion")
            let refused = try await browser.post("/connexion", [("email", "jeanne.martin@example.fr"), ("password", "mauvais2026")])
            #expect(refused.status == .unauthorized)
            #expect(refused.body.contains("E-mail ou mot de passe incorrect."))
            #expect(refused.body.contains(#"value="jeanne.martin@example.fr""#))
            #expect(browser.cookies[BrowserCookies.account] == nil)

            // Signed in, they are asked before anything is attached
            let signedIn = try await browser.post("/connexion", [("email", "Jeanne.Martin@example.fr"), ("password", "motdepasse2026")])
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.location == "/espace/rattacher")
            let ask = try await browser.get("/espace/rattacher")
            #expect(ask.body.contains("<h1>Rattacher la simulation du "))
            #expect(try await Simulation.query(on: app.db).count() == 1)

            // Confirmed: attached once, each product's outcome shown with its reason
            let attached = try await browser.post("/espace/rattacher")
            #expect(attached.location == "/espace/rattachement")
            let outcome = try await browser.get("/espace/rattachement")
            #expect(outcome.body.contains("</strong> — Mis à jour : \(ProductOutcome.updatedReason)</li>"))
            #expect(outcome.body.contains("</strong> — Non rattaché : \(ProductOutcome.notEligibleReason)</li>"))
            #expect(try await browser.post("/espace/rattacher").location == "/espace/rattachement")
            let rows = try await app.migrationRows()
            #expect(rows.clients == 1 && rows.simulations == 2)

            // The dashboard lists both simulations and offers nothing more to attach
            let dashboard = try await browser.get("/espace")
            #expect(!dashboard.body.contains("Rattacher cette simulation"))
            #expect(dashboard.body.components(separatedBy: "<tr><th scope=\"row\">").count - 1 >= 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func signingOutEndsThisSignInAndSigningOutEverywhereEndsThemAll(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signUp(token: try await app.completedSession())
            func signedInBrowser() async throws -> TestBrowser {
                let browser = TestBrowser(app)
                _ = try await browser.get("/connexion")
                #expect(
                    try await browser.post("/connexion", [("email", "jeanne.martin@example.fr"), ("password", "motdepasse2026")]).location
                        == "/espace")
                return browser
            }
            let laptop = try await signedInBrowser()
            let phone = try await signedInBrowser()
            let tablet = try await signedInBrowser()

            // Signing out on the laptop ends its sign-in only
            let out = try await laptop.post("/deconnexion")
            #expect(out.status == .ok && out.body.contains("<h1>Vous êtes déconnecté</h1>"))
            #expect(laptop.cookies[BrowserCookies.account] == nil)
            #expect(try await laptop.get("/espace").location == "/connexion")
            #expect(try await phone.get("/espace").status == .ok)

            // Everywhere, from the phone: the tablet is signed out too
            _ = try await phone.get("/espace")
            #expect(try await phone.post("/deconnexion/partout").body.contains("de tous vos appareils"))
            #expect(try await tablet.get("/espace").location == "/connexion")
            #expect(try await AccessToken.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theSignInPageAppliesTheAPIsThrottling(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let browser = TestBrowser(app)
            _ = try await browser.get("/connexion")
            for _ in 0..<LoginThrottling.freeFailures {
                #expect(
                    try await browser.post("/connexion", [("email", "x@example.fr"), ("password", "mauvais2026")]).status == .unauthorized)
            }
            let closed = try await browser.post("/connexion", [("email", "x@example.fr"), ("password", "mauvais2026")])
            #expect(closed.status == .tooManyRequests)
            #expect(closed.headers.first(name: .retryAfter) != nil)
            #expect(closed.body.contains("Trop de tentatives de connexion"))
        }
    }

    @Test
    func pagesRefuseWhatTheyMustNot() async throws {
        try await withTestApp(.sqlite) { app in
            // Not signed in: the client's pages send to the sign-in page.
            let stranger = TestBrowser(app)
            for path in ["/espace", "/espace/rattacher", "/espace/rattachement"] {
                #expect(try await stranger.get(path).location == "/connexion", "\(path)")
            }
            // Without a finished simulation, sign-up says to do one first.
            #expect(try await stranger.get("/inscription").body.contains("<h1>Commencez par la simulation</h1>"))
            // A sign-in without its CSRF token: 403, no token issued.
            _ = try await app.signUp(token: try await app.completedSession())
            let forged = try await stranger.post(
                "/connexion", [("email", "jeanne.martin@example.fr"), ("password", "motdepasse2026")], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try await AccessToken.query(on: app.db).count() == 1)
            // An operator does not reach the client's space.
            _ = try await app.accounts.createOperator(email: "ops@example.fr", password: "operateur-2026", on: app.db)
            _ = try await stranger.get("/connexion")
            _ = try await stranger.post("/connexion", [("email", "ops@example.fr"), ("password", "operateur-2026")])
            let refused = try await stranger.get("/espace")
            #expect(refused.status == .forbidden)
            #expect(refused.body.contains("L'espace client est réservé aux comptes clients."))
        }
    }
}

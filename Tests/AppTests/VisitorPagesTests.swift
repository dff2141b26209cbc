import Eligibility
import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// The visitor's pages, without a browser (the browser tests are `scripts/browser-test.py`): cookies,
/// CSRF, security headers, a refused step shown again, an expired session, error pages.
@Suite("Pages du visiteur")
struct VisitorPagesTests {
    @Test(arguments: TestDatabase.all)
    func startingSetsHttpOnlyLaxCookiesWhoseTokenIsStoredHashed(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // Given a visitor on the home page
            let browser = TestBrowser(app)
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.body.contains("<h1>Votre entreprise peut-elle récupérer de l'argent ?</h1>"))
            let csrfCookie = try #require(home.setCookie(BrowserCookies.csrf))
            #expect(csrfCookie.contains("HttpOnly") && csrfCookie.contains("SameSite=Lax") && !csrfCookie.contains("Secure"))

            // When they start a simulation
            let started = try await browser.post("/simulateur/commencer")

            // Then they are sent to the questionnaire with the session in a cookie, stored only hashed
            #expect(started.status == .seeOther)
            #expect(started.location == "/simulateur")
            let cookie = try #require(started.setCookie(BrowserCookies.simulation))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Expires="))
            let token = try #require(browser.cookies[BrowserCookies.simulation])
            let session = try #require(try await TemporarySession.query(on: app.db).first())
            #expect(session.tokenHash == SecretToken.hash(token))
            #expect(try await browser.get("/simulateur").location == "/simulateur?etape=1")
        }
    }

    @Test
    func cookiesAreSecureWhenThePublicAddressIsHTTPS() async throws {
        try await withTestApp(.sqlite, settings: { $0.publicURL = "https://simulateur.example.fr" }) { app in
            let browser = TestBrowser(app)
            let home = try await browser.get("/")
            #expect(home.setCookie(BrowserCookies.csrf)?.contains("Secure") == true)
            let started = try await browser.post("/simulateur/commencer")
            #expect(started.setCookie(BrowserCookies.simulation)?.contains("Secure") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPostWithoutItsCSRFTokenIs403AndWritesNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // Given a browser that has its CSRF cookie
            let browser = TestBrowser(app)
            _ = try await browser.get("/")

            // When a form is posted without the token, or with another one
            let without = try await browser.post("/simulateur/commencer", csrf: false)
            let forged = try await browser.post("/simulateur/commencer", [("csrf", String(repeating: "0", count: 64))], csrf: false)

            // Then both get a 403 page, and no session is opened
            for page in [without, forged] {
                #expect(page.status == .forbidden)
                #expect(page.body.contains("<h1>Action refusée</h1>"))
            }
            #expect(try await TemporarySession.query(on: app.db).count() == 0)
        }
    }

    @Test
    func everyResponseCarriesTheSecurityHeaders() async throws {
        try await withTestApp(.sqlite) { app in
            let browser = TestBrowser(app)
            for path in ["/", Assets.stylesheetPath, "/page-absente"] {
                let page = try await browser.get(path)
                let policy = try #require(page.headers.first(name: "Content-Security-Policy"), "\(path)")
                #expect(
                    policy.contains("default-src 'self'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"))
                #expect(page.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(page.headers.first(name: "Referrer-Policy") == "same-origin")
            }
            #expect(try await app.send(.GET, "/api/simulator/questions").headers.first(name: "X-Content-Type-Options") == "nosniff")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRefusedStepComesBackWithEveryValueKeptAndEachErrorNextToItsField(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // Given a started simulation
            let browser = TestBrowser(app)
            _ = try await browser.get("/")
            _ = try await browser.post("/simulateur/commencer")
            _ = try await browser.get("/simulateur?etape=1")

            // When the first step is sent with only the sector
            let refused = try await browser.post("/simulateur?etape=1", [("GENERAL_001", "transport_marchandises")])

            // Then the step comes back, the sector still chosen, a summary linking to each missing answer
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains(#"<title>Erreur : "#))
            #expect(refused.body.contains(#"value="transport_marchandises" checked"#))
            #expect(refused.body.contains(##"<a href="#GENERAL_002">"##))
            #expect(refused.body.contains(#"id="GENERAL_002-erreur""#) && refused.body.contains(#"aria-describedby="GENERAL_002-erreur""#))
            #expect(refused.body.contains(#"aria-invalid="true""#))
            // And nothing of the refused step was written
            #expect(try await TemporaryResponse.query(on: app.db).count() == 0)
        }
    }

    /// What a number field accepts as a French reader types it, and what it refuses.
    @Test
    func numbersAreReadAsTypedInFrenchAndAnythingElseIsRefused() throws {
        let catalog = try Catalog.bundled(requiringParametersOn: CalendarDay(testStart))
        let fleet = try #require(catalog.question(id: "TICPE_018"))
        for (typed, value) in [("12", 12.0), ("12,5", 12.5), ("1 200", 1200.0), ("1\u{202F}200", 1200.0)] {
            let step = SubmittedStep(
                form: FormValues(encoded: "TICPE_018=" + (typed.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")),
                questions: [fleet])
            #expect(step.changes["TICPE_018"] == .some(.number(value)), "\(typed)")
            #expect(step.errors.isEmpty)
        }
        let refused = SubmittedStep(form: FormValues(encoded: "TICPE_018=douze"), questions: [fleet])
        #expect(refused.errors["TICPE_018"]?.contains("Saisissez un nombre") == true)
        #expect(refused.changes["TICPE_018"] == nil)
        #expect(refused.typed["TICPE_018"] == ["douze"])
    }

    @Test(arguments: TestDatabase.all)
    func anAnswerThatRevealsQuestionsShowsThemOnItsStep(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let browser = TestBrowser(app)
            _ = try await browser.get("/")
            _ = try await browser.post("/simulateur/commencer")
            _ = try await browser.get("/simulateur?etape=1")
            let first = try await browser.post(
                "/simulateur?etape=1",
                [
                    ("GENERAL_001", "transport_marchandises"), ("GENERAL_002", "de_1m_a_5m"), ("GENERAL_003", "de_21_a_50"),
                    ("GENERAL_004", "non"), ("GENERAL_005", "oui"),
                ])
            // The owner question answered "non" reveals no follow-up here; the next step is the vehicles'.
            #expect(first.status == .seeOther)
            let next = try #require(first.location)
            let vehicles = try await browser.get(next)
            #expect(vehicles.body.contains(#"name="TICPE_001""#))
            #expect(!vehicles.body.contains(#"name="TICPE_002""#))

            // When the visitor says they use vehicles, then the fleet questions appear on the same step
            let step = String(next.split(separator: "=").last ?? "2")
            let revealed = try await browser.post("/simulateur?etape=\(step)", [("TICPE_001", "oui")])
            #expect(revealed.status == .ok)
            #expect(revealed.body.contains("de nouvelles questions"))
            #expect(revealed.body.contains(#"name="TICPE_002""#))
        }
    }

    @Test(arguments: TestDatabase.all)
    func anExpiredSimulationGetsAPageSayingSoAndItsCookieIsDropped(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock) { app in
            let browser = TestBrowser(app)
            _ = try await browser.get("/")
            _ = try await browser.post("/simulateur/commencer")
            clock.advance(by: 8 * 86_400)
            let page = try await browser.get("/simulateur?etape=1")
            #expect(page.status == .gone)
            #expect(page.body.contains("<h1>Votre simulation a expiré</h1>"))
            #expect(page.body.contains(#"action="/simulateur/commencer""#))
            #expect(browser.cookies[BrowserCookies.simulation] == nil)
        }
    }

    @Test
    func browsersGetErrorPagesAndTheAPIKeepsItsJSON() async throws {
        try await withTestApp(.sqlite) { app in
            let page = try await TestBrowser(app).get("/page-absente")
            #expect(page.status == .notFound)
            #expect(page.headers.contentType == .html)
            #expect(page.body.contains("<h1>Page introuvable</h1>") && page.body.contains(#"<html lang="fr">"#))
            let api = try await TestBrowser(app).get("/api/absente")
            #expect(api.status == .notFound)
            #expect(api.body.contains(#""error_code":"NOT_FOUND""#))
        }
    }
}

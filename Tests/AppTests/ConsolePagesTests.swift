import Eligibility
import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// The operators' console without a browser (the browser tests are `scripts/browser-test.py`): who
/// gets in, the dashboard against `passerelle stats --json`, attaching with a confirmation, the CSV
/// batch, and the lists that must not show a secret.
@Suite("Console des opérateurs")
struct ConsolePagesTests {
    static let operatorEmail = "operatrice@passerelle.test"
    static let operatorPassword = "console-secrete-2026"

    /// An operator's browser, signed in through `/connexion` like a client's.
    static func signedInOperator(_ app: Application) async throws -> (TestBrowser, App.Client) {
        let account = try await app.accounts.createOperator(email: operatorEmail, password: operatorPassword, on: app.db)
        let browser = TestBrowser(app)
        try await browser.get("/connexion")
        let signIn = try await browser.post("/connexion", [("email", operatorEmail), ("password", operatorPassword)])
        #expect(signIn.status == .seeOther)
        #expect(signIn.location == "/operateur")
        return (browser, account)
    }

    @Test(arguments: TestDatabase.all)
    func operatorsGetInClientsAreRefusedAndAStrangerIsSentToSignIn(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (browser, _) = try await Self.signedInOperator(app)
            for (path, title) in [
                ("/operateur", "Tableau de bord"), ("/operateur/migrations", "Migrations"), ("/operateur/clients", "Clients"),
                ("/operateur/sessions", "Sessions"), ("/operateur/rattacher", "Rattacher une simulation"), ("/operateur/lots", "Lot CSV"),
                ("/operateur/catalogue", "Catalogue des règles"),
            ] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(page.body.contains("<h1>\(title)</h1>"), "\(path)")
                #expect(page.body.contains(#"<a href="\#(path)" aria-current="page">"#), "\(path)")
            }
            // The catalogue says which rules are in force and where each figure comes from.
            let catalogue = try await browser.get("/operateur/catalogue").body
            #expect(catalogue.contains(app.catalog.ruleset.contentHash))
            let parameter = try #require(app.catalog.parameters.first { $0.value(on: CalendarDay(testStart))?.source != nil })
            #expect(catalogue.contains(#"<a href="\#(parameter.value(on: CalendarDay(testStart))!.source!.url)""#))

            // A client signed in gets the 403 page; a browser not signed in is sent to sign in.
            let token = try await app.completedSession()
            _ = try await app.signUp(token: token)
            let client = TestBrowser(app)
            try await client.get("/connexion")
            let signIn = try await client.post("/connexion", [("email", "jeanne.martin@example.fr"), ("password", "motdepasse2026")])
            #expect(signIn.location == "/espace")
            for path in ["/operateur", "/operateur/migrations", "/operateur/clients", "/operateur/lots"] {
                let refused = try await client.get(path)
                #expect(refused.status == .forbidden, "\(path)")
                #expect(refused.body.contains("La console est réservée aux opérateurs de Passerelle."))
            }
            let stranger = try await TestBrowser(app).get("/operateur/sessions")
            #expect(stranger.status == .seeOther)
            #expect(stranger.location == "/connexion")
        }
    }

    @Test(arguments: TestDatabase.all)
    func theDashboardShowsTheFiguresStatsJsonPrintsForThePeriodAndAPurgeChangesNone(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock) { app in
            let (browser, _) = try await Self.signedInOperator(app)
            // Given four sessions started today: one signed up, one attached by the operator, one
            // completed and left, one in progress that the operator fails to attach.
            let signedUp = try await app.completedSession()
            _ = try await app.signUp(token: signedUp)
            let attached = try await app.completedSession(changing: ["GENERAL_003": "de_21_a_50"])
            try await browser.get("/operateur/rattacher")
            let done = try await browser.post("/operateur/rattacher", [("jeton", attached), ("email", "jeanne.martin@example.fr")])
            #expect(done.status == .seeOther)
            _ = try await app.completedSession()
            let unfinished = try await app.newSession()
            let refused = try await browser.post("/operateur/rattacher", [("jeton", unfinished), ("email", "jeanne.martin@example.fr")])
            #expect(refused.status == .unprocessableEntity)

            let day = testStart.iso8601Day
            func figures() async throws -> PeriodStatsDTO {
                let output = try await app.runCommand(["stats", "--json", "--from", day, "--to", day])
                return try #require(try JSONDecoder.api.decode(StatsDTO.self, from: Data(output.utf8)).period)
            }
            let printed = try await figures()
            // The figures are right…
            let funnel: [Int] = [
                printed.startedSessions, printed.completedSessions, printed.migratedSessions, printed.migratedNewClients,
                printed.migratedExistingClients,
            ]
            #expect(funnel == [4, 3, 2, 1, 1])
            #expect(printed.conversionRate == 66.67)
            #expect(printed.migrations.migrations == 2)
            #expect(printed.migrations.refused == 1)
            #expect(printed.migrations.byCode == [PeriodRefusalDTO(outcome: "refused", errorCode: "SESSION_NOT_COMPLETED", count: 1)])
            #expect(printed.migrations.medianSecondsToMigration == 0)
            let ticpe = try #require(printed.byProduct.first { $0.productCode == "TICPE" })
            #expect(ticpe.eligibleSessions + ticpe.potentiallyEligibleSessions == 3)
            #expect(ticpe.clientProducts == 2)
            #expect(printed.byDay == [PeriodDayDTO(date: day, startedSessions: 4, completedSessions: 3, migratedSessions: 2)])

            // …and the dashboard shows each of them.
            let page = try await browser.get("/operateur?du=\(day)&au=\(day)").body
            for (label, count) in [
                ("Commencées", printed.startedSessions), ("Terminées", printed.completedSessions), ("Migrées", printed.migratedSessions),
                ("dont nouveaux clients", printed.migratedNewClients), ("dont clients existants", printed.migratedExistingClients),
            ] {
                #expect(page.contains(#"<th scope="row">\#(label)</th><td class="nombre">\#(count)</td>"#), "\(label)")
            }
            #expect(page.contains("<strong>66,67 %</strong>"))
            for product in printed.byProduct {
                let name = app.catalog.products.first { $0.code == product.productCode }!.name
                #expect(
                    page.contains(
                        #"<th scope="row">\#(name)</th><td class="nombre">\#(product.eligibleSessions)</td><td class="nombre">\#(product.potentiallyEligibleSessions)</td><td class="nombre">\#(product.clientProducts)</td>"#
                    ), "\(product.productCode)")
            }
            #expect(
                page.contains(
                    #"<th scope="row">2 mars 2026</th><td class="nombre">4</td><td class="nombre">3</td><td class="nombre">2</td>"#))
            #expect(page.contains("<dt>Sessions rattachées</dt><dd>2</dd>"))
            #expect(page.contains(#"<th scope="row"><code>SESSION_NOT_COMPLETED</code></th><td>refus</td><td class="nombre">1</td>"#))
            #expect(page.contains(#"<svg class="graphique""#))

            // A period that cannot be read: the form again with its message, and a clear refusal elsewhere.
            let wrong = try await browser.get("/operateur?du=2026-02-30&au=\(day)")
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.contains("Erreur : Date de début invalide : attendu AAAA-MM-JJ."))
            #expect(wrong.body.contains(#"value="2026-02-30""#))
            let command = await #expect(throws: CommandError.self) {
                try await app.runCommand(["stats", "--from", "2026-03-09", "--to", day])
            }
            #expect(commandLineMessage(for: command!.error) == "--from : La date de début doit précéder la date de fin.")
            let bearer = try await app.login(Self.operatorEmail, Self.operatorPassword)
            let api = try await app.get("/api/session-migration/stats?from=\(day)&to=\(day)", bearer: bearer)
            #expect(try JSONDecoder.api.decode(StatsDTO.self, from: Data(api.body.utf8)).period == printed)
            // A period reaching before the dates a person may type is still counted.
            let early = try await app.get("/api/session-migration/stats?to=2000-01-01", bearer: bearer)
            #expect(early.status == .ok)
            #expect(try JSONDecoder.api.decode(StatsDTO.self, from: Data(early.body.utf8)).period?.from == "1999-12-03")
            let refusedPeriod = try await app.get("/api/session-migration/stats?from=2026-3-1", bearer: bearer)
            #expect(refusedPeriod.status == .unprocessableEntity)
            #expect(refusedPeriod.errorCode == "VALIDATION_FAILED")
            #expect(try await app.get("/api/session-migration/stats?to=", bearer: bearer).status == .unprocessableEntity)

            // When the two sessions never migrated are purged, the period's figures stay the same.
            clock.advance(by: app.settings.sessionLifetime + app.settings.sessionRetention + 86_400)
            #expect(try await app.purgeExpiredSessions().deleted == 2)
            #expect(try await figures() == printed)
        }
    }

    @Test(arguments: TestDatabase.all)
    func attachingShowsWhatWillBeWrittenThenAuditsTheOperator(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (browser, account) = try await Self.signedInOperator(app)
            let (clientID, _) = try await app.signUp(token: try await app.completedSession())
            let token = try await app.completedSession(changing: ["GENERAL_003": "de_21_a_50"])
            let before = try await app.migrationRows()

            // An unknown client and a session that does not exist: each field its message, values kept.
            try await browser.get("/operateur/rattacher")
            let unknown = try await browser.post("/operateur/rattacher/verifier", [("jeton", token), ("email", "personne@example.fr")])
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.body.contains("Erreur : Client non trouvé avec cet e-mail."))
            #expect(unknown.body.contains(#"value="personne@example.fr""#))
            let missing = try await browser.post(
                "/operateur/rattacher/verifier", [("jeton", "inconnu"), ("email", "jeanne.martin@example.fr")])
            #expect(missing.body.contains(#"id="jeton-erreur""#))

            // The confirmation says what will be written, and writes nothing.
            let review = try await browser.post("/operateur/rattacher/verifier", [("jeton", token), ("email", "jeanne.martin@example.fr")])
            #expect(review.status == .ok)
            #expect(review.body.contains("<h1>Confirmer le rattachement</h1>"))
            #expect(review.body.contains("<td>Mis à jour</td><td>\(ProductOutcome.updatedReason)</td>"))
            #expect(review.body.contains("<td>Non rattaché</td>"))
            #expect(try await app.migrationRows() == before)

            let done = try await browser.post("/operateur/rattacher", [("jeton", token), ("email", "jeanne.martin@example.fr")])
            #expect(done.status == .seeOther)
            let auditPath = try #require(done.location)
            let audit = try #require(try await AuditEvent.query(on: app.db).filter(\.$actorType == "operator").first())
            #expect(auditPath == "/operateur/migrations/\(audit.id!)")
            #expect(audit.actorID == account.id)
            #expect(audit.clientID == clientID)
            let detail = try await browser.get(auditPath).body
            #expect(detail.contains("L'opérateur \(Self.operatorEmail)"))
            #expect(detail.contains(#"<a href="/operateur/clients/\#(clientID)">jeanne.martin@example.fr</a>"#))
            #expect(detail.contains("<td>Mis à jour</td>"))

            // Attaching it again is refused; the refusal is in the list, with the operator as its author.
            let again = try await browser.post("/operateur/rattacher", [("jeton", token), ("email", "jeanne.martin@example.fr")])
            #expect(again.status == .seeOther)
            let other = try await app.completedSession()
            _ = try await app.signUp(token: other, email: "paul.durand@example.fr")
            let stolen = try await browser.post("/operateur/rattacher", [("jeton", other), ("email", "jeanne.martin@example.fr")])
            #expect(stolen.status == .unprocessableEntity)
            #expect(stolen.body.contains("Erreur : " + AppError.sessionAlreadyMigrated.message))
            let refusal = try #require(try await SessionMigrationRefusal.query(on: app.db).first())
            #expect(refusal.actorID == account.id)
            #expect(refusal.errorCode == AppError.sessionAlreadyMigrated.code)
            let refusedOnly = try await browser.post(
                "/operateur/migrations", [("resultat", "refused"), ("client", "jeanne.martin@example.fr")])
            #expect(refusedOnly.body.contains("<td>Refusée</td><td>L'opérateur \(Self.operatorEmail)</td>"))
            #expect(!refusedOnly.body.contains("<td>Rattachée</td>"))
            let untilToday = try await browser.post("/operateur/migrations", [("au", testStart.iso8601Day)])
            #expect(untilToday.status == .ok)
            #expect(untilToday.body.components(separatedBy: "<td>Rattachée</td>").count - 1 == 3)
            let all = try await browser.post("/operateur/migrations", [("client", "jeanne.martin@example.fr")])
            #expect(all.body.components(separatedBy: "<td>Rattachée</td>").count - 1 == 2)
            let nobody = try await browser.post("/operateur/migrations", [("client", "personne@example.fr")])
            #expect(nobody.status == .unprocessableEntity)
            #expect(nobody.body.contains("Erreur : Aucun client n'a cette adresse e-mail."))

            // A POST without its CSRF token changes nothing.
            let forged = try await browser.post(
                "/operateur/rattacher", [("jeton", other), ("email", "paul.durand@example.fr")], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try await SessionMigrationRefusal.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aCSVBatchRunsInTheBackgroundToItsReportAndABadFileChangesNothing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (browser, account) = try await Self.signedInOperator(app)
            _ = try await app.signUp(token: try await app.completedSession())
            let token = try await app.completedSession(changing: ["GENERAL_003": "de_21_a_50"])
            try await browser.get("/operateur/lots")

            // Bad files: each its French message next to the field, no batch, no migration.
            let before = try await app.migrationRows()
            for (bytes, message) in [
                (
                    Array("session_token,client_email,extra\n\(token),jeanne.martin@example.fr,1\n".utf8),
                    "Ligne 1 : 3 colonne(s) au lieu de 2"
                ),
                (Array("session_token,client_email\n\(token),jeanne.martin@example.fr\nabc\n".utf8), "Ligne 3 : 1 colonne(s) au lieu de 2"),
                ([0x61, 0x2C, 0xE9, 0x0A], "Le fichier n'est pas un texte UTF-8"),
                (Array(repeating: 0x61, count: BatchFile.maxBytes + 1), "Le fichier dépasse 1 Mo"),
                ([], "Choisissez un fichier CSV."),
            ] {
                let page = try await browser.upload("/operateur/lots", field: "fichier", filename: "lot.csv", bytes: bytes)
                #expect(page.status == .unprocessableEntity, "\(message)")
                #expect(page.body.contains(#"<p class="message-erreur" id="fichier-erreur">Erreur : \#(message)"#), "\(message)")
            }
            #expect(try await OperatorBatch.query(on: app.db).count() == 0)
            #expect(try await app.migrationRows() == before)

            // A good file, semicolons and a spreadsheet's byte-order mark: three rows, each reported.
            let csv =
                "\u{FEFF}session_token;client_email\n\(token);jeanne.martin@example.fr\n\(token);jeanne.martin@example.fr\ninconnu;personne@example.fr\n"
            let started = try await browser.upload(
                "/operateur/lots", field: "fichier", filename: "rattachements.csv", bytes: Array(csv.utf8))
            #expect(started.status == .seeOther)
            let path = try #require(started.location)
            let batch = try #require(try await OperatorBatch.query(on: app.db).first())
            #expect(path == "/operateur/lots/\(batch.id!)")
            await app.operatorBatches.wait(for: batch.id!)
            let page = try await browser.get(path).body
            #expect(page.contains("Terminé : 3 ligne(s) traitée(s) sur 3"))
            #expect(page.contains("Bilan : 1 rattachée(s), 1 déjà rattachée(s), 1 refusée(s)."))
            #expect(!page.contains("data-suivi"))
            #expect(!page.contains(token))
            let report = try await browser.get(path + "/rapport.csv")
            #expect(report.headers.contentType?.subType == "csv")
            #expect(report.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
            let lines = report.body.split(separator: "\r\n").map(String.init)
            #expect(lines.first == "ligne,email_client,resultat,detail")
            #expect(lines.count == 4)
            #expect(lines[1].hasPrefix(#"2,"jeanne.martin@example.fr","rattachée","#))
            #expect(lines[2].hasPrefix(#"3,"jeanne.martin@example.fr","déjà rattachée","#))
            #expect(lines[3] == #"4,"personne@example.fr","refusée","\#(AppError.clientNotFound.message)""#)
            #expect(!report.body.contains(token))
            // Each row was the operator's action.
            let audit = try #require(try await AuditEvent.query(on: app.db).filter(\.$actorType == "operator").first())
            #expect(audit.actorID == account.id)
            #expect(try await browser.get("/operateur/lots").body.contains("rattachements.csv"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func clientsAreFoundByEmailCompanyOrSirenAndSessionsShowNoSecret(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (browser, _) = try await Self.signedInOperator(app)
            let token = try await app.completedSession()
            let (clientID, _) = try await app.signUp(token: token)
            let open = try await app.completedSession()
            try await browser.get("/operateur/clients")
            for text in ["JEANNE.martin", "transports mar", "443 061", "443061841"] {
                let found = try await browser.post("/operateur/clients", [("q", text)])
                #expect(found.body.contains(#"<a href="/operateur/clients/\#(clientID)">jeanne.martin@example.fr</a>"#), "\(text)")
            }
            let none = try await browser.post("/operateur/clients", [("q", "50%_")])
            #expect(none.body.contains("Aucun client ne correspond"))
            #expect(!none.body.contains("/operateur/clients/\(clientID)"))
            // The operator is not a client.
            #expect(!(try await browser.post("/operateur/clients", [("q", "operatrice")]).body.contains(Self.operatorEmail + "</a>")))

            let client = try await browser.get("/operateur/clients/\(clientID)").body
            #expect(client.contains("<dt>SIREN</dt><dd>443061841</dd>"))
            #expect(client.contains("ouvert, en attente de prise en charge par un conseiller."))
            #expect(client.contains("<h2>Simulations</h2>"))
            #expect(client.contains("<td>Rattachée</td><td>Le visiteur, en créant son compte</td>"))
            #expect(try await browser.get("/operateur/clients/\(UUID())").status == .notFound)

            let sessions = try await browser.get("/operateur/sessions").body
            #expect(sessions.contains("<td>Migrée le"))
            #expect(sessions.contains("<td>Terminée le"))
            for secret in [token, open, SecretToken.hash(token), SecretToken.hash(open), "jeanne", "Transports"] {
                #expect(!sessions.contains(secret), "\(secret.prefix(6))")
            }
            // Up to a day, however long ago the first session was.
            let untilToday = try await browser.get("/operateur/sessions?au=\(testStart.iso8601Day)")
            #expect(untilToday.status == .ok)
            #expect(untilToday.body.contains("<td>Migrée le"))
            #expect(!(try await browser.get("/operateur/sessions?au=2026-03-01").body.contains("<td>Migrée le")))
            let completedOnly = try await browser.get("/operateur/sessions?statut=completed").body
            #expect(!completedOnly.contains("<td>Migrée le"))
            let wrong = try await browser.get("/operateur/sessions?statut=perdue&du=hier")
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.contains("Erreur : Choisissez un statut de la liste."))
            #expect(wrong.body.contains("Erreur : Date de début invalide"))
        }
    }
}

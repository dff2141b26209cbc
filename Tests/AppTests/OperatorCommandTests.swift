import Fluent
import Foundation
import Testing
import Vapor

@testable import App

@Suite("Commandes opérateur")
struct OperatorCommandTests {
    @Test(arguments: TestDatabase.all)
    func migrateSessionCommandMigratesOnceAndExplainsRefusals(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signUp(token: try await app.completedSession(), email: "client@email.com")
            let token = try await app.completedSession(changing: ["CEE_001": "projet_non_signe", "CEE_002": ["isolation"]])
            let output = try await app.runCommand(["migrate-session", "--token", token, "--email", "CLIENT@email.com"])
            #expect(output.contains("Migrée vers client@email.com : 5 produit(s) rattaché(s)."))
            #expect(output.contains("CEE : created"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$actorType == "cli").count() == 1)
            let again = try await app.runCommand(["migrate-session", "--token", token, "--email", "client@email.com"])
            #expect(again.contains("Déjà migrée"))
            #expect(try await Simulation.query(on: app.db).count() == 2)

            let unknown = await #expect(throws: CommandError.self) {
                try await app.runCommand(["migrate-session", "--token", token, "--email", "personne@example.fr"])
            }
            #expect(commandLineMessage(for: unknown!.error) == "Client non trouvé avec cet e-mail. (CLIENT_NOT_FOUND)")
            let missing = await #expect(throws: CommandError.self) { try await app.runCommand(["migrate-session", "--token", token]) }
            #expect(commandLineMessage(for: missing!.error).contains("--email"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTokenStartingWithADashIsGivenWithABackslash(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signUp(token: try await app.completedSession(), email: "client@email.com")
            // A token of an earlier version, which could start with "-": ConsoleKit takes it for an option.
            let token = try await app.completedSession()
            let dashed = "-" + token.dropFirst()
            let session = try #require(
                try await TemporarySession.query(on: app.db)
                    .filter(\.$tokenHash == SecretToken.hash(token)).first())
            session.tokenHash = SecretToken.hash(dashed)
            try await session.save(on: app.db)
            let plain = await #expect(throws: CommandError.self) {
                try await app.runCommand(["migrate-session", "--token", dashed, "--email", "client@email.com"])
            }
            #expect(commandLineMessage(for: plain!.error).hasSuffix("s'écrit précédée d'une barre oblique inverse : '\\-…'."))
            #expect(try await Simulation.query(on: app.db).count() == 1)
            let output = try await app.runCommand(["migrate-session", "--token", "\\" + dashed, "--email", "client@email.com"])
            #expect(output.contains("Migrée vers client@email.com"))
            #expect(try await Simulation.query(on: app.db).count() == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func batchCommandMigratesInChunksAndReportsEveryRow(_ database: TestDatabase) async throws {
        try await withTestApp(database, settings: { $0.migrationBatchSize = 2 }) { app in
            _ = try await app.signUp(token: try await app.completedSession(), email: "client@email.com")
            let first = try await app.completedSession()
            let second = try await app.completedSession()
            let open = try await app.newSession()
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("lot-\(UUID().uuidString).csv")
            try """
            session_token,client_email
            \(first),client@email.com
            \(second),Client@Email.com
            \(first),client@email.com
            \(open),client@email.com
            \(second),inconnu@example.fr
            ligne-sans-virgule
            """.write(to: file, atomically: true, encoding: .utf8)
            let failure = await #expect(throws: CommandError.self) { try await app.runCommand(["migrate-batch", "--file", file.path]) }
            let output = try #require(failure?.output)
            #expect(output.contains("Lot 1/3 : 2 ligne(s)…"))
            #expect(output.contains("ligne 2 : migrée (4 produit(s))"))
            #expect(output.contains("ligne 3 : migrée (4 produit(s))"))
            #expect(output.contains("ligne 4 : déjà migrée"))
            #expect(output.contains("ligne 5 : refusée — La simulation n'est pas terminée"))
            #expect(output.contains("ligne 6 : refusée — Client non trouvé"))
            #expect(output.contains("ligne 7 : refusée — ligne mal formée"))
            #expect(output.contains("Bilan : 2 migrée(s), 1 déjà migrée(s), 3 refusée(s)."))
            #expect(commandLineMessage(for: failure!.error) == "3 ligne(s) refusée(s).")
            #expect(try await Simulation.query(on: app.db).count() == 3)
        }
    }

    @Test(arguments: TestDatabase.all)
    func statsAndOperatorCommands(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signUp(token: try await app.completedSession())
            _ = try await app.completedSession()
            let text = try await app.runCommand(["stats"])
            #expect(text.contains("Sessions : 2, terminées : 2, migrées : 1, conversion : 50.0 %"))
            let json = try await app.runCommand(["stats", "--json"])
            #expect(try JSONDecoder.api.decode(StatsDTO.self, from: Data(json.utf8)).conversionRate == 50.0)
            let weak = await #expect(throws: CommandError.self) {
                try await app.runCommand(["create-operator", "--email", "ops@example.fr", "--password", "court"])
            }
            #expect(commandLineMessage(for: weak!.error).contains("12 caractères"))
            #expect(try await Client.query(on: app.db).filter(\.$role == .operatorAccount).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anOperatorsPasswordIsTypedTwiceRatherThanPassedOnTheCommandLine(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let typed = try await app.runCommand(
                ["create-operator", "--email", "ops@example.fr"],
                typed: ["operateur-secret-1", "operateur-secret-1"])
            #expect(typed.contains("Mot de passe : Confirmez le mot de passe : Opérateur créé : ops@example.fr"))
            #expect(!typed.contains("Attention"))
            let access = try await app.login("ops@example.fr", "operateur-secret-1")
            #expect(try await app.get("/api/session-migration/stats", bearer: access).status == .ok)

            let mistyped = await #expect(throws: CommandError.self) {
                try await app.runCommand(
                    ["create-operator", "--email", "ops2@example.fr"],
                    typed: ["operateur-secret-1", "operateur-secret-2"])
            }
            #expect(commandLineMessage(for: mistyped!.error) == "Les deux saisies du mot de passe diffèrent : aucun compte créé.")
            #expect(try await Client.query(on: app.db).filter(\.$email == "ops2@example.fr").count() == 0)

            let given = try await app.runCommand(["create-operator", "--email", "ops3@example.fr", "--password", "operateur-secret-3"])
            #expect(given.contains("Attention : un mot de passe passé en argument reste visible"))
            #expect(given.contains("Opérateur créé : ops3@example.fr"))
            #expect(try await app.login("ops3@example.fr", "operateur-secret-3").isEmpty == false)
        }
    }

    @Test(arguments: TestDatabase.all)
    func commandLineMistakesAreToldInFrench(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for (arguments, message) in [
                (["purger"], "Commande inconnue : purger (passerelle --help les liste)."),
                (["stats", "--json", "en-trop"], "Option ou valeur non reconnue : en-trop."),
            ] {
                let failure = await #expect(throws: CommandError.self) { try await app.runCommand(arguments) }
                #expect(commandLineMessage(for: failure!.error) == message)
            }
        }
        // The cases no command of ours can reach through ConsoleKit today.
        typealias Refusal = Vapor.CommandError
        #expect(commandLineMessage(for: Refusal.missingCommand) == "Commande manquante (passerelle --help les liste).")
        #expect(commandLineMessage(for: Refusal.missingRequiredArgument("file")) == "Argument obligatoire manquant : file.")
        #expect(commandLineMessage(for: Refusal.invalidArgumentType("file", type: Int.self)) == "Valeur invalide pour file.")
        #expect(commandLineMessage(for: Refusal.invalidOptionType("count", type: Int.self)) == "Valeur invalide pour --count.")
    }
}

@Suite("Commande de revue du catalogue")
struct CatalogCheckCommandTests {
    @Test func checkPrintsTheReportAndFailsOnlyWhenAFigureIsPastItsReviewDate() async throws {
        try await withTestApp(.sqlite) { app in
            let today = try await app.runCommand(["catalog", "check", "--date", "2026-12-07"])
            #expect(today.contains("Catalogue \(app.catalog.ruleset.identifier) : revue au 2026-12-07"))
            #expect(today.contains("Paramètres dont la date de revue est dépassée : 0"))
            #expect(today.contains("Valeurs non sourcées (estimations) :"))
            #expect(today.contains("cee_prix_eur_mwh_cumac"))
            #expect(today.contains("Résultat : aucun paramètre en retard de revue."))

            let late = await #expect(throws: CommandError.self) {
                try await app.runCommand(["catalog", "check", "--date", "2030-01-01"])
            }
            #expect(late?.output.contains("cir_taux") == true)
            #expect(
                commandLineMessage(for: late!.error)
                    == "\(app.catalog.parameters.count) paramètre(s) du catalogue à revoir : date de revue dépassée.")

            let reportOnly = try await app.runCommand(["catalog", "check", "--date", "2030-01-01", "--report-only"])
            #expect(reportOnly.contains("à revoir au plus tard le"))

            let badDate = await #expect(throws: CommandError.self) { try await app.runCommand(["catalog", "check", "--date", "demain"]) }
            #expect(commandLineMessage(for: badDate!.error) == "--date attend une date AAAA-MM-JJ (reçu : demain).")
        }
    }
}

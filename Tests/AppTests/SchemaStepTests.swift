import Eligibility
import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// The schema step every start runs (`SchemaStep`): once across servers started together, refusing
/// a schema newer than the code, and `passerelle migrate` for operators who run it as a deploy step.
@Suite("Étape du schéma au démarrage")
struct SchemaStepTests {
    @Test(arguments: TestDatabase.all)
    func serversStartedTogetherOnAFreshDatabaseAllComeUpWithTheWholeSchema(_ database: TestDatabase) async throws {
        // Given a fresh database
        let (settings, cleanup) = database.makeSettings()

        // When three applications configure themselves on it at the same moment
        let started = await withTaskGroup(of: (Application, (any Error)?).self) { group in
            for _ in 0..<3 {
                group.addTask {
                    let app = try! await Application.make(.testing)
                    do {
                        try await configure(app, settings: settings, clock: ManualClock(testStart))
                        return (app, nil)
                    } catch {
                        return (app, error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let apps = started.map(\.0)
        if let error = started.compactMap(\.1).first {
            for app in apps { try? await app.asyncShutdown() }
            removeSQLite(database, cleanup)
            throw error
        }

        // Then each change is applied once, by one of them, and each serves a whole journey
        let logs = try await MigrationLog.query(on: apps[0].db).all()
        let names = SchemaChanges.all(catalog: apps[0].catalog, backend: apps[0].backend).map(\.name)
        #expect(logs.map(\.name).sorted() == names.sorted())
        #expect(apps.map { $0.schemaReport.applied.count }.sorted() == [0, 0, names.count])
        for (index, app) in apps.enumerated() {
            let (clientID, _) = try await app.signUp(token: try await app.completedSession(), email: "client\(index)@example.fr")
            #expect(try await ClientProduitEligible.query(on: app.db).filter(\.$client.$id == clientID).count() > 0)
        }
        await dropSchema(database, cleanup, on: apps[0])
        for app in apps { try await app.asyncShutdown() }
        removeSQLite(database, cleanup)
    }

    @Test(arguments: TestDatabase.all)
    func aDatabaseMigratedByANewerBuildIsRefusedAndLeftAlone(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // Given a database on which a newer build applied a change this one does not know
            try await MigrationLog(name: "App.AChangeFromANewerBuild", batch: 99).create(on: app.db)
            let sessionsBefore = try await TemporarySession.query(on: app.db).count()

            // When this build starts on it
            let error = await #expect(throws: StartupError.self) { try await startAnother(on: app.settings) }

            // Then it refuses, naming the change and what to do, and writes nothing
            #expect(error?.message.contains("plus récent que ce programme") == true, "\(String(describing: error))")
            #expect(error?.message.contains("App.AChangeFromANewerBuild") == true)
            #expect(
                try await MigrationLog.query(on: app.db).count() == SchemaChanges.all(catalog: app.catalog, backend: app.backend).count + 1)
            #expect(try await TemporarySession.query(on: app.db).count() == sessionsBefore)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDatabaseBehindIsRefusedWithoutAutoMigrateAndMigrateBringsItUp(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // Given a database one change behind
            try await IndexUnmigratedSessions().revert(on: app.db)
            try await MigrationLog.query(on: app.db).filter(\.$name == "App.IndexUnmigratedSessions").delete()
            var manual = app.settings
            manual.autoMigrate = false

            // When a server starts on it with AUTO_MIGRATE=false, then it refuses and says what to run
            let refusal = await #expect(throws: StartupError.self) { try await startAnother(on: manual) }
            #expect(refusal?.message.contains("1 changement(s) en attente") == true, "\(String(describing: refusal))")
            #expect(refusal?.message.contains("passerelle migrate") == true)
            #expect(try await MigrationLog.query(on: app.db).filter(\.$name == "App.IndexUnmigratedSessions").count() == 0)

            // When an operator runs `passerelle migrate`, then the change is applied and reported
            let output = try await startAnother(on: manual, arguments: ["migrate"])
            #expect(output.contains("Schéma mis à jour : 1 changement(s) appliqué(s)."), "\(output)")
            #expect(output.contains("App.IndexUnmigratedSessions"))
            #expect(try await MigrationLog.query(on: app.db).filter(\.$name == "App.IndexUnmigratedSessions").count() == 1)

            // When it runs again, then there is nothing to do, and a server starts with AUTO_MIGRATE=false
            #expect(try await startAnother(on: manual, arguments: ["migrate"]).contains("Schéma déjà à jour"))
            _ = try await startAnother(on: manual)
        }
    }

    /// The files of `Persistence/Schema` are numbered in the order the changes are applied, one change
    /// per file, named after its type: a newcomer reads the schema's history in the folder.
    @Test
    func schemaChangesAreNumberedInOrderOnePerFile() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/App/Persistence/Schema").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.first?.isNumber == true }.sorted()
        let catalog = try Catalog.bundled(requiringParametersOn: CalendarDay(testStart))
        let types = SchemaChanges.all(catalog: catalog, backend: SQLiteBackend(path: "", poolTimeoutMilliseconds: 1))
            .map { String(describing: type(of: $0)) }
        #expect(files == types.enumerated().map { String(format: "%03d_%@.swift", $0.offset + 1, $0.element) })
    }
}

/// Configures another application on `settings`' database, runs `arguments` as a command when given,
/// and shuts it down; returns what the command printed.
@discardableResult
private func startAnother(on settings: AppSettings, arguments: [String] = []) async throws -> String {
    let app = try await Application.make(Environment(name: "testing", arguments: ["passerelle"] + arguments))
    do {
        try await configure(app, settings: settings, clock: ManualClock(testStart))
        let output = arguments.isEmpty ? "" : try await app.runCommand(arguments)
        try await app.asyncShutdown()
        return output
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

private func removeSQLite(_ database: TestDatabase, _ path: String) {
    guard database == .sqlite else { return }
    for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

private func dropSchema(_ database: TestDatabase, _ schema: String, on app: Application) async {
    guard database == .postgres else { return }
    try? await app.db.sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
}

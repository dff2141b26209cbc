import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// PostgreSQL only: the migration's documents stay in their rows (`KeepDocumentsInTheirRows`).
@Suite("Stockage des documents sur PostgreSQL")
struct DocumentStorageTests {
    static let databases = TestDatabase.all.filter { $0 == .postgres }

    /// Rows in `table`'s TOAST relation, and the largest stored size of `column` in `table`.
    func storage(_ table: String, _ column: String, on sql: any SQLDatabase) async throws -> (toastRows: Int, largest: Int) {
        let toast = try #require(
            try await sql.raw(
                """
                SELECT reltoastrelid::regclass::text AS toast FROM pg_class WHERE oid = \(bind: "\"\(table)\"")::regclass
                """
            ).first()?.decode(column: "toast", as: String.self))
        let rows = try #require(
            try await sql.raw("SELECT count(*) AS n FROM \(unsafeRaw: toast)").first()?.decode(column: "n", as: Int.self))
        let largest = try #require(
            try await sql.raw("SELECT max(pg_column_size(\(ident: column))) AS n FROM \(ident: table)")
                .first()?.decode(column: "n", as: Int.self))
        return (rows, largest)
    }

    @Test(arguments: databases)
    func productDocumentsStayInTheirRows(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let sql = app.db as! any SQLDatabase
            // A completed session's row holds a product's trace twice (its result and the metadata a
            // migration copies): past a page (8 160 bytes), as TICPE's is, PostgreSQL must move it out.
            // Without TICPE, every row of a completed session fits.
            _ = try await app.completedSession(changing: ["TICPE_001": false])
            try await expectInTheirRows(TemporaryEligibility.schema, SessionMigrationDocuments.metadataColumn, on: sql)

            // A client's product holds its document once: TICPE's too stays in its row.
            _ = try await app.signUp(token: try await app.completedSession())
            try await expectInTheirRows(ClientProduitEligible.schema, "metadata", on: sql)
        }
    }

    func expectInTheirRows(
        _ table: String, _ column: String, on sql: any SQLDatabase,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let stored = try await storage(table, column, on: sql)
        // Past PostgreSQL's 2 kB threshold, where the default storage would move it out of the row…
        #expect(stored.largest > 2032, "\(table).\(column): \(stored.largest) octets", sourceLocation: sourceLocation)
        // …yet kept in it.
        #expect(stored.toastRows == 0, "\(table): \(stored.toastRows) morceaux hors de la ligne", sourceLocation: sourceLocation)
    }

    /// Each of `KeepDocumentsInTheirRows.tables`' `toast_tuple_target`, in that order, from its storage
    /// parameters: nil when it has PostgreSQL's default.
    func rowTargets(on sql: any SQLDatabase) async throws -> [Int?] {
        var targets: [Int?] = []
        for table in KeepDocumentsInTheirRows.tables {
            let options =
                try await sql.raw(
                    """
                    SELECT coalesce(array_to_string(reloptions, ','), '') AS options FROM pg_class WHERE oid = \(bind: "\"\(table)\"")::regclass
                    """
                ).first()?.decode(column: "options", as: String.self) ?? ""
            let target = options.split(separator: ",").first { $0.hasPrefix("toast_tuple_target=") }
            targets.append(target.flatMap { Int($0.dropFirst("toast_tuple_target=".count)) })
        }
        return targets
    }

    /// Reverting the migration gives the tables back PostgreSQL's default; preparing it again sets it.
    @Test(arguments: databases)
    func revertingGivesBackTheDefault(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let sql = app.db as! any SQLDatabase
            let set = KeepDocumentsInTheirRows.tables.map { _ in Optional(KeepDocumentsInTheirRows.rowTarget) }
            let unset = KeepDocumentsInTheirRows.tables.map { _ in Int?.none }
            #expect(try await rowTargets(on: sql) == set)
            try await KeepDocumentsInTheirRows(backend: app.backend).revert(on: app.db)
            #expect(try await rowTargets(on: sql) == unset)
            try await KeepDocumentsInTheirRows(backend: app.backend).prepare(on: app.db)
            #expect(try await rowTargets(on: sql) == set)
        }
    }
}

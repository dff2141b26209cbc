@testable import App
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// PostgreSQL only: the migration's documents stay in their rows (`KeepDocumentsInTheirRows`).
@Suite("Stockage des documents sur PostgreSQL")
struct DocumentStorageTests {
    static let databases = TestDatabase.all.filter { $0 == .postgres }

    /// Rows in `table`'s TOAST relation, and the largest stored size of `column` in `table`.
    func storage(_ table: String, _ column: String, on sql: any SQLDatabase) async throws -> (toastRows: Int, largest: Int) {
        let toast = try #require(try await sql.raw("""
            SELECT reltoastrelid::regclass::text AS toast FROM pg_class WHERE oid = \(bind: "\"\(table)\"")::regclass
            """).first()?.decode(column: "toast", as: String.self))
        let rows = try #require(try await sql.raw("SELECT count(*) AS n FROM \(unsafeRaw: toast)").first()?.decode(column: "n", as: Int.self))
        let largest = try #require(try await sql.raw("SELECT max(pg_column_size(\(ident: column))) AS n FROM \(ident: table)")
            .first()?.decode(column: "n", as: Int.self))
        return (rows, largest)
    }

    @Test(arguments: databases)
    func productDocumentsStayInTheirRows(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let sql = app.db as! any SQLDatabase
            _ = try await app.signUp(token: try await app.completedSession())

            for (table, column) in [(ClientProduitEligible.schema, "metadata"),
                                    (TemporaryEligibility.schema, MigrationDocuments.metadataColumn)] {
                let stored = try await storage(table, column, on: sql)
                // Past PostgreSQL's 2 kB threshold, where the default storage would move it out of the row…
                #expect(stored.largest > 2032, "\(table).\(column): \(stored.largest) octets")
                // …yet kept in it.
                #expect(stored.toastRows == 0, "\(table): \(stored.toastRows) morceaux hors de la ligne")
            }
        }
    }
}

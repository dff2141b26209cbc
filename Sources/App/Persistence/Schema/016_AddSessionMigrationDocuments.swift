import Eligibility
import Fluent
import Foundation
import SQLKit

/// Adds the documents a migration copies (`SessionMigrationDocuments`), compressed with lz4 on PostgreSQL,
/// writes them for the sessions already completed, and installs the migration function that reads
/// them. Reverting leaves the columns: the installed function reads them.
struct AddSessionMigrationDocuments: AsyncMigration {
    var name: String { "App.AddMigrationDocuments" }
    let catalog: Catalog
    let backend: any DatabaseBackend

    static let columns: [(table: String, column: String)] = [
        (TemporarySession.schema, SessionMigrationDocuments.answersColumn),
        (TemporarySession.schema, SessionMigrationDocuments.resultsColumn),
        (TemporaryEligibility.schema, SessionMigrationDocuments.metadataColumn),
    ]

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema(TemporarySession.schema).field(.string(SessionMigrationDocuments.answersColumn), .array(of: .json))
            .update()
        try await database.schema(TemporarySession.schema).field(.string(SessionMigrationDocuments.resultsColumn), .array(of: .json))
            .update()
        try await database.schema(TemporaryEligibility.schema).field(.string(SessionMigrationDocuments.metadataColumn), .json).update()
        try await backend.setCompression("lz4", of: Self.columns, on: database.sql)
        try await backfill(on: database)
        try await backend.installFunctions(on: database.sql)
    }

    func revert(on database: any Database) async throws {}

    /// The completed sessions' documents, built from their stored answers and results, `chunkSize`
    /// sessions at a time in the order of their ids, so that memory stays bounded however many there are.
    func backfill(on database: any Database, chunkSize: Int = 500) async throws {
        let sql = database.sql
        var last: UUID?
        repeat {
            let query = TemporarySession.query(on: database).filter(\.$status == .completed).sort(\.$id).limit(chunkSize)
            if let last { query.filter(\.$id > last) }
            let sessions = try await query.all()
            for session in sessions {
                let sessionID = try session.requireID()
                let answers = try await TemporaryResponse.answers(ofSession: sessionID, on: database)
                let rows = try await TemporaryEligibility.query(on: database).filter(\.$session.$id == sessionID).all()
                try await SessionMigrationDocumentStore(catalog: catalog, backend: backend).store(
                    answers: answers, results: rows, sessionID: sessionID, on: sql)
                for row in rows where SessionMigrationDocuments.isAttached(row.status) {
                    try await sql.update(TemporaryEligibility.schema)
                        .set(
                            SessionMigrationDocuments.metadataColumn,
                            to: SQLBind(try SessionMigrationDocuments.metadataDocument(row, sessionID: sessionID))
                        )
                        .where("id", .equal, SQLBind(row.id))
                        .run()
                }
            }
            last = sessions.count == chunkSize ? try sessions.last?.requireID() : nil
        } while last != nil
    }
}

import Fluent
import Foundation
import SQLKit

/// Adds what a migration writes for each product result, decided in Swift when the session is
/// completed (`ProductPlan`), and the table of the migration's French sentences
/// (`SessionMigrationTexts`), so that both writers copy the same values instead of computing them.
/// Fills the plans of the sessions already completed.
struct AddSessionMigrationPlan: AsyncMigration {
    var name: String { "App.AddSessionMigrationPlan" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        let types: [DatabaseSchema.DataType] = [.string, .double, .double, .int, .string, .int]
        for (column, type) in zip(ProductPlan.columns, types) {
            try await database.schema(TemporaryEligibility.schema).field(.string(column), type).update()
        }
        try await database.schema(SessionMigrationTexts.table)
            .field("code", .string, .identifier(auto: false))
            .field("message", .string, .required)
            .create()
        try await backfill(on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SessionMigrationTexts.table).delete()
        for column in ProductPlan.columns {
            try await database.schema(TemporaryEligibility.schema).deleteField(.string(column)).update()
        }
    }

    /// The plans of completed sessions' results, `chunkSize` sessions at a time in the order of their ids.
    func backfill(on database: any Database, chunkSize: Int = 500) async throws {
        var last: UUID?
        repeat {
            let query = TemporarySession.query(on: database).filter(\.$status == .completed).sort(\.$id).limit(chunkSize)
            if let last { query.filter(\.$id > last) }
            let sessions = try await query.all()
            for session in sessions {
                let rows = try await TemporaryEligibility.query(on: database).filter(\.$session.$id == session.requireID()).all()
                for row in rows {
                    guard let plan = ProductPlan(status: row.status, score: row.score, estimatedSavings: row.estimatedSavings) else {
                        continue
                    }
                    let update = database.sql.update(TemporaryEligibility.schema)
                    for (column, value) in zip(ProductPlan.columns, plan.values) { update.set(column, to: SQLBind(value)) }
                    try await update.where("id", .equal, SQLBind(row.id)).run()
                }
            }
            last = sessions.count == chunkSize ? try sessions.last?.requireID() : nil
        } while last != nil
    }
}

import Fluent
import Foundation
import SQLKit

/// How many failed sign-ins an email address may have in a row before it is closed for a while.
/// Counted in the database, so that every server process sees the same count, and for unknown
/// addresses as for known ones, so that being refused says nothing of whether an account exists.
enum LoginThrottling {
    /// Failures in a row that are only answered 401.
    static let freeFailures = 5
    /// The closing after the last free failure; each further failure doubles it, up to `longestBlock`.
    static let firstBlock: TimeInterval = 60
    static let longestBlock: TimeInterval = 15 * 60
    /// A failure this long after the previous one starts the count again (longer than `longestBlock`,
    /// so that waiting out the longest closing does not give the free failures back).
    static let forgetAfter: TimeInterval = 60 * 60

    /// How long the address is closed after `failures` failures in a row; nil while it is not.
    static func block(afterFailures failures: Int) -> TimeInterval? {
        guard failures >= freeFailures else { return nil }
        let doublings = min(failures - freeFailures, 16)
        return min(firstBlock * Double(1 << doublings), longestBlock)
    }

    /// The address as it is stored: trimmed, lower-cased, hashed.
    static func key(email: String) -> String {
        SecretToken.hash(email.normalizedEmail)
    }

    /// The address's count of failures, if it has one.
    static func count(key: String, on database: any Database) async throws -> LoginThrottle? {
        try await LoginThrottle.query(on: database).filter(\.$keyHash == key).first()
    }

    /// Counts one more failure, atomically (two processes failing at once both count), and closes
    /// the address when that failure is one too many. Forgets first every count whose last failure is
    /// older than `forgetAfter`, this one's included: nothing is kept longer than needed, and such a
    /// count is never closed (`longestBlock` is shorter).
    static func recordFailure(key: String, now: Date, on database: any Database) async throws {
        try await LoginThrottle.query(on: database).filter(\.$updatedAt < now.addingTimeInterval(-forgetAfter)).delete()
        let sql = database.sql
        let row = try await sql.raw(
            """
            INSERT INTO \(ident: LoginThrottle.schema) ("id", "key_hash", "failures", "blocked_until", "updated_at")
            VALUES (\(bind: UUID()), \(bind: key), 1, NULL, \(bind: now))
            ON CONFLICT ("key_hash") DO UPDATE
               SET "failures" = \(ident: LoginThrottle.schema)."failures" + 1, "updated_at" = excluded."updated_at"
            RETURNING "failures"
            """
        ).first()
        let failures = try row?.decode(column: "failures", as: Int.self) ?? 1
        guard let block = block(afterFailures: failures) else { return }
        try await LoginThrottle.query(on: database)
            .filter(\.$keyHash == key)
            .set(\.$blockedUntil, to: now.addingTimeInterval(block))
            .update()
    }

    /// A successful sign-in starts the count again.
    static func forget(key: String, on database: any Database) async throws {
        try await LoginThrottle.query(on: database).filter(\.$keyHash == key).delete()
    }
}

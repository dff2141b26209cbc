import Fluent
import Foundation

/// An anonymous simulator session. Its token is given to the visitor once and only its SHA-256 is kept.
final class TemporarySession: Model, @unchecked Sendable {
    static let schema = "TemporarySession"

    @ID(key: .id) var id: UUID?
    @Field(key: "session_token_hash") var tokenHash: String
    @Field(key: "status") var status: SessionStatus
    @OptionalField(key: "ruleset_version") var rulesetVersion: String?
    @OptionalField(key: "evaluated_on") var evaluatedOn: String?
    @OptionalField(key: "completed_at") var completedAt: Date?
    @OptionalField(key: "abandoned_at") var abandonedAt: Date?
    @OptionalField(key: "abandon_reason") var abandonReason: String?
    @OptionalField(key: "migrated_at") var migratedAt: Date?
    @OptionalParent(key: "client_id") var client: Client?
    @OptionalField(key: "migration_result") var migrationResult: StoredOutcome?
    @Field(key: "last_activity") var lastActivity: Date
    @Field(key: "expires_at") var expiresAt: Date
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    init(tokenHash: String, now: Date, lifetime: TimeInterval) {
        self.tokenHash = tokenHash
        self.status = .inProgress
        self.lastActivity = now
        self.expiresAt = now.addingTimeInterval(lifetime)
        self.createdAt = now
        self.updatedAt = now
    }

    func touch(_ now: Date, lifetime: TimeInterval) {
        lastActivity = now
        expiresAt = now.addingTimeInterval(lifetime)
        updatedAt = now
    }
}

enum SessionStatus: String, Codable, Sendable, CaseIterable {
    case inProgress = "in_progress"
    case completed
    case migrated
    case abandoned

    /// The statuses of a session that was completed (since migrated or not), as the conversion
    /// figures and the purge's tallies count it.
    static let completedStatuses = [SessionStatus.completed.rawValue, SessionStatus.migrated.rawValue]
}

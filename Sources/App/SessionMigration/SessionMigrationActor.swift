import Foundation

/// Who asks for a migration, for the audit trail.
enum SessionMigrationActor: Sendable {
    case signup
    case client(UUID)
    case operatorAccount(UUID)
    case commandLine
    /// A row of a CSV batch: the console's (the operator who uploaded it) or `migrate-batch`'s (nil).
    case batch(operatorID: UUID?)

    var type: String {
        switch self {
        case .signup: return "signup"
        case .client: return "client"
        case .operatorAccount: return "operator"
        case .commandLine: return "cli"
        case .batch(let operatorID): return operatorID == nil ? "cli" : "operator"
        }
    }

    var id: UUID? {
        switch self {
        case .client(let id), .operatorAccount(let id): return id
        case .batch(let operatorID): return operatorID
        case .signup, .commandLine: return nil
        }
    }
}

extension Date {
    /// `2026-03-02T10:00:00Z`, the form SQL's `to_char` writes too.
    var iso8601Seconds: String {
        formatted(.iso8601)
    }

    /// `2026-03-02`, the UTC day, as the statistics' SQL writes it.
    var iso8601Day: String {
        formatted(.iso8601.year().month().day())
    }
}

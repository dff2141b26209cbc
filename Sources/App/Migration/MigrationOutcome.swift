import Foundation

/// What happened to one product of a migrated session.
struct ProductOutcome: Codable, Sendable, Equatable {
    let productCode: String
    /// `created`, `updated`, `kept` or `not_eligible`.
    let outcome: String
    let reason: String?
    let status: String

    enum CodingKeys: String, CodingKey {
        case outcome, reason, status
        case productCode = "product_code"
    }

    static let updatedReason = "Produit déjà associé, encore non traité : actualisé avec cette simulation."
    static let keptReason = "Produit déjà associé et en cours de traitement : conservé tel quel."
    static let notEligibleReason = "Produit non éligible : non rattaché."
    static let notInCatalogReason = "Produit absent du catalogue : non rattaché."
}

/// The result of a migration, stored on the session so a retry answers the same without writing.
/// Written identically by the Swift path and the SQL function.
struct MigrationOutcome: Codable, Sendable, Equatable {
    let clientID: UUID
    let clientEmail: String
    let migratedProductsCount: Int
    let products: [ProductOutcome]
    let simulationID: UUID
    let migratedAt: String

    enum CodingKeys: String, CodingKey {
        case products
        case clientID = "client_id"
        case clientEmail = "client_email"
        case migratedProductsCount = "migrated_products_count"
        case simulationID = "simulation_id"
        case migratedAt = "migrated_at"
    }
}

/// `migration_result` as it is read back: the outcome, or nil when the stored JSON does not have
/// its shape (written by another version). The session stays readable; a retry of its migration,
/// which can no longer be given the first outcome, is refused as already migrated.
struct StoredOutcome: Codable, Sendable {
    let outcome: MigrationOutcome?

    init(from decoder: any Decoder) throws {
        // Through a single-value container: the database drivers' decoders first try a keyed
        // container and fall back to JSON when it throws, a fallback a `try?` here would swallow.
        outcome = try? decoder.singleValueContainer().decode(MigrationOutcome.self)
    }

    func encode(to encoder: any Encoder) throws {
        try outcome.encode(to: encoder)
    }
}

/// Who asks for a migration, for the audit trail.
enum MigrationActor: Sendable {
    case signup
    case client(UUID)
    case operatorAccount(UUID)
    case commandLine

    var type: String {
        switch self {
        case .signup: return "signup"
        case .client: return "client"
        case .operatorAccount: return "operator"
        case .commandLine: return "cli"
        }
    }

    var id: UUID? {
        switch self {
        case .client(let id), .operatorAccount(let id): return id
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

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

    /// What a migration does with one result of the session (`attached`: it has a plan), given the
    /// client's product of the same code if any: the Swift writer's decision, and the console's
    /// preview of it. The SQL function decides the same (the writers' parity test says so).
    static func decide(code: String, status: String, attached: Bool, inCatalog: Bool, owned: OwnedProductRow?) -> ProductOutcome {
        guard attached else { return ProductOutcome(productCode: code, outcome: "not_eligible", reason: notEligibleReason, status: status) }
        guard inCatalog else { return ProductOutcome(productCode: code, outcome: "kept", reason: notInCatalogReason, status: status) }
        guard let owned else { return ProductOutcome(productCode: code, outcome: "created", reason: nil, status: status) }
        if owned.isWorked { return ProductOutcome(productCode: code, outcome: "kept", reason: keptReason, status: status) }
        return ProductOutcome(productCode: code, outcome: "updated", reason: updatedReason, status: status)
    }
}

/// The result of a migration, stored on the session so a retry answers the same without writing.
/// Written identically by the Swift path and the SQL function.
struct SessionMigrationOutcome: Codable, Sendable, Equatable {
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
    let outcome: SessionMigrationOutcome?

    init(from decoder: any Decoder) throws {
        // Through a single-value container: the database drivers' decoders first try a keyed
        // container and fall back to JSON when it throws, a fallback a `try?` here would swallow.
        outcome = try? decoder.singleValueContainer().decode(SessionMigrationOutcome.self)
    }

    func encode(to encoder: any Encoder) throws {
        try outcome.encode(to: encoder)
    }
}

/// An audit event's `details`: what a migration attached, or the code of its failure.
struct SessionMigrationAuditDetails: Codable, Sendable, Equatable {
    var errorCode: String?
    var migratedProductsCount: Int?
    var products: [ProductOutcome]?

    enum CodingKeys: String, CodingKey {
        case products
        case errorCode = "error_code"
        case migratedProductsCount = "migrated_products_count"
    }
}

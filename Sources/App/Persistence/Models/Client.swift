import Fluent
import Foundation

/// A client account (or an operator's, by `role`). The email is stored lower-cased and unique.
final class Client: Model, @unchecked Sendable {
    static let schema = "Client"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "password") var passwordHash: String
    @Field(key: "role") var role: ClientRole
    @OptionalField(key: "name") var name: String?
    @OptionalField(key: "company_name") var companyName: String?
    @OptionalField(key: "phone_number") var phoneNumber: String?
    @OptionalField(key: "siren") var siren: String?
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "city") var city: String?
    @OptionalField(key: "postal_code") var postalCode: String?
    @Field(key: "type") var type: String
    @Field(key: "statut") var statut: String
    @OptionalField(key: "secteurActivite") var sector: String?
    @OptionalField(key: "trancheEffectif") var headcountBand: String?
    @OptionalField(key: "trancheChiffreAffaires") var turnoverBand: String?
    @OptionalField(key: "nombreEmployes") var employeeCount: Int?
    @OptionalField(key: "revenuAnnuel") var annualRevenue: Double?
    @OptionalField(key: "dateSimulation") var simulationDate: Date?
    @Field(key: "metadata") var metadata: ClientMetadata
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    /// A new, active account: what every account has, whatever created it (sign-up, operator command,
    /// benchmark). The email must already be normalised (trimmed, lower-cased).
    init(email: String, passwordHash: String, role: ClientRole, type: String, metadata: ClientMetadata, now: Date) {
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.type = type
        self.statut = "actif"
        self.metadata = metadata
        self.createdAt = now
        self.updatedAt = now
    }
}

enum ClientRole: String, Codable, Sendable {
    case client
    case operatorAccount = "operator"
}

struct ClientMetadata: Codable, Sendable, Equatable {
    var source: String?

    init(source: String? = nil, sessionID: UUID? = nil, migrationDate: String? = nil, estimatedFields: [String]? = nil) {
        self.source = source
        self.sessionID = sessionID
        self.migrationDate = migrationDate
        self.estimatedFields = estimatedFields
    }

    var sessionID: UUID?
    /// ISO 8601, as text so SQL and Swift write the same JSON.
    var migrationDate: String?
    /// Profile fields that are estimates rather than answers, by column name.
    var estimatedFields: [String]?

    enum CodingKeys: String, CodingKey {
        case source
        case sessionID = "session_id"
        case migrationDate = "migration_date"
        case estimatedFields = "estimated_fields"
    }
}

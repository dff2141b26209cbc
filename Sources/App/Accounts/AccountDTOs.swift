import Vapor

struct LoginInput: Content {
    let email: String
    let password: String
}

struct AccessTokenDTO: Content {
    var success = true
    let accessToken: String
    var tokenType = "Bearer"
    let expiresAt: Date
    let clientID: UUID
    let role: String

    enum CodingKeys: String, CodingKey {
        case success, role
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresAt = "expires_at"
        case clientID = "client_id"
    }
}

struct SignedOutDTO: Content {
    var success = true
    let revokedTokens: Int
    let message: String

    enum CodingKeys: String, CodingKey {
        case success, message
        case revokedTokens = "revoked_tokens"
    }
}

struct ClientProfileDTO: Content {
    var success = true
    let id: UUID
    let email: String
    let role: String
    let name: String?
    let companyName: String?
    let phoneNumber: String?
    let siren: String?
    let address: String?
    let city: String?
    let postalCode: String?
    let secteurActivite: String?
    let trancheEffectif: String?
    let trancheChiffreAffaires: String?
    let statut: String
    let createdAt: Date

    enum CodingKeys: String, CodingKey {
        case success, id, email, role, name, siren, address, city, statut, secteurActivite, trancheEffectif, trancheChiffreAffaires
        case companyName = "company_name"
        case phoneNumber = "phone_number"
        case postalCode = "postal_code"
        case createdAt = "created_at"
    }

    init(_ client: Client) {
        id = client.id!
        email = client.email
        role = client.role.rawValue
        name = client.name
        companyName = client.companyName
        phoneNumber = client.phoneNumber
        siren = client.siren
        address = client.address
        city = client.city
        postalCode = client.postalCode
        secteurActivite = client.sector
        trancheEffectif = client.headcountBand
        trancheChiffreAffaires = client.turnoverBand
        statut = client.statut
        createdAt = client.createdAt
    }
}

struct ClientProductDTO: Content {
    let id: UUID
    let productCode: String
    let productName: String
    let statut: String
    let tauxFinal: Double
    let montantFinal: Double
    let priorite: Int
    let currentStep: Int
    let progress: Int
    let confidenceLevel: String
    let recommendations: [String]
    let riskFactors: [String]
    let migratedFromSimulator: Bool
    let dateEligibilite: Date?

    enum CodingKeys: String, CodingKey {
        case id, statut, tauxFinal, montantFinal, priorite, progress, recommendations, dateEligibilite
        case productCode = "product_code"
        case productName = "product_name"
        case currentStep = "current_step"
        case confidenceLevel = "confidence_level"
        case riskFactors = "risk_factors"
        case migratedFromSimulator = "migrated_from_simulator"
    }
}

struct ClientProductsDTO: Content {
    var success = true
    let products: [ClientProductDTO]
    let totalMontantFinal: Double

    enum CodingKeys: String, CodingKey {
        case success, products
        case totalMontantFinal = "total_montant_final"
    }
}

struct SimulationSummaryDTO: Content {
    let id: UUID
    let createdAt: Date
    let rulesetVersion: String
    let source: String
    let answers: [SimulationAnswer]
    let results: [ProductResultDTO]

    enum CodingKeys: String, CodingKey {
        case id, source, answers, results
        case createdAt = "created_at"
        case rulesetVersion = "ruleset_version"
    }
}

struct SimulationsDTO: Content {
    var success = true
    let simulations: [SimulationSummaryDTO]
}

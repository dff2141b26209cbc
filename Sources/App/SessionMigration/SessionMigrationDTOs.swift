import Eligibility
import Vapor

struct MigrateInput: Content {
    let sessionToken: String
    let clientData: ClientSignupInput

    enum CodingKeys: String, CodingKey {
        case sessionToken = "session_token"
        case clientData = "client_data"
    }
}

struct MigrateExistingInput: Content {
    let sessionToken: String
    /// Operators only: the client to attach the session to.
    let clientEmail: String?

    enum CodingKeys: String, CodingKey {
        case sessionToken = "session_token"
        case clientEmail = "client_email"
    }
}

/// The JSON of the user's documents, plus the per-product outcomes (and an access token after sign-up).
struct SessionMigrationResponseDTO: Content {
    var success = true
    let clientID: UUID
    let clientEmail: String
    let migratedProductsCount: Int
    let sessionToken: String
    let message: String
    let alreadyMigrated: Bool
    let products: [ProductOutcome]
    var accessToken: String?
    var tokenType: String?
    var expiresAt: Date?

    enum CodingKeys: String, CodingKey {
        case success, message, products
        case clientID = "client_id"
        case clientEmail = "client_email"
        case migratedProductsCount = "migrated_products_count"
        case sessionToken = "session_token"
        case alreadyMigrated = "already_migrated"
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresAt = "expires_at"
    }

    init(_ completed: SessionMigrationService.Completed, token: String, newClient: Bool) {
        clientID = completed.outcome.clientID
        clientEmail = completed.outcome.clientEmail
        migratedProductsCount = completed.outcome.migratedProductsCount
        sessionToken = token
        alreadyMigrated = completed.alreadyMigrated
        products = completed.outcome.products
        message =
            completed.alreadyMigrated
            ? Self.alreadyMigratedToThisClient
            : (newClient ? "Compte créé et simulation rattachée." : Self.migratedToExistingClient)
    }

    static let migratedToExistingClient = "Migration réussie vers le client existant"
    static let alreadyMigratedToThisClient = "Session déjà migrée vers ce client : rien de plus n'a été écrit."
}

struct CanMigrateDTO: Content {
    var success = true
    let canMigrate: Bool
    let status: SessionStatus
    let reason: String?
    let reasonCode: String?

    enum CodingKeys: String, CodingKey {
        case success, status, reason
        case canMigrate = "can_migrate"
        case reasonCode = "reason_code"
    }
}

struct SessionAnswerDTO: Content {
    let questionID: String
    let questionText: String
    let questionType: String
    let responseValue: AnswerValue
    let responseLabel: String

    enum CodingKeys: String, CodingKey {
        case questionID = "question_id"
        case questionText = "question_text"
        case questionType = "question_type"
        case responseValue = "response_value"
        case responseLabel = "response_label"
    }
}

struct ExtractedClientDataDTO: Content {
    let secteurActivite: String?
    let trancheEffectif: String?
    let trancheChiffreAffaires: String?

    enum CodingKeys: String, CodingKey {
        case secteurActivite = "secteur_activite"
        case trancheEffectif = "tranche_effectif"
        case trancheChiffreAffaires = "tranche_chiffre_affaires"
    }
}

struct SessionSummaryDTO: Content {
    let status: SessionStatus
    let createdAt: Date
    let completedAt: Date?
    let expiresAt: Date
    let rulesetVersion: String?
    let evaluatedOn: String?

    enum CodingKeys: String, CodingKey {
        case status
        case createdAt = "created_at"
        case completedAt = "completed_at"
        case expiresAt = "expires_at"
        case rulesetVersion = "ruleset_version"
        case evaluatedOn = "evaluated_on"
    }
}

struct SessionDataDTO: Content {
    var success = true
    let session: SessionSummaryDTO
    let answers: [SessionAnswerDTO]
    let results: [ProductResultDTO]
    let extractedClientData: ExtractedClientDataDTO
    let totalPotentialSavings: Double
    let highEligibilityCount: Int

    enum CodingKeys: String, CodingKey {
        case success, session, answers, results
        case extractedClientData = "extracted_client_data"
        case totalPotentialSavings = "total_potential_savings"
        case highEligibilityCount = "high_eligibility_count"
    }
}

struct ConversionFigures: Content, Equatable {
    let totalSessions: Int
    let completedSessions: Int
    let migratedSessions: Int
    let conversionRate: Double

    enum CodingKeys: String, CodingKey {
        case totalSessions = "total_sessions"
        case completedSessions = "completed_sessions"
        case migratedSessions = "migrated_sessions"
        case conversionRate = "conversion_rate"
    }
}

struct ProductStatsDTO: Content, Equatable {
    let productCode: String
    let completedSessions: Int
    let eligibleSessions: Int
    let migratedSessions: Int
    let conversionRate: Double
    let averageScore: Double

    enum CodingKeys: String, CodingKey {
        case productCode = "product_code"
        case completedSessions = "completed_sessions"
        case eligibleSessions = "eligible_sessions"
        case migratedSessions = "migrated_sessions"
        case conversionRate = "conversion_rate"
        case averageScore = "average_score"
    }
}

struct DayStatsDTO: Content, Equatable {
    let date: String
    let totalSessions: Int
    let completedSessions: Int
    let migratedSessions: Int
    let conversionRate: Double

    enum CodingKeys: String, CodingKey {
        case date
        case totalSessions = "total_sessions"
        case completedSessions = "completed_sessions"
        case migratedSessions = "migrated_sessions"
        case conversionRate = "conversion_rate"
    }
}

struct StatsDTO: Content, Equatable {
    var success = true
    let totalSessions: Int
    let completedSessions: Int
    let migratedSessions: Int
    let conversionRate: Double
    let byProduct: [ProductStatsDTO]
    let byDay: [DayStatsDTO]
    /// The chosen period's figures (the last 30 days unless asked).
    var period: PeriodStatsDTO?

    enum CodingKeys: String, CodingKey {
        case success, period
        case totalSessions = "total_sessions"
        case completedSessions = "completed_sessions"
        case migratedSessions = "migrated_sessions"
        case conversionRate = "conversion_rate"
        case byProduct = "by_product"
        case byDay = "by_day"
    }
}

/// `PeriodStatistics`: the figures of a period (see there for what each counts).
struct PeriodStatsDTO: Content, Equatable {
    let from: String
    let to: String
    let startedSessions: Int
    let completedSessions: Int
    let migratedSessions: Int
    let migratedNewClients: Int
    let migratedExistingClients: Int
    let conversionRate: Double
    let byProduct: [PeriodProductDTO]
    let byDay: [PeriodDayDTO]
    let migrations: PeriodMigrationsDTO

    enum CodingKeys: String, CodingKey {
        case from, to, migrations
        case startedSessions = "started_sessions"
        case completedSessions = "completed_sessions"
        case migratedSessions = "migrated_sessions"
        case migratedNewClients = "migrated_new_clients"
        case migratedExistingClients = "migrated_existing_clients"
        case conversionRate = "conversion_rate"
        case byProduct = "by_product"
        case byDay = "by_day"
    }
}

struct PeriodProductDTO: Content, Equatable {
    let productCode: String
    let eligibleSessions: Int
    let potentiallyEligibleSessions: Int
    /// Sessions migrated with this product eligible or potentially eligible: it became the client's.
    let clientProducts: Int

    enum CodingKeys: String, CodingKey {
        case productCode = "product_code"
        case eligibleSessions = "eligible_sessions"
        case potentiallyEligibleSessions = "potentially_eligible_sessions"
        case clientProducts = "client_products"
    }
}

struct PeriodDayDTO: Content, Equatable {
    let date: String
    let startedSessions: Int
    let completedSessions: Int
    let migratedSessions: Int

    enum CodingKeys: String, CodingKey {
        case date
        case startedSessions = "started_sessions"
        case completedSessions = "completed_sessions"
        case migratedSessions = "migrated_sessions"
    }
}

struct PeriodMigrationsDTO: Content, Equatable {
    let migrations: Int
    let products: Int
    let estimatedSavings: Double
    let medianSecondsToMigration: Int?
    let p95SecondsToMigration: Int?
    let refused: Int
    let failed: Int
    /// Failed ÷ attempts (migrations, refusals and failures), in percent, as the alert computes it.
    let errorRate: Double
    let refusalRate: Double
    let byCode: [PeriodRefusalDTO]

    enum CodingKeys: String, CodingKey {
        case migrations, products, refused, failed
        case estimatedSavings = "estimated_savings"
        case medianSecondsToMigration = "median_seconds_to_migration"
        case p95SecondsToMigration = "p95_seconds_to_migration"
        case errorRate = "error_rate"
        case refusalRate = "refusal_rate"
        case byCode = "by_code"
    }
}

struct PeriodRefusalDTO: Content, Equatable {
    let outcome: String
    let errorCode: String
    let count: Int

    enum CodingKeys: String, CodingKey {
        case outcome, count
        case errorCode = "error_code"
    }
}

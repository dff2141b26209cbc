import Vapor

/// A refusal the client can act on: an HTTP status, a stable code, a French message and,
/// for validation, one entry per field.
struct AppError: AbortError, Sendable {
    let status: HTTPResponseStatus
    let code: String
    let message: String
    var details: [FieldError] = []
    var headers: HTTPHeaders = [:]

    var reason: String { message }
}

/// One invalid field (or answer): which, a stable code and a French message.
struct FieldError: Content, Sendable, Equatable {
    let field: String
    let code: String
    let message: String
}

extension AppError {
    static let sessionNotFound = AppError(status: .notFound, code: "SESSION_NOT_FOUND", message: "Session de simulation introuvable.")
    static let sessionExpired = AppError(status: .gone, code: "SESSION_EXPIRED",
                                         message: "Cette session de simulation a expiré : recommencez une simulation.")
    static let sessionAbandoned = AppError(status: .conflict, code: "SESSION_ABANDONED",
                                           message: "Cette session de simulation a été abandonnée.")
    static let sessionAlreadyMigrated = AppError(status: .conflict, code: "SESSION_ALREADY_MIGRATED",
                                                 message: "Cette simulation est déjà rattachée à un compte client.")
    static let sessionNotCompleted = AppError(status: .conflict, code: "SESSION_NOT_COMPLETED",
                                              message: "La simulation n'est pas terminée : calculez d'abord les résultats.")

    /// Anything unexpected: no detail leaves the server.
    static let internalError = AppError(status: .internalServerError, code: "INTERNAL_ERROR", message: "Erreur interne : réessayez plus tard.")

    /// 429 with `Retry-After` in whole seconds (at least one); `message` is given those seconds.
    static func tooManyRequests(code: String, retryAfter seconds: TimeInterval, message: (Int) -> String) -> AppError {
        let seconds = max(1, Int(seconds.rounded(.up)))
        return AppError(status: .tooManyRequests, code: code, message: message(seconds), headers: ["Retry-After": String(seconds)])
    }

    /// No database connection came free in time (`DATABASE_POOL_TIMEOUT`). Each write is one
    /// transaction and a migration is exactly-once: the request can be sent again as it is.
    static let databaseBusy = AppError(status: .serviceUnavailable, code: "DATABASE_BUSY",
                                       message: "Le service est momentanément surchargé : réessayez dans quelques instants.",
                                       headers: ["Retry-After": "1"])

    /// What `error` stands for when the application knows it: an `AppError` itself, or no database
    /// connection free in time. Nil for anything unexpected. The API and the command line both ask here.
    static func recognizing(_ error: any Error) -> AppError? {
        switch error {
        case let appError as AppError: return appError
        case is ConnectionPoolTimeoutError: return .databaseBusy
        default: return nil
        }
    }

    static func validation(_ details: [FieldError], message: String = "Certaines valeurs sont invalides.") -> AppError {
        AppError(status: .unprocessableEntity, code: "VALIDATION_FAILED", message: message, details: details)
    }
}

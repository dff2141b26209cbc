import FluentPostgresDriver
import FluentSQLiteDriver
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
    static let sessionExpired = AppError(
        status: .gone, code: "SESSION_EXPIRED",
        message: "Cette session de simulation a expiré : recommencez une simulation.")
    static let sessionAbandoned = AppError(
        status: .conflict, code: "SESSION_ABANDONED",
        message: "Cette session de simulation a été abandonnée.")
    static let sessionAlreadyMigrated = AppError(
        status: .conflict, code: "SESSION_ALREADY_MIGRATED",
        message: "Cette simulation est déjà rattachée à un compte client.")
    static let sessionNotCompleted = AppError(
        status: .conflict, code: "SESSION_NOT_COMPLETED",
        message: "La simulation n'est pas terminée : calculez d'abord les résultats.")

    static let unsupportedMediaType = AppError(
        status: .unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE",
        message: "Type de contenu non accepté : envoyez du JSON (Content-Type: application/json).")

    /// Anything unexpected: no detail leaves the server.
    static let internalError = AppError(
        status: .internalServerError, code: "INTERNAL_ERROR", message: "Erreur interne : réessayez plus tard.")

    /// 429 with `Retry-After` in whole seconds (at least one); `message` is given those seconds.
    static func tooManyRequests(code: String, retryAfter seconds: TimeInterval, message: (Int) -> String) -> AppError {
        let seconds = max(1, Int(seconds.rounded(.up)))
        return AppError(status: .tooManyRequests, code: code, message: message(seconds), headers: ["Retry-After": String(seconds)])
    }

    /// No database connection came free in time (`DATABASE_POOL_TIMEOUT`). Each write is one
    /// transaction and a migration is exactly-once: the request can be sent again as it is.
    static let databaseBusy = AppError(
        status: .serviceUnavailable, code: "DATABASE_BUSY",
        message: "Le service est momentanément surchargé : réessayez dans quelques instants.",
        headers: ["Retry-After": "1"])

    /// The database cannot be reached (restarting, failing over, down): the request did nothing that
    /// lasted, and can be sent again in a moment.
    static let databaseUnavailable = AppError(
        status: .serviceUnavailable, code: "DATABASE_UNAVAILABLE",
        message: "La base de données est momentanément indisponible : réessayez dans quelques instants.",
        headers: ["Retry-After": "2"])

    /// What `error` stands for when the application knows it: an `AppError` itself, no database
    /// connection free in time, or no database at all. Nil for anything unexpected. The API and the
    /// command line both ask here.
    static func recognizing(_ error: any Error) -> AppError? {
        switch error {
        case let appError as AppError: return appError
        case is ConnectionPoolTimeoutError: return .databaseBusy
        case is DatabaseConnectionLost, is NIOConnectionError: return .databaseUnavailable
        case let postgres as PSQLError where postgres.meansDatabaseUnreachable: return .databaseUnavailable
        // Another process holds the SQLite file's write lock past the busy timeout.
        case let sqlite as SQLiteError where sqlite.reason == .busy || sqlite.reason == .locked: return .databaseBusy
        default: return nil
        }
    }

    static func validation(_ details: [FieldError], message: String = "Certaines valeurs sont invalides.") -> AppError {
        AppError(status: .unprocessableEntity, code: "VALIDATION_FAILED", message: message, details: details)
    }
}

extension PSQLError {
    /// The connection failed or was closed, or PostgreSQL is shutting down or starting (SQLSTATE class
    /// 57P: admin or crash shutdown, cannot connect now; class 08: connection exception).
    var meansDatabaseUnreachable: Bool {
        switch code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return true
        case .server:
            let state = serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("57P") || state.hasPrefix("08")
        default:
            return false
        }
    }
}

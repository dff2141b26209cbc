import NIOHTTP1
import Vapor

/// Turns every error into `ErrorEnvelope` JSON under `/api` (and an error page for browsers elsewhere).
/// A client mistake maps to its 4xx; anything unexpected is logged and answered 500 without detail.
struct ApiErrorMiddleware: AsyncMiddleware {

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let known = AppError.recognizing(error)
            let appError = known ?? translate(error, for: request)
            if appError.code == AppError.databaseBusy.code { PasserelleMetrics.databasePoolTimeout() }
            if appError.status.code >= 500 {
                let route = "\(request.method.rawValue) \(routeDescription(request))"
                if known != nil {
                    // A refusal the application chose (disabled, too slow, overloaded): the operator's
                    // business, not a bug.
                    request.logger.warning("Réponse \(appError.status.code) \(appError.code) sur \(route)")
                } else {
                    // The type only: database messages can quote the values of a row (an e-mail, say).
                    request.logger.error("Erreur interne sur \(route) : \(type(of: error))")
                }
            }
            return try render(appError, for: request)
        }
    }

    /// The route's pattern, never the path itself: a path can carry a session token.
    private func routeDescription(_ request: Request) -> String {
        request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "(route inconnue)"
    }

    /// An error the application does not know as one of its own refusals.
    private func translate(_ error: any Error, for request: Request) -> AppError {
        switch error {
        case is HTTPParserError:
            // The request itself could not be read: cut short (the client went away mid-body) or malformed.
            return AppError(status: .badRequest, code: "BAD_REQUEST", message: "Requête incomplète ou illisible.")
        case is DecodingError:
            // Vapor calls every DecodingError a bad request; a request body's is answered 400 by
            // `decodeBody`, so this one comes from the server's own data.
            return .internalError
        case let abort as any AbortError:
            switch abort.status {
            case .notFound where request.route == nil:
                let allowed = RouteTable(request.application.routes).methods(matching: request.url.path).filter {
                    $0 != request.method.rawValue
                }
                if !allowed.isEmpty {
                    var headers = HTTPHeaders()
                    headers.replaceOrAdd(name: .allow, value: allowed.sorted().joined(separator: ", "))
                    return AppError(
                        status: .methodNotAllowed, code: "METHOD_NOT_ALLOWED",
                        message: "Méthode \(request.method.rawValue) non acceptée pour cette adresse.", headers: headers)
                }
                return AppError(status: .notFound, code: "NOT_FOUND", message: "Adresse introuvable.")
            case .payloadTooLarge:
                return AppError(status: .payloadTooLarge, code: "PAYLOAD_TOO_LARGE", message: "Corps de requête trop volumineux.")
            case .unsupportedMediaType:
                return .unsupportedMediaType
            case .badRequest:
                return AppError(status: .badRequest, code: "BAD_REQUEST", message: "Requête invalide : \(abort.reason)")
            case let status where status.code < 500:
                return AppError(
                    status: status, code: status.reasonPhrase.uppercased().replacingOccurrences(of: " ", with: "_"),
                    message: "Requête refusée (\(status.code)).")
            default:
                return .internalError
            }
        default:
            return .internalError
        }
    }

    private func render(_ error: AppError, for request: Request) throws -> Response {
        let response = Response(status: error.status, headers: error.headers)
        // A browser asks for HTML by name; every other client (the API's, curl) gets the envelope.
        let wantsPage = request.headers.accept.contains { $0.mediaType.type == "text" && $0.mediaType.subType == "html" }
        if request.url.path.hasPrefix("/api") || request.url.path == "/health" || request.url.path == "/ready" || request.url.path == "/metrics" || request.url.path == "/openapi.json" || !wantsPage {
            try response.content.encode(
                ErrorEnvelope(
                    error: error.message, errorCode: error.code,
                    details: error.details.isEmpty ? nil : error.details))
        } else {
            let page = ErrorPage.page(error).response(for: request)
            for (name, value) in error.headers { page.headers.replaceOrAdd(name: name, value: value) }
            return page
        }
        return response
    }
}

import Crypto
import SQLKit
import Vapor

/// `GET /metrics`: the Prometheus text format, for a scraper that sends `METRICS_TOKEN` as its bearer
/// token. Without the setting the route does not exist (404); with a wrong token, 401.
struct MetricsController {
    func metrics(request: Request) async throws -> Response {
        guard let expected = request.application.settings.metricsToken else {
            throw AppError(status: .notFound, code: "NOT_FOUND", message: "Adresse introuvable.")
        }
        let sent = request.headers.bearerAuthorization?.token ?? ""
        // Compared as digests: the time taken says nothing of how much of the token was right.
        guard SHA256.hash(data: Data(sent.utf8)) == SHA256.hash(data: Data(expected.utf8)) else {
            throw AppError(
                status: .unauthorized, code: "METRICS_TOKEN_REQUIRED", message: "Jeton de collecte des métriques absent ou invalide.",
                headers: ["WWW-Authenticate": "Bearer"])
        }
        // Read at each scrape, so that an alert can say the database is unreachable.
        let databaseUp = (try? await request.db.sql.raw("SELECT 1 AS ok").all()) != nil
        PasserelleMetrics.databaseUp(databaseUp)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: Data(PasserelleMetrics.registry.emitToBuffer())))
    }
}

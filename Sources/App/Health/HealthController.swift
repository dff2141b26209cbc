import Fluent
import SQLKit
import Vapor

struct HealthDTO: Content {
    let status: String
    let database: String
}

/// `GET /health`: 200 when the database answers, 503 otherwise.
struct HealthController {
    func health(request: Request) async throws -> HealthDTO {
        do {
            _ = try await request.db.sql.raw("SELECT 1 AS ok").all()
        } catch {
            throw AppError(status: .serviceUnavailable, code: "DATABASE_UNAVAILABLE", message: "La base de données ne répond pas.")
        }
        return HealthDTO(status: "ok", database: request.db is any SQLDatabase ? "up" : "unknown")
    }
}

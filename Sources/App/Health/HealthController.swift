import Fluent
import SQLKit
import Vapor

struct HealthDTO: Content {
    let status: String
}

struct ReadyDTO: Content {
    let status: String
    let database: String
    let schema: String
}

/// For load balancers and orchestrators: `GET /health` says the process answers (liveness);
/// `GET /ready` that the database answers and holds this build's schema (readiness), else 503.
struct HealthController {
    func health(request: Request) async throws -> HealthDTO {
        HealthDTO(status: "ok")
    }

    func ready(request: Request) async throws -> ReadyDTO {
        let current: Bool
        do {
            _ = try await request.db.sql.raw("SELECT 1 AS ok").all()
            current = try await SchemaStep.isCurrent(app: request.application, on: request.db)
        } catch {
            throw AppError(status: .serviceUnavailable, code: "DATABASE_UNAVAILABLE", message: "La base de données ne répond pas.")
        }
        guard current else {
            throw AppError(
                status: .serviceUnavailable, code: "SCHEMA_MISMATCH",
                message: "Le schéma de la base ne correspond pas à cette version : lancez « passerelle migrate ».")
        }
        return ReadyDTO(status: "ready", database: "up", schema: "current")
    }
}

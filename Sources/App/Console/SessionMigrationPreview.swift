import Fluent
import Foundation
import SQLKit

/// What attaching a session to a client would write, product by product, read without writing:
/// the console's confirmation page. The same decision as the writers (`ProductOutcome.decide`).
struct SessionMigrationPreview: Sendable {
    let session: TemporarySession
    let client: Client
    let products: [ProductOutcome]

    /// The session must be completed and not expired (`checkWritable`), the client a client.
    static func make(
        token: String, client: Client, simulator: SimulatorService, migration: SessionMigrationService, on database: any Database
    ) async throws -> SessionMigrationPreview {
        let session = try await simulator.findSession(token: token, on: database)
        try simulator.checkWritable(session)
        guard session.status == .completed else { throw AppError.sessionNotCompleted }
        let sql = database.sql
        let results = try await sql.select().columns("produit_id", "status", "plan_statut").from(TemporaryEligibility.schema)
            .where("session_id", .equal, SQLBind(session.id!)).orderBy("produit_id").all(decoding: Result.self)
        let catalogIDs = try await migration.productIDsByCode(on: sql)
        let ownedByProduct = try await OwnedProductRow.byProduct(of: client.id!, on: sql)
        return SessionMigrationPreview(
            session: session, client: client,
            products: results.map { result in
                let id = catalogIDs[result.produit_id]
                return ProductOutcome.decide(
                    code: result.produit_id, status: result.status, attached: result.plan_statut != nil, inCatalog: id != nil,
                    owned: id.flatMap { ownedByProduct[$0] })
            })
    }

    private struct Result: Decodable {
        let produit_id: String
        let status: String
        let plan_statut: String?
    }
}

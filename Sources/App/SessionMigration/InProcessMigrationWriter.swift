import Eligibility
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// The migration's writes in Swift, used on SQLite. PostgreSQL runs the same rules in one statement
/// (`PostgresMigrationWriter`). SQLite runs one write transaction at a time, so the claim is the only
/// lock needed. The answers, results and metadata are the documents stored when the session was
/// completed (`SessionMigrationDocuments`), copied as they are, never decoded. Portable SQL: the
/// parity test runs it on PostgreSQL too.
struct InProcessMigrationWriter: SessionMigrationWriter {
    var writesExistingClientInOneStatement: Bool { false }

    /// SQLite has no statement timeout: the service checks the time taken at the end.
    func begin(on sql: any SQLDatabase, timeoutMilliseconds: Int) async throws {}

    func write(
        hash: String, client: Client, actor: SessionMigrationActor, now: Date, service: SessionMigrationService,
        on database: any Database
    ) async throws -> SessionMigrationWrite {
        let sql = database.sql
        let clientID = client.id!
        // Claim the session: only one transaction can move it from completed to migrated.
        let claimed = try await sql.update(TemporarySession.schema)
            .set("status", to: SQLBind(SessionStatus.migrated.rawValue))
            .set("client_id", to: SQLBind(clientID))
            .set("migrated_at", to: SQLBind(now))
            .set("updated_at", to: SQLBind(now))
            .where("session_token_hash", .equal, SQLBind(hash))
            .where("status", .equal, SQLBind(SessionStatus.completed.rawValue))
            .where("expires_at", .greaterThan, SQLBind(now))
            .returning(
                SQLColumn("id"), SQLColumn("ruleset_version"),
                SQLAlias(
                    SQLRaw(
                        "\"\(SessionMigrationDocuments.answersColumn)\" IS NOT NULL AND \"\(SessionMigrationDocuments.resultsColumn)\" IS NOT NULL"
                    ),
                    as: SQLIdentifier("has_documents"))
            )
            .all(decoding: ClaimedSessionDocuments.self)
        guard let session = claimed.first else { return .refused(try await service.sessionRefusal(hash: hash, on: database)) }

        // Plain SQL decoded with Codable throughout: Fluent's reflection-based models cost more than the queries here.
        let results = try await sql.select()
            .columns(["produit_id", "status", SessionMigrationDocuments.metadataColumn] + ProductPlan.columns)
            .from(TemporaryEligibility.schema)
            .where("session_id", .equal, SQLBind(session.id)).orderBy("produit_id").all(decoding: ResultRow.self)
        // Results and documents are written together when the session is completed; without them, nothing.
        guard session.has_documents, !results.isEmpty,
            results.allSatisfy({ ($0.plan == nil) == ($0.product_metadata == nil) })
        else { throw AppError.noResults }

        let simulationID = UUID()
        // The session's documents copied by the database, row to row.
        try await sql.raw(
            """
            INSERT INTO \(ident: Simulation.schema) ("id", "clientId", "session_id", "answers", "results", "source", "ruleset_version", "created_at")
            SELECT \(bind: simulationID), \(bind: clientID), "id", \(ident: SessionMigrationDocuments.answersColumn),
                   \(ident: SessionMigrationDocuments.resultsColumn), 'simulator_migration', \(bind: session.ruleset_version ?? ""), \(bind: now)
              FROM \(ident: TemporarySession.schema) WHERE "id" = \(bind: session.id)
            """
        ).run()

        let productIDs = try await service.productIDsByCode(on: sql)
        let ownedByProduct = try await OwnedProductRow.byProduct(of: clientID, on: sql)
        var outcomes: [ProductOutcome] = []
        var created: [[any SQLExpression]] = []
        for result in results {
            let productID = productIDs[result.produit_id]
            outcomes.append(
                try await writeProduct(
                    result, productID: productID, existing: productID.flatMap { ownedByProduct[$0] },
                    clientID: clientID, simulationID: simulationID,
                    now: now, newRows: &created, on: sql))
        }
        if !created.isEmpty {
            // New products in one statement.
            let insert = sql.insert(into: ClientProduitEligible.schema).columns(Self.productColumns)
            for row in created { insert.values(row) }
            try await insert.run()
        }

        let outcome = SessionMigrationOutcome(
            clientID: clientID, clientEmail: client.email,
            migratedProductsCount: outcomes.filter { $0.outcome == "created" || $0.outcome == "updated" }.count,
            products: outcomes, simulationID: simulationID, migratedAt: now.iso8601Seconds)
        try await sql.update(TemporarySession.schema)
            .set("migration_result", to: SQLBind(try JSONDocument(encoding: outcome)))
            .where("id", .equal, SQLBind(session.id))
            .run()

        try await sql.insert(into: AuditEvent.schema)
            .columns("id", "event_type", "actor_type", "actor_id", "session_id", "client_id", "result", "details", "created_at")
            .values(
                SQLBind(UUID()), SQLBind(AuditEvent.sessionMigrated), SQLBind(actor.type), SQLBind(actor.id), SQLBind(session.id),
                SQLBind(clientID), SQLBind("success"),
                SQLBind(
                    try JSONDocument(
                        encoding: SessionMigrationAuditDetails(migratedProductsCount: outcome.migratedProductsCount, products: outcomes))),
                SQLBind(now)
            )
            .run()
        return .migrated(outcome)
    }

    private func writeProduct(
        _ result: ResultRow, productID: UUID?, existing: OwnedProductRow?, clientID: UUID,
        simulationID: UUID, now: Date, newRows: inout [[any SQLExpression]],
        on sql: any SQLDatabase
    ) async throws -> ProductOutcome {
        let decision = ProductOutcome.decide(
            code: result.produit_id, status: result.status, attached: result.plan != nil, inCatalog: productID != nil, owned: existing)
        guard let plan = result.plan, let productID else { return decision }
        let document = JSONDocument(text: result.product_metadata!)
        switch decision.outcome {
        case "updated":
            try await sql.update(ClientProduitEligible.schema)
                .set("statut", to: SQLBind(plan.statut)).set("tauxFinal", to: SQLBind(plan.taux))
                .set("montantFinal", to: SQLBind(plan.montant)).set("dureeFinale", to: SQLBind(plan.duree))
                .set("simulationId", to: SQLBind(simulationID)).set("metadata", to: SQLBind(document))
                .set("notes", to: SQLBind(plan.notes)).set("priorite", to: SQLBind(plan.priorite))
                .set("dateEligibilite", to: SQLBind(now)).set("updated_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(existing!.id))
                .run()
        case "created":
            newRows.append([
                SQLBind(UUID()), SQLBind(clientID), SQLBind(productID), SQLBind(plan.statut), SQLBind(plan.taux),
                SQLBind(plan.montant), SQLBind(plan.duree), SQLBind(simulationID), SQLBind(document), SQLBind(plan.notes),
                SQLBind(plan.priorite), SQLBind(now), SQLBind(0), SQLBind(0), SQLBind(UUID?.none), SQLBind(false), SQLBind(now),
                SQLBind(now),
            ])
        default:
            break
        }
        return decision
    }

    /// The `ClientProduitEligible` columns a migration fills, in the order of `writeProduct`'s rows.
    private static let productColumns = [
        "id", "clientId", "produitId", "statut", "tauxFinal", "montantFinal", "dureeFinale", "simulationId", "metadata",
        "notes", "priorite", "dateEligibilite", "current_step", "progress", "expert_id", "charte_signed", "created_at", "updated_at",
    ]
}

/// A `TemporaryEligibility` row as the migration reads it (column names as in the table): its
/// product's metadata document, JSON text copied as is, and its plan, both only for a product a
/// migration attaches.
struct ResultRow: Decodable, Sendable {
    let produit_id: String
    let status: String
    let product_metadata: String?
    let plan_statut: String?
    let plan_taux: Double?
    let plan_montant: Double?
    let plan_duree: Int?
    let plan_notes: String?
    let plan_priorite: Int?

    var plan: ProductPlan? {
        guard let plan_statut, let plan_taux, let plan_montant, let plan_duree, let plan_notes, let plan_priorite else { return nil }
        return ProductPlan(
            statut: plan_statut, taux: plan_taux, montant: plan_montant, duree: plan_duree, notes: plan_notes,
            priorite: plan_priorite)
    }
}

/// What the claim returns: the session, and whether its answers' and results' documents are there.
private struct ClaimedSessionDocuments: Decodable {
    let id: UUID
    let ruleset_version: String?
    let has_documents: Bool
}

/// What decides whether a product the client already has may be refreshed.
struct OwnedProductRow: Decodable, Sendable {
    let id: UUID
    let produitId: UUID
    let current_step: Int
    let expert_id: UUID?
    let charte_signed: Bool

    /// An adviser has started on it: a migration keeps it as it is.
    var isWorked: Bool { current_step != 0 || expert_id != nil || charte_signed }

    /// The client's products by product id (the writer's and the console's preview's read).
    static func byProduct(of clientID: UUID, on sql: any SQLDatabase) async throws -> [UUID: OwnedProductRow] {
        let owned = try await sql.select().columns("id", "produitId", "current_step", "expert_id", "charte_signed")
            .from(ClientProduitEligible.schema).where("clientId", .equal, SQLBind(clientID)).all(decoding: OwnedProductRow.self)
        return Dictionary(owned.map { ($0.produitId, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

extension SessionMigrationService {
    /// Product ids by code. `ProduitEligible` only changes at start-up, so one read per process is enough.
    func productIDsByCode(on sql: any SQLDatabase) async throws -> [String: UUID] {
        if let cached = productIDCache.withLockedValue({ $0 }) { return cached }
        let rows = try await sql.select().columns("id", "code").from(ProduitEligible.schema).all(decoding: ProductIDRow.self)
        let ids = Dictionary(rows.map { ($0.code, $0.id) }, uniquingKeysWith: { first, _ in first })
        productIDCache.withLockedValue { $0 = ids }
        return ids
    }
}

/// A `ProduitEligible` id with its code.
private struct ProductIDRow: Decodable {
    let id: UUID
    let code: String
}

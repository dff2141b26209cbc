import Fluent
import Foundation
import SQLKit

/// What the operators' console reads: the migrations (successes from the audit trail, refusals and
/// failures from `SessionMigrationRefusal`), clients by email, company or SIREN, and sessions
/// without anything personal. Each takes a `Database`, like every domain function.
enum ConsoleQueries {
    struct MigrationFilter: Sendable, Equatable {
        var from: Date?
        /// Exclusive.
        var until: Date?
        /// `migrated`, `refused` or `failed`; nil for all.
        var outcome: String?
        var clientID: UUID?
    }

    /// One line of the migrations list: a success (`auditID`) or a refusal or failure (`refusalID`).
    struct MigrationEntry: Sendable {
        let id: UUID
        let outcome: String
        let at: Date
        let path: String?
        let actorType: String
        let actorID: UUID?
        let sessionID: UUID?
        let clientID: UUID?
        let errorCode: String?
        let productsCount: Int?

        init(_ event: AuditEvent) {
            id = event.id!
            outcome = "migrated"
            at = event.createdAt
            path = nil
            actorType = event.actorType
            actorID = event.actorID
            sessionID = event.sessionID
            clientID = event.clientID
            errorCode = nil
            productsCount = event.details.migratedProductsCount
        }

        init(_ refusal: SessionMigrationRefusal) {
            id = refusal.id!
            outcome = refusal.outcome
            at = refusal.createdAt
            path = refusal.path
            actorType = refusal.actorType
            actorID = refusal.actorID
            sessionID = refusal.sessionID
            clientID = refusal.clientID
            errorCode = refusal.errorCode
            productsCount = nil
        }
    }

    static let pageSize = 50

    /// The most recent first, `pageSize` from `offset`.
    static func migrations(_ filter: MigrationFilter, offset: Int = 0, on database: any Database) async throws -> [MigrationEntry] {
        let wanted = offset + pageSize + 1
        var entries: [MigrationEntry] = []
        if filter.outcome == nil || filter.outcome == "migrated" {
            var query = AuditEvent.query(on: database).filter(\.$eventType == AuditEvent.sessionMigrated)
            if let from = filter.from { query = query.filter(\.$createdAt >= from) }
            if let until = filter.until { query = query.filter(\.$createdAt < until) }
            if let client = filter.clientID { query = query.filter(\.$clientID == client) }
            entries += try await query.sort(\.$createdAt, .descending).limit(wanted).all().map(MigrationEntry.init)
        }
        if filter.outcome != "migrated" {
            var query = SessionMigrationRefusal.query(on: database)
            if let outcome = filter.outcome { query = query.filter(\.$outcome == outcome) }
            if let from = filter.from { query = query.filter(\.$createdAt >= from) }
            if let until = filter.until { query = query.filter(\.$createdAt < until) }
            if let client = filter.clientID { query = query.filter(\.$clientID == client) }
            entries += try await query.sort(\.$createdAt, .descending).limit(wanted).all().map(MigrationEntry.init)
        }
        return Array(entries.sorted { $0.at > $1.at }.dropFirst(offset).prefix(pageSize + 1))
    }

    /// Accounts of clients (not operators) whose email, company or SIREN contains `text`, at most 50.
    static func searchClients(_ text: String, on database: any Database) async throws -> [Client] {
        let needle = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !needle.isEmpty else { return [] }
        let pattern =
            "%"
            + needle.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        let digits = needle.filter(\.isNumber)
        let sirenPattern = digits.isEmpty ? "" : "%" + digits + "%"
        let ids = try await database.sql.raw(
            """
            SELECT "id" FROM \(ident: Client.schema)
             WHERE "role" = \(bind: ClientRole.client.rawValue)
               AND ("email" LIKE \(bind: pattern) ESCAPE '\\' OR lower("company_name") LIKE \(bind: pattern) ESCAPE '\\'
                    OR "siren" LIKE \(bind: sirenPattern))
             ORDER BY "email" LIMIT 50
            """
        ).all(decoding: IDRow.self).map(\.id)
        guard !ids.isEmpty else { return [] }
        return try await Client.query(on: database).filter(\.$id ~~ ids).sort(\.$email).all()
    }

    /// A client's audit trail: what was done to the account, the most recent first.
    static func audit(ofClient id: UUID, on database: any Database) async throws -> [MigrationEntry] {
        try await migrations(MigrationFilter(clientID: id), on: database)
    }

    /// A session as the console lists it: no token, no hash, no answer, no client.
    struct SessionLine: Decodable, Sendable {
        let id: UUID
        let status: String
        let ruleset_version: String?
        let created_at: Date
        let last_activity: Date
        let completed_at: Date?
        let migrated_at: Date?
        let expires_at: Date
        let answers: Int
        let kept_products: Int
    }

    /// Sessions created in [from, until) with `status` (nil: any), the most recent first.
    static func sessions(status: SessionStatus?, from: Date?, until: Date?, offset: Int = 0, on database: any Database) async throws
        -> [SessionLine]
    {
        let session = TemporarySession.schema
        var conditions: [SQLQueryString] = []
        if let status { conditions.append("s.\"status\" = \(bind: status.rawValue)") }
        if let from { conditions.append("s.\"created_at\" >= \(bind: from)") }
        if let until { conditions.append("s.\"created_at\" < \(bind: until)") }
        let condition: SQLQueryString = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try await database.sql.raw(
            """
            SELECT s."id", s."status", s."ruleset_version", s."created_at", s."last_activity", s."completed_at",
                   s."migrated_at", s."expires_at",
                   (SELECT count(*) FROM \(ident: TemporaryResponse.schema) r WHERE r."session_id" = s."id") AS "answers",
                   (SELECT count(*) FROM \(ident: TemporaryEligibility.schema) e
                     WHERE e."session_id" = s."id" AND e."plan_statut" IS NOT NULL) AS "kept_products"
              FROM \(ident: session) s \(condition)
             ORDER BY s."created_at" DESC LIMIT \(literal: pageSize + 1) OFFSET \(literal: max(0, offset))
            """
        ).all(decoding: SessionLine.self)
    }

    private struct IDRow: Decodable {
        let id: UUID
    }
}

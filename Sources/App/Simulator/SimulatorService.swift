import Eligibility
import Fluent
import SQLKit
import Vapor

/// The simulator's domain work. Takes a `Database`, never a `Request`, so tests and commands call it directly.
struct SimulatorService: Sendable {
    let catalog: Catalog
    let clock: any AppClock
    let sessionLifetime: TimeInterval
    let backend: any DatabaseBackend
    /// What other features keep beside the results (the session migration's documents).
    let completionDocuments: any SessionCompletionDocuments

    /// Creates a session and returns its token: the only time the token exists in clear.
    func createSession(on database: any Database) async throws -> (token: String, session: TemporarySession) {
        let token = SecretToken.generate()
        let session = TemporarySession(tokenHash: SecretToken.hash(token), now: clock.now(), lifetime: sessionLifetime)
        try await backend.write(on: database) { database in try await session.create(on: database) }
        PasserelleMetrics.sessionCreated()
        return (token, session)
    }

    func state(token: String, on database: any Database) async throws -> SessionStateDTO {
        let session = try await findSession(token: token, on: database)
        try checkNotExpired(session)
        let answers = try await storedAnswers(of: session, on: database)
        return try state(of: session, answers: answers)
    }

    /// Saves answers (a null removes one). Every value is checked first: one bad answer and nothing is written.
    /// Changing the answers of a completed session reopens it until it is completed again.
    func updateAnswers(token: String, changes: [String: AnswerValue?], on database: any Database) async throws -> SessionStateDTO {
        var given: [String: AnswerValue] = [:]
        for (id, value) in changes { if let value { given[id] = value } }
        var errors = [FieldError]()
        for id in changes.keys where catalog.question(id: id) == nil && changes[id]! == nil {
            errors.append(FieldError(field: id, code: "unknown_question", message: "question inconnue"))
        }
        do {
            _ = try catalog.validate(given)
        } catch {
            errors += error.errors.map { FieldError(field: $0.question, code: $0.code, message: $0.message) }
        }
        guard errors.isEmpty else {
            throw AppError.validation(errors.sorted { $0.field < $1.field }, message: "Certaines réponses sont invalides.")
        }
        let hash = SecretToken.hash(token)
        return try await backend.transaction(on: database) { transaction in
            let session = try await lockSession(hash: hash, on: transaction)
            try checkWritable(session)
            let now = clock.now()
            let sql = transaction.sql
            for (id, value) in changes.sorted(by: { $0.key < $1.key }) {
                if let value {
                    try await sql.insert(into: TemporaryResponse.schema)
                        .columns("id", "session_id", "question_id", "response_value", "created_at", "updated_at")
                        .values(
                            SQLBind(UUID()), SQLBind(session.id!), SQLBind(id), SQLBind(StoredResponseValue(value: value)),
                            SQLBind(now), SQLBind(now)
                        )
                        .onConflict(with: ["session_id", "question_id"]) { conflict in
                            conflict.set(excludedValueOf: "response_value").set(excludedValueOf: "updated_at")
                        }
                        .run()
                } else {
                    try await TemporaryResponse.query(on: transaction)
                        .filter(\.$session.$id == session.id!).filter(\.$questionID == id).delete()
                }
            }
            if session.status == .completed { session.status = .inProgress }
            session.touch(now, lifetime: sessionLifetime)
            try await session.save(on: transaction)
            let answers = try await storedAnswers(of: session, on: transaction)
            return try state(of: session, answers: answers)
        }
    }

    /// Evaluates every product with the answers given and stores the results, replacing earlier ones,
    /// with the documents kept beside them (`completionDocuments`).
    func complete(token: String, on database: any Database) async throws -> ResultsDTO {
        let hash = SecretToken.hash(token)
        let results = try await backend.transaction(on: database) { transaction in
            let session = try await lockSession(hash: hash, on: transaction)
            try checkWritable(session)
            let answers = try await storedAnswers(of: session, on: transaction)
            let validated = try validatedAnswers(answers)
            let flow = catalog.flow(validated)
            guard flow.isComplete else {
                throw AppError(
                    status: .unprocessableEntity, code: "MISSING_REQUIRED_ANSWERS",
                    message: "Des questions obligatoires restent sans réponse.",
                    details: flow.missingRequired.map { id in
                        FieldError(field: id, code: "required", message: "Réponse obligatoire : \(catalog.question(id: id)?.text ?? id)")
                    })
            }
            let now = clock.now()
            let day = CalendarDay(now)
            let evaluation: Evaluation
            do {
                evaluation = try catalog.evaluate(validated, on: day)
            } catch {
                throw AppError(
                    status: .serviceUnavailable, code: "RULESET_OUTDATED",
                    message: "Les règles de calcul ne couvrent pas la date du jour : \(error).")
            }
            try await TemporaryEligibility.query(on: transaction).filter(\.$session.$id == session.id!).delete()
            let rows = evaluation.results.map {
                TemporaryEligibility(sessionID: session.id!, result: $0, rulesetVersion: evaluation.rulesetVersion, now: now)
            }
            try await insertResults(rows, sessionID: session.id!, on: transaction.sql)
            try await completionDocuments.store(answers: answers, results: rows, sessionID: session.id!, on: transaction.sql)
            session.status = .completed
            session.completedAt = now
            session.rulesetVersion = evaluation.rulesetVersion
            session.evaluatedOn = day.description
            session.touch(now, lifetime: sessionLifetime)
            try await session.save(on: transaction)
            return resultsDTO(session: session, rows: rows)
        }
        PasserelleMetrics.sessionCompleted()
        return results
    }

    func results(token: String, on database: any Database) async throws -> ResultsDTO {
        try await results(of: try await findSession(token: token, on: database), on: database)
    }

    func results(of session: TemporarySession, on database: any Database) async throws -> ResultsDTO {
        try checkNotExpired(session)
        guard session.status == .completed || session.status == .migrated else { throw AppError.sessionNotCompleted }
        let rows = try await TemporaryEligibility.query(on: database).filter(\.$session.$id == session.id!).all()
        return resultsDTO(session: session, rows: rows)
    }

    func abandon(token: String, reason: String?, on database: any Database) async throws -> SessionStateDTO {
        let hash = SecretToken.hash(token)
        return try await backend.transaction(on: database) { transaction in
            let session = try await lockSession(hash: hash, on: transaction)
            try checkWritable(session)
            let now = clock.now()
            session.status = .abandoned
            session.abandonedAt = now
            session.abandonReason = reason.map { text in
                String(
                    String(text.unicodeScalars.filter { $0.properties.generalCategory != .control })
                        .trimmingCharacters(in: .whitespacesAndNewlines).prefix(500))
            }
            session.updatedAt = now
            try await session.save(on: transaction)
            return try state(of: session, answers: try await storedAnswers(of: session, on: transaction))
        }
    }

    // MARK: Shared steps

    /// A completed session's results with their documents, in one statement.
    private func insertResults(_ rows: [TemporaryEligibility], sessionID: UUID, on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        let insert = sql.insert(into: TemporaryEligibility.schema).columns(
            [
                "id", "session_id", "produit_id", "eligibility_score", "status", "estimated_savings", "savings_estimated",
                "confidence_level", "recommendations", "risk_factors", "missing_inputs", "calculation_details", "ruleset_version",
                "created_at",
            ] + completionDocuments.resultColumns)
        for row in rows {
            row.id = row.id ?? UUID()
            let own: [any Encodable & Sendable] = [
                row.id, sessionID, row.productCode, row.score, row.status, row.estimatedSavings, row.savingsEstimated,
                row.confidenceLevel, row.recommendations, row.riskFactors, row.missingInputs, row.calculationDetails,
                row.rulesetVersion, row.createdAt,
            ]
            insert.values((own + (try completionDocuments.values(for: row, sessionID: sessionID))).map { SQLBind($0) })
        }
        try await insert.run()
    }

    func findSession(token: String, on database: any Database) async throws -> TemporarySession {
        guard
            let session = try await TemporarySession.query(on: database)
                .filter(\.$tokenHash == SecretToken.hash(token)).first()
        else { throw AppError.sessionNotFound }
        return session
    }

    /// Takes the session's row lock first (PostgreSQL row lock, SQLite write lock), so concurrent
    /// writes to one session run one after the other, then reads it.
    func lockSession(hash: String, on database: any Database) async throws -> TemporarySession {
        try await database.sql.update(TemporarySession.schema)
            .set("updated_at", to: SQLBind(clock.now()))
            .where("session_token_hash", .equal, SQLBind(hash))
            .run()
        guard let session = try await TemporarySession.query(on: database).filter(\.$tokenHash == hash).first() else {
            throw AppError.sessionNotFound
        }
        return session
    }

    func checkNotExpired(_ session: TemporarySession) throws {
        if session.status != .migrated, clock.now() > session.expiresAt { throw AppError.sessionExpired }
    }

    func checkWritable(_ session: TemporarySession) throws {
        switch session.status {
        case .migrated: throw AppError.sessionAlreadyMigrated
        case .abandoned: throw AppError.sessionAbandoned
        case .inProgress, .completed: try checkNotExpired(session)
        }
    }

    func storedAnswers(of session: TemporarySession, on database: any Database) async throws -> [String: AnswerValue] {
        try await TemporaryResponse.answers(ofSession: session.id!, on: database)
    }

    /// Stored answers checked against the current catalog; one that no longer fits (the catalog changed) is reported.
    func validatedAnswers(_ answers: [String: AnswerValue]) throws -> ValidatedAnswers {
        do {
            return try catalog.validate(answers)
        } catch {
            throw AppError.validation(
                error.errors.map { FieldError(field: $0.question, code: $0.code, message: $0.message) },
                message: "Certaines réponses enregistrées ne correspondent plus au questionnaire : corrigez-les.")
        }
    }

    func state(of session: TemporarySession, answers: [String: AnswerValue]) throws -> SessionStateDTO {
        SessionStateDTO(session: session, answers: answers, flow: catalog.flow(try validatedAnswers(answers)))
    }

    func resultsDTO(session: TemporarySession, rows: [TemporaryEligibility]) -> ResultsDTO {
        let order = Dictionary(uniqueKeysWithValues: catalog.products.enumerated().map { ($1.code, $0) })
        let sorted = rows.sorted { (order[$0.productCode] ?? .max, $0.productCode) < (order[$1.productCode] ?? .max, $1.productCode) }
        let results = sorted.map { ProductResultDTO($0, productName: catalog.product(code: $0.productCode)?.name ?? $0.productCode) }
        return ResultsDTO(
            status: session.status, rulesetVersion: session.rulesetVersion ?? "",
            evaluatedOn: session.evaluatedOn ?? "", results: results,
            totalEstimatedSavings: (results.map(\.estimatedSavings).reduce(0, +) * 100).rounded() / 100)
    }
}

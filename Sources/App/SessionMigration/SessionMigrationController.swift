import Eligibility
import Fluent
import Vapor

/// `/api/session-migration/*`: sign-up with migration, attaching to an existing account, checks and figures.
struct SessionMigrationController {
    func migrateNewClient(request: Request) async throws -> Response {
        let input = try request.decodeBody(MigrateInput.self)
        let signup = try ClientSignup.validate(input.clientData).get()
        let completed = try await request.sessionMigration.migrate(
            token: input.sessionToken, to: .newClient(signup), actor: .signup, on: request.db)
        var body = SessionMigrationResponseDTO(completed, token: input.sessionToken, newClient: true)
        let (accessToken, expiresAt) = try await request.accounts.issueToken(for: completed.client, on: request.db)
        body.accessToken = accessToken
        body.tokenType = "Bearer"
        body.expiresAt = expiresAt
        return try await body.encodeResponse(status: completed.alreadyMigrated ? .ok : .created, for: request)
    }

    func migrateExistingClient(request: Request) async throws -> SessionMigrationResponseDTO {
        let account = try request.signedIn()
        let input = try request.decodeBody(MigrateExistingInput.self)
        let target: Client
        let actor: SessionMigrationActor
        if account.role == .operatorAccount {
            guard let email = input.clientEmail, !email.isEmpty else {
                throw AppError.validation([FieldError(field: "client_email", code: "required", message: "Indiquez l'e-mail du client.")])
            }
            guard let client = try await request.accounts.findClient(email: email, on: request.db), client.role == .client else {
                throw AppError.clientNotFound
            }
            target = client
            actor = .operatorAccount(account.id!)
        } else {
            if let email = input.clientEmail, email.normalizedEmail != account.email {
                throw AppError(
                    status: .forbidden, code: "FORBIDDEN", message: "Vous ne pouvez rattacher une simulation qu'à votre propre compte.")
            }
            target = account
            actor = .client(account.id!)
        }
        let completed = try await request.sessionMigration.migrate(
            token: input.sessionToken, to: .existingClient(target), actor: actor, on: request.db)
        return SessionMigrationResponseDTO(completed, token: input.sessionToken, newClient: false)
    }

    func canMigrate(request: Request) async throws -> CanMigrateDTO {
        let session = try await request.simulator.findSession(token: try request.token(), on: request.db)
        let simulator = request.simulator
        do {
            guard request.application.settings.migrationEnabled else {
                throw AppError(
                    status: .serviceUnavailable, code: "MIGRATION_DISABLED",
                    message: "Le rattachement des simulations est désactivé pour le moment.")
            }
            try simulator.checkWritable(session)
            guard session.status == .completed else { throw AppError.sessionNotCompleted }
            return CanMigrateDTO(canMigrate: true, status: session.status, reason: nil, reasonCode: nil)
        } catch let error as AppError {
            return CanMigrateDTO(canMigrate: false, status: session.status, reason: error.message, reasonCode: error.code)
        }
    }

    func sessionData(request: Request) async throws -> SessionDataDTO {
        let simulator = request.simulator
        let catalog = request.application.catalog
        let session = try await simulator.findSession(token: try request.token(), on: request.db)
        try simulator.checkWritable(session)
        guard session.status == .completed else { throw AppError.sessionNotCompleted }
        let answers = try await simulator.storedAnswers(of: session, on: request.db)
        let rows = try await TemporaryEligibility.query(on: request.db).filter(\.$session.$id == session.id!).all()
        let results = simulator.resultsDTO(session: session, rows: rows).results
        func label(_ id: String) -> String? {
            guard case .text(let option)? = answers[id] else { return nil }
            return catalog.question(id: id)?.options.first { $0.id == option }?.label
        }
        let answerList = catalog.questions.compactMap { question -> SessionAnswerDTO? in
            guard let value = answers[question.id] else { return nil }
            return SessionAnswerDTO(
                questionID: question.id, questionText: question.text, questionType: question.type.rawValue,
                responseValue: value, responseLabel: question.describe(value))
        }
        return SessionDataDTO(
            session: SessionSummaryDTO(
                status: session.status, createdAt: session.createdAt, completedAt: session.completedAt,
                expiresAt: session.expiresAt, rulesetVersion: session.rulesetVersion, evaluatedOn: session.evaluatedOn),
            answers: answerList, results: results,
            extractedClientData: ExtractedClientDataDTO(
                secteurActivite: label("GENERAL_001"), trancheEffectif: label("GENERAL_003"),
                trancheChiffreAffaires: label("GENERAL_002")),
            totalPotentialSavings: (results.map(\.estimatedSavings).reduce(0, +) * 100).rounded() / 100,
            highEligibilityCount: results.filter { $0.score >= 70 }.count)
    }

    func stats(request: Request) async throws -> StatsDTO {
        _ = try request.signedInOperator()
        let app = request.application
        let period = try ConversionPeriod.parse(
            from: request.query[String.self, at: "from"], to: request.query[String.self, at: "to"], now: app.clock.now()
        ).mapError(\.appError).get()
        return try await SessionMigrationStatistics.compute(
            period: period, catalog: app.catalog, on: request.db, backend: app.backend, now: app.clock.now())
    }
}

extension Question {
    /// An answer as a person reads it: option labels, "oui"/"non", the number with its unit.
    func describe(_ value: AnswerValue) -> String {
        switch value {
        case .text(let option): return options.first { $0.id == option }?.label ?? option
        case .list(let chosen): return chosen.map { id in options.first { $0.id == id }?.label ?? id }.joined(separator: ", ")
        case .bool(let flag): return flag ? "Oui" : "Non"
        case .number: return "\(value)\(unit.map { " \($0)" } ?? "")"
        }
    }
}

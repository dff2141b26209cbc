import Vapor

/// `/api/simulator/*`: decode, call the service, encode.
struct SimulatorController {
    func questions(request: Request) async throws -> QuestionnaireDTO {
        let catalog = request.application.catalog
        return QuestionnaireDTO(
            rulesetVersion: catalog.ruleset.identifier, sections: catalog.sections,
            questions: catalog.questions.map(QuestionDTO.init))
    }

    func create(request: Request) async throws -> Response {
        let (token, session) = try await request.simulator.createSession(on: request.db)
        let body = SessionCreatedDTO(
            sessionToken: token, status: session.status, expiresAt: session.expiresAt,
            rulesetVersion: request.application.catalog.ruleset.identifier)
        return try await body.encodeResponse(status: .created, for: request)
    }

    func show(request: Request) async throws -> SessionStateDTO {
        try await request.simulator.state(token: try request.token(), on: request.db)
    }

    func answer(request: Request) async throws -> SessionStateDTO {
        let input = try request.decodeBody(AnswersInput.self)
        return try await request.simulator.updateAnswers(token: try request.token(), changes: input.answers, on: request.db)
    }

    func complete(request: Request) async throws -> ResultsDTO {
        try await request.simulator.complete(token: try request.token(), on: request.db)
    }

    func results(request: Request) async throws -> ResultsDTO {
        try await request.simulator.results(token: try request.token(), on: request.db)
    }

    func abandon(request: Request) async throws -> SessionStateDTO {
        let reason = request.body.data == nil ? nil : try request.decodeBody(AbandonInput.self).reason
        return try await request.simulator.abandon(token: try request.token(), reason: reason, on: request.db)
    }
}

extension Request {
    /// The session token from the path; anything that cannot be one is simply not found.
    func token() throws -> String {
        guard let token = parameters.get("token"), (16...256).contains(token.count) else { throw AppError.sessionNotFound }
        return token
    }
}

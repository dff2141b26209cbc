import Eligibility
import Vapor

/// The visitor's pages over the simulator service: the same domain functions as the API, with the
/// session's token in a cookie instead of the URL. POST, then redirect, then GET.
struct SimulatorPagesController {
    func home(request: Request) async throws -> Response {
        let resumable = try await openSession(request)
        return HomePage.page(csrf: request.csrfToken, resumable: resumable).response(for: request)
    }

    /// A new session, its token in the cookie; an earlier one is left to expire.
    func start(request: Request) async throws -> Response {
        let (token, session) = try await request.simulator.createSession(on: request.db)
        let response = request.redirect(to: "/simulateur", redirectType: .normal)
        response.cookies[BrowserCookies.simulation] = BrowserCookies.value(
            token, expires: session.expiresAt, settings: request.application.settings)
        return response
    }

    func step(request: Request) async throws -> Response {
        try await request.withSimulation { token in try await step(request, token: token) }
    }

    private func step(_ request: Request, token: String) async throws -> Response {
        let state = try await request.simulator.state(token: token, on: request.db)
        let catalog = request.application.catalog
        let steps = QuestionnaireModel.steps(catalog: catalog, visible: Set(state.visibleQuestions))
        guard let wanted = request.query[Int.self, at: "etape"] else {
            // Resuming: the first step with a required question unanswered, or the recap.
            let missing = Set(state.missingRequired)
            guard let first = steps.firstIndex(where: { $0.questions.contains { missing.contains($0.id) } }) else {
                return request.redirect(to: "/simulateur/recapitulatif")
            }
            return request.redirect(to: "/simulateur?etape=\(first + 1)")
        }
        guard steps.indices.contains(wanted - 1) else { throw Abort(.notFound) }
        let model = QuestionnaireModel(
            steps: steps, index: wanted - 1, values: QuestionnaireModel.values(state.answers), errors: [:], revealed: [])
        return model.page(csrf: request.csrfToken).response(for: request)
    }

    /// Saves a step. A value refused, or a required question left empty, shows the step again with
    /// what was typed; questions revealed by the answers are shown before going on.
    func submit(request: Request) async throws -> Response {
        try await request.withSimulation { token in try await submit(request, token: token) }
    }

    private func submit(_ request: Request, token: String) async throws -> Response {
        let catalog = request.application.catalog
        let before = try await request.simulator.state(token: token, on: request.db)
        let stepsBefore = QuestionnaireModel.steps(catalog: catalog, visible: Set(before.visibleQuestions))
        guard let wanted = request.query[Int.self, at: "etape"], stepsBefore.indices.contains(wanted - 1) else { throw Abort(.notFound) }
        let shown = stepsBefore[wanted - 1]
        let submitted = SubmittedStep(form: try FormValues(request), questions: shown.questions)
        func again(_ steps: [QuestionnaireModel.Step], values: [String: [String]], errors: [String: String], revealed: Set<String>)
            -> Response
        {
            let index = steps.firstIndex { $0.section == shown.section } ?? wanted - 1
            return QuestionnaireModel(steps: steps, index: index, values: values, errors: errors, revealed: revealed)
                .page(csrf: request.csrfToken).response(for: request)
        }
        let typed = QuestionnaireModel.values(before.answers).merging(submitted.typed) { $1 }
        guard submitted.errors.isEmpty else { return again(stepsBefore, values: typed, errors: submitted.errors, revealed: []) }

        // What the answers would be: checked, and their questionnaire, before anything is written.
        var merged = before.answers
        for (id, change) in submitted.changes { merged[id] = change }
        let flow: QuestionnaireState
        do {
            flow = catalog.flow(try catalog.validate(merged))
        } catch {
            let messages = Dictionary(
                error.errors.map { ($0.question, Self.sentence($0.message)) }, uniquingKeysWith: { first, _ in first })
            return again(stepsBefore, values: typed, errors: messages, revealed: [])
        }
        let steps = QuestionnaireModel.steps(catalog: catalog, visible: Set(flow.visibleQuestions))
        let nowShown = Set(steps.first { $0.section == shown.section }?.questions.map(\.id) ?? [])
        let revealed = nowShown.subtracting(shown.questions.map(\.id)).filter { merged[$0] == nil }
        let missing = flow.missingRequired.filter { nowShown.contains($0) && !revealed.contains($0) }
        if !missing.isEmpty {
            let messages = Dictionary(uniqueKeysWithValues: missing.map { ($0, "Répondez à cette question.") })
            return again(steps, values: typed, errors: messages, revealed: [])
        }
        let after = try await request.simulator.updateAnswers(token: token, changes: submitted.changes, on: request.db)
        if !revealed.isEmpty { return again(steps, values: QuestionnaireModel.values(after.answers), errors: [:], revealed: revealed) }
        guard let index = steps.firstIndex(where: { $0.section == shown.section }), index + 1 < steps.count else {
            return request.redirect(to: "/simulateur/recapitulatif")
        }
        return request.redirect(to: "/simulateur?etape=\(index + 2)")
    }

    /// A refused answer in the form's words: the engine's message, as a sentence.
    private static func sentence(_ text: String) -> String {
        let message = text.prefix(1).uppercased() + text.dropFirst()
        return message.hasSuffix(".") ? message : message + "."
    }

    func recap(request: Request) async throws -> Response {
        try await request.withSimulation { token in
            let state = try await request.simulator.state(token: token, on: request.db)
            let steps = QuestionnaireModel.steps(catalog: request.application.catalog, visible: Set(state.visibleQuestions))
            return RecapPage.page(steps: steps, answers: state.answers, missing: state.missingRequired, csrf: request.csrfToken)
                .response(for: request)
        }
    }

    /// Completes the session; a required answer missing sends back to its step.
    func complete(request: Request) async throws -> Response {
        try await request.withSimulation { token in
            do {
                _ = try await request.simulator.complete(token: token, on: request.db)
            } catch let error as AppError where error.code == "MISSING_REQUIRED_ANSWERS" {
                return request.redirect(to: "/simulateur")
            } catch let error as AppError where error.code == AppError.sessionAlreadyMigrated.code {
                return request.redirect(to: "/simulateur/resultats")
            }
            return request.redirect(to: "/simulateur/resultats")
        }
    }

    func results(request: Request) async throws -> Response {
        try await request.withSimulation { token in
            let results: ResultsDTO
            do {
                results = try await request.simulator.results(token: token, on: request.db)
            } catch let error as AppError where error.code == AppError.sessionNotCompleted.code {
                return request.redirect(to: "/simulateur/recapitulatif")
            }
            let next: ResultsPage.NextStep =
                results.status == .migrated
                ? .dashboard : request.auth.has(Client.self) ? .attach : .signUp
            return ResultsPage.page(results, next: next, catalog: request.application.catalog, csrf: request.csrfToken)
                .response(for: request)
        }
    }

    /// A missing input named on the results: its step, at the question.
    func question(request: Request) async throws -> Response {
        try await request.withSimulation { token in
            let id = request.parameters.get("id") ?? ""
            let state = try await request.simulator.state(token: token, on: request.db)
            let steps = QuestionnaireModel.steps(catalog: request.application.catalog, visible: Set(state.visibleQuestions))
            guard let index = steps.firstIndex(where: { $0.questions.contains { $0.id == id } }) else {
                return request.redirect(to: "/simulateur/recapitulatif")
            }
            return request.redirect(to: "/simulateur?etape=\(index + 1)#\(id)")
        }
    }

    /// Abandons the session and starts a new one.
    func restart(request: Request) async throws -> Response {
        if let token = request.simulationCookie {
            _ = try? await request.simulator.abandon(token: token, reason: "Recommencée par le visiteur", on: request.db)
        }
        return try await start(request: request)
    }

    /// Whether the browser holds a simulation it can go on with (in progress, or finished and not attached).
    private func openSession(_ request: Request) async throws -> Bool {
        guard let (_, session) = try await request.browserSimulation() else { return false }
        return (try? request.simulator.checkWritable(session)) != nil
    }

    static func expired(_ request: Request) -> Response {
        let response = ExpiredPage.page(csrf: request.csrfToken).response(for: request)
        response.cookies[BrowserCookies.simulation] = BrowserCookies.expired(settings: request.application.settings)
        return response
    }
}

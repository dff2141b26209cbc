import Eligibility
import Vapor

/// `/inscription`, `/connexion` and `/deconnexion`: the account pages over the domain functions the
/// API uses (`ClientSignup.validate`, `SessionMigrationService.migrate`, `AccountService.login`).
struct AccountPagesController {
    func signupForm(request: Request) async throws -> Response {
        if request.auth.has(Client.self) { return try await request.redirect(to: destinationAfterSignIn(request)) }
        guard let (_, session) = try await request.simulationToAttach() else {
            return SignupNeedsSimulationPage.page(csrf: request.csrfToken).response(for: request)
        }
        let form = try await signupForm(for: session, request)
        return form.page(catalog: request.application.catalog, csrf: request.csrfToken).response(for: request)
    }

    /// Creates the client and migrates the session in one transaction, then signs the browser in.
    /// Sent twice (a double click, a reload), it is answered with the first outcome: one client.
    func signup(request: Request) async throws -> Response {
        guard request.simulationCookie != nil else {
            return SignupNeedsSimulationPage.page(csrf: request.csrfToken).response(for: request)
        }
        return try await request.withSimulation { token in
            let session = try await request.simulator.findSession(token: token, on: request.db)
            var form: SignupForm
            do {
                form = try await signupForm(for: session, request)
            } catch let error as AppError where error.code == AppError.sessionNotCompleted.code {
                return request.redirect(to: "/simulateur/recapitulatif")
            }
            let posted = try FormValues(request)
            form.values = Dictionary(uniqueKeysWithValues: SignupForm.fieldOrder.map { ($0, posted.first($0) ?? "") })
            return try await signUp(form, token: token, request)
        }
    }

    private func signUp(_ form: SignupForm, token: String, _ request: Request) async throws -> Response {
        let catalog = request.application.catalog
        var form = form
        let signup: ClientSignup
        switch form.validated(catalog: catalog) {
        case .valid(let valid): signup = valid
        case .invalid(let again):
            return again.page(catalog: catalog, csrf: request.csrfToken, status: .unprocessableEntity).response(for: request)
        }
        do {
            let completed = try await request.sessionMigration.migrate(token: token, to: .newClient(signup), actor: .signup, on: request.db)
            return try await request.signIn(completed.client, thenGoTo: "/espace?bienvenue=1")
        } catch let error as AppError where error.code == AppError.emailAlreadyRegistered.code {
            form.errors = ["email": error.message]
            return form.page(catalog: catalog, csrf: request.csrfToken, status: .conflict).response(for: request)
        }
    }

    func signInForm(request: Request) async throws -> Response {
        if request.auth.has(Client.self) { return try await request.redirect(to: destinationAfterSignIn(request)) }
        return SignInPage.page(email: "", errors: [:], csrf: request.csrfToken).response(for: request)
    }

    /// Signs in with the API's checks and throttling; then attaching the browser's simulation, if it
    /// holds one, or the dashboard.
    func signIn(request: Request) async throws -> Response {
        let form = try FormValues(request)
        let email = (form.first("email") ?? "").trimmingCharacters(in: .whitespaces)
        let password = form.first("password") ?? ""
        var errors: [String: String] = [:]
        if email.isEmpty { errors["email"] = "Indiquez votre adresse e-mail." }
        if password.isEmpty { errors["password"] = "Indiquez votre mot de passe." }
        func again(_ status: HTTPResponseStatus, headers: HTTPHeaders = [:]) -> Response {
            let response = SignInPage.page(email: email, errors: errors, status: status, csrf: request.csrfToken).response(for: request)
            for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
            return response
        }
        guard errors.isEmpty else { return again(.unprocessableEntity) }
        let client: Client
        do {
            client = try await request.accounts.login(email: email, password: password, on: request.db)
        } catch let error as AppError where error.code == AppError.invalidCredentials.code || error.status == .tooManyRequests {
            errors["email"] = error.message
            return again(error.status, headers: error.headers)
        }
        request.auth.login(client)
        return try await request.signIn(client, thenGoTo: destinationAfterSignIn(request))
    }

    /// Ends this browser's sign-in: its token is deleted, its cookie forgotten.
    func signOut(request: Request) async throws -> Response {
        if let token = request.accountCookie { try await request.accounts.forget(token: token, on: request.db) }
        return signedOut(request, everywhere: false)
    }

    /// Ends every sign-in of the account, on every device.
    func signOutEverywhere(request: Request) async throws -> Response {
        guard let client = request.auth.get(Client.self) else { return request.redirect(to: "/connexion") }
        _ = try await request.accounts.revokeEveryToken(of: client, on: request.db)
        return signedOut(request, everywhere: true)
    }

    private func signedOut(_ request: Request, everywhere: Bool) -> Response {
        request.auth.logout(Client.self)
        let response = SignedOutPage.page(everywhere: everywhere).response(for: request)
        response.cookies[BrowserCookies.account] = BrowserCookies.expired(settings: request.application.settings)
        return response
    }

    /// The form as first shown for `session`: the bands its answers give, its summary.
    private func signupForm(for session: TemporarySession, _ request: Request) async throws -> SignupForm {
        let summary = try await request.simulator.results(of: session, on: request.db)
        let answers = try await request.simulator.storedAnswers(of: session, on: request.db)
        return SignupForm.prefilled(answers: answers, simulatedOn: session.completedAt, summary: summary)
    }

    /// An operator's console; a client's simulation to attach, if the browser holds one, or dashboard.
    private func destinationAfterSignIn(_ request: Request) async throws -> String {
        if request.auth.get(Client.self)?.role == .operatorAccount { return "/operateur" }
        return try await request.simulationToAttach() == nil ? "/espace" : "/espace/rattacher"
    }
}

extension SignupForm {
    init(values: [String: String], simulatedOn: Date?, summary: ResultsDTO) {
        let kept = summary.results.filter { $0.status != EligibilityStatus.notEligible.rawValue }
        self.init(
            values: values, simulatedOn: simulatedOn, eligibleCount: kept.count,
            totalSavings: (kept.map(\.estimatedSavings).reduce(0, +) * 100).rounded() / 100)
    }

    /// The form as first shown: the bands the answers give, nothing else.
    static func prefilled(answers: [String: AnswerValue], simulatedOn: Date?, summary: ResultsDTO) -> SignupForm {
        var form = SignupForm(values: [:], simulatedOn: simulatedOn, summary: summary)
        for band in bands {
            if case .text(let option)? = answers[band.question] {
                form.values[band.field] = option
                form.fromSimulation.insert(band.field)
            }
        }
        return form
    }
}

import Fluent
import Vapor

/// `/espace`: the signed-in client's dashboard, and attaching the browser's simulation to the account.
struct ClientSpaceController {
    func dashboard(request: Request) async throws -> Response {
        guard let client = try signedInClient(request) else { return request.redirect(to: "/connexion") }
        let products = try await ClientProduitEligible.all(of: client, on: request.db)
        let simulations = try await Simulation.all(of: client, on: request.db)
        let page = DashboardPage(
            client: client, products: products, simulations: simulations,
            pendingSimulation: try await request.simulationToAttach() != nil, welcome: request.query[String.self, at: "bienvenue"] != nil)
        return page.page(catalog: request.application.catalog, csrf: request.csrfToken).response(for: request)
    }

    /// "Rattacher la simulation du … à votre compte ?"
    func attachForm(request: Request) async throws -> Response {
        guard try signedInClient(request) != nil else { return request.redirect(to: "/connexion") }
        guard let (_, session) = try await request.simulationToAttach() else { return request.redirect(to: "/espace") }
        let results = try await request.simulator.results(of: session, on: request.db)
        return AttachPages.confirm(results, completedAt: session.completedAt, csrf: request.csrfToken).response(for: request)
    }

    /// Attaches it with the domain function (exactly once: a second press finds it done), then
    /// shows each product's outcome.
    func attach(request: Request) async throws -> Response {
        guard let client = try signedInClient(request) else { return request.redirect(to: "/connexion") }
        guard request.simulationCookie != nil else { return request.redirect(to: "/espace") }
        return try await request.withSimulation { token in
            do {
                _ = try await request.sessionMigration.migrate(
                    token: token, to: .existingClient(client), actor: .client(client.id!), on: request.db)
            } catch let error as AppError where error.code == AppError.sessionNotCompleted.code {
                return request.redirect(to: "/simulateur/recapitulatif")
            }
            return request.redirect(to: "/espace/rattachement", redirectType: .normal)
        }
    }

    /// What the attachment did, read back from the session: a reload shows it again.
    func attachOutcome(request: Request) async throws -> Response {
        guard let client = try signedInClient(request) else { return request.redirect(to: "/connexion") }
        guard let (_, session) = try await request.browserSimulation(), session.$client.id == client.id,
            let outcome = session.migrationResult?.outcome
        else { return request.redirect(to: "/espace") }
        return AttachPages.outcome(outcome, catalog: request.application.catalog).response(for: request)
    }

    /// The signed-in client; nil for a browser not signed in (sent to sign in); an operator is refused.
    private func signedInClient(_ request: Request) throws -> Client? {
        guard let client = request.auth.get(Client.self) else { return nil }
        guard client.role == .client else { throw AppError.clientAreaOnly }
        return client
    }
}

extension AppError {
    static let clientAreaOnly = AppError(
        status: .forbidden, code: "CLIENT_AREA_ONLY", message: "L'espace client est réservé aux comptes clients.")
}

import Vapor

extension Request {
    /// The session the browser's cookie opens, whatever its status; nil without a cookie or when
    /// the cookie opens no session.
    func browserSimulation() async throws -> (token: String, session: TemporarySession)? {
        guard let token = simulationCookie else { return nil }
        do {
            return (token, try await simulator.findSession(token: token, on: db))
        } catch let error as AppError where error.code == AppError.sessionNotFound.code {
            return nil
        }
    }

    /// The finished simulation this browser holds and no account has yet; nil when there is none,
    /// or when it is still in progress, expired, abandoned or already attached.
    func simulationToAttach() async throws -> (token: String, session: TemporarySession)? {
        guard let (token, session) = try await browserSimulation(), session.status == .completed,
            (try? simulator.checkWritable(session)) != nil
        else { return nil }
        return (token, session)
    }

    /// Runs `body` with the browser's session token: without one, back to the home page; an expired
    /// or unknown session gets the page that says so.
    func withSimulation(_ body: (String) async throws -> Response) async throws -> Response {
        guard let token = simulationCookie else { return redirect(to: "/") }
        do {
            return try await body(token)
        } catch let error as AppError where error.code == AppError.sessionExpired.code || error.code == AppError.sessionNotFound.code {
            return SimulatorPagesController.expired(self)
        }
    }
}

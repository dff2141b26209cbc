import Vapor

extension Request {
    /// The finished simulation this browser holds and no account has yet; nil when there is none,
    /// or when it is still in progress, expired, abandoned or already attached.
    func simulationToAttach() async throws -> (token: String, session: TemporarySession)? {
        guard let token = simulationCookie else { return nil }
        let session: TemporarySession
        do {
            session = try await simulator.findSession(token: token, on: db)
            try simulator.checkWritable(session)
        } catch let error as AppError where error.status.code < 500 {
            return nil
        }
        return session.status == .completed ? (token, session) : nil
    }
}

extension AppError {
    static let clientAreaOnly = AppError(
        status: .forbidden, code: "CLIENT_AREA_ONLY", message: "L'espace client est réservé aux comptes clients.")
}

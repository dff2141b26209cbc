import Vapor

/// The open routes whose requests cost the server more than a read, each with its own budget per
/// client address (`RateLimiter`): past it, 429 `TOO_MANY_REQUESTS` with `Retry-After`, before
/// anything is read or written.
enum AddressBudget: Sendable, CaseIterable {
    /// `/api/auth/login` and the sign-up `/api/session-migration/migrate`, together: each runs bcrypt.
    /// Without it, anyone could keep every core hashing with wrong sign-ins to made-up addresses.
    case passwords
    /// `POST /api/simulator/sessions`: each writes a row that stays until its retention ends.
    case sessions

    /// The requests a minute from one address, from the settings; nil when unlimited.
    func perMinute(_ settings: AppSettings) -> Int? {
        switch self {
        case .passwords: return settings.passwordAttemptsPerMinute
        case .sessions: return settings.sessionsPerMinute
        }
    }

    func refusal(retryAfter seconds: TimeInterval) -> AppError {
        let what: String
        switch self {
        case .passwords: what = "Trop de tentatives"
        case .sessions: what = "Trop de simulations ouvertes"
        }
        return .tooManyRequests(code: "TOO_MANY_REQUESTS", retryAfter: seconds) { seconds in
            "\(what) depuis votre connexion : réessayez dans \(seconds) seconde\(seconds > 1 ? "s" : "")."
        }
    }
}

/// Takes one request from its address's budget, or refuses it.
struct AddressLimit: AsyncMiddleware {
    let budget: AddressBudget

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let limiter = request.application.addressLimiters[budget] {
            let settings = request.application.settings
            let origin = ClientAddress.key(
                peer: request.remoteAddress?.ipAddress,
                hops: settings.proxyHeader.hops(in: request.headers),
                trustedProxies: settings.trustedProxies)
            if let wait = limiter.take(origin, now: request.application.clock.now()) {
                throw budget.refusal(retryAfter: wait)
            }
        }
        return try await next.respond(to: request)
    }
}

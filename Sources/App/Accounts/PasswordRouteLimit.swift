import Vapor

/// The limit per client address on the routes that make the server run bcrypt (`/api/auth/login` and
/// the sign-up `/api/session-migration/migrate`): `PASSWORD_ATTEMPTS_PER_MINUTE` requests a minute
/// from one address, then 429 `TOO_MANY_REQUESTS` with `Retry-After`, before anything is read or written.
/// Without it, anyone could keep every core busy hashing with wrong sign-ins to made-up addresses.
struct PasswordRouteLimit: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let limiter = request.application.passwordRouteLimiter {
            let settings = request.application.settings
            let origin = ClientAddress.key(peer: request.remoteAddress?.ipAddress,
                                           forwardedFor: request.headers[.xForwardedFor],
                                           trustedProxies: settings.trustedProxies)
            if let wait = limiter.take(origin, now: request.application.clock.now()) {
                throw AppError.tooManyRequests(retryAfter: wait)
            }
        }
        return try await next.respond(to: request)
    }
}

extension AppError {
    static func tooManyRequests(retryAfter seconds: TimeInterval) -> AppError {
        let seconds = max(1, Int(seconds.rounded(.up)))
        return AppError(status: .tooManyRequests, code: "TOO_MANY_REQUESTS",
                        message: "Trop de tentatives depuis votre connexion : réessayez dans \(seconds) seconde\(seconds > 1 ? "s" : "").",
                        headers: ["Retry-After": String(seconds)])
    }
}

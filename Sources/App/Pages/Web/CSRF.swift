import Crypto
import Foundation
import Vapor

/// Forms prove they come from a page of ours: each carries a token derived from the browser's CSRF
/// cookie, which another site can neither read (`HttpOnly`) nor send with its own value (`SameSite`,
/// and the token must match it). `CSRFMiddleware` gives every browser that cookie and refuses a POST
/// whose token does not match with a 403 page, before anything is read or written.
enum CSRF {
    static let field = "csrf"

    /// The token a form carries for this cookie.
    static func token(for secret: String) -> String {
        SHA256.hash(data: Data(("passerelle-csrf:" + secret).utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

extension Request {
    /// The token this request's pages put in their forms.
    var csrfToken: String {
        CSRF.token(for: storage[CSRFSecretKey.self] ?? "")
    }
}

struct CSRFSecretKey: StorageKey {
    typealias Value = String
}

/// On the pages (not `/api`, whose clients send bearer tokens, not cookies): gives a browser its CSRF
/// secret, and checks every POST's token. Registered on the pages' routes only (`routes.swift`).
struct CSRFMiddleware: AsyncMiddleware {
    /// The largest body a POST may have, in bytes; nil: the routes' default. A file upload's is larger.
    var maxBodySize: Int?

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let existing = request.cookies[BrowserCookies.csrf]?.string.nilIfEmpty
        let secret = existing ?? SecretToken.generate()
        request.storage[CSRFSecretKey.self] = secret
        if request.method == .POST {
            // The route would collect it anyway; the token is read from it first.
            _ = try await request.body.collect(max: maxBodySize ?? request.application.routes.defaultMaxBodySize.value).get()
            let sent: String?
            if request.headers.contentType?.type == "multipart" {
                sent = try? request.content.get(String.self, at: CSRF.field)
            } else {
                sent = try? FormValues(request).first(CSRF.field)
            }
            guard let existing, let sent, sent == CSRF.token(for: existing) else {
                throw AppError.csrfRefused
            }
        }
        let response = try await next.respond(to: request)
        if existing == nil {
            response.cookies[BrowserCookies.csrf] = BrowserCookies.value(secret, expires: nil, settings: request.application.settings)
        }
        return response
    }
}

extension AppError {
    static let csrfRefused = AppError(
        status: .forbidden, code: "CSRF_REFUSED",
        message: "Ce formulaire a expiré ou ne vient pas de Passerelle : rechargez la page et recommencez.")
}

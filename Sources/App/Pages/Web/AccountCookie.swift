import Vapor

/// Signs a page request in from the account cookie. The cookie holds an access token of
/// `AccountService`, the same kind as the API's bearer token: random, stored hashed, expiring.
struct AccountCookieAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let token = request.accountCookie, token.count <= 256,
            let client = try await request.accounts.client(forToken: token, on: request.db)
        {
            request.auth.login(client)
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The account token the browser holds, if any (it may have expired).
    var accountCookie: String? {
        cookies[BrowserCookies.account]?.string.nilIfEmpty
    }

    /// Signs the browser in as `client` and sends it to `path`. The token is new, in a new cookie:
    /// one the browser held before is deleted, so that a sign-in never keeps a token chosen by someone else.
    func signIn(_ client: Client, thenGoTo path: String) async throws -> Response {
        if let previous = accountCookie { try await accounts.forget(token: previous, on: db) }
        let (token, expiresAt) = try await accounts.issueToken(for: client, on: db)
        let response = redirect(to: path, redirectType: .normal)
        response.cookies[BrowserCookies.account] = BrowserCookies.value(token, expires: expiresAt, settings: application.settings)
        return response
    }
}

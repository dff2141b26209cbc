import Vapor

/// `POST /api/auth/login`, `/logout` and `/logout-everywhere`.
struct AuthController {
    func login(request: Request) async throws -> AccessTokenDTO {
        let input = try request.decodeBody(LoginInput.self)
        let client = try await request.accounts.login(email: input.email, password: input.password, on: request.db)
        let (token, expiresAt) = try await request.accounts.issueToken(for: client, on: request.db)
        return AccessTokenDTO(accessToken: token, expiresAt: expiresAt, clientID: client.id!, role: client.role.rawValue)
    }

    /// Ends the sign-in of the token sent: it no longer signs anyone in. The account's other tokens stay.
    func logout(request: Request) async throws -> SignedOutDTO {
        let client = try request.signedIn()
        guard let bearer = request.headers.bearerAuthorization else { throw AppError.authenticationRequired }
        let revoked = try await request.accounts.revoke(token: bearer.token, of: client, on: request.db)
        return SignedOutDTO(revokedTokens: revoked, message: "Vous êtes déconnecté.")
    }

    /// Ends every sign-in of the account, on every device: after a lost phone or a shared computer.
    func logoutEverywhere(request: Request) async throws -> SignedOutDTO {
        let client = try request.signedIn()
        let revoked = try await request.accounts.revokeEveryToken(of: client, on: request.db)
        return SignedOutDTO(revokedTokens: revoked, message: "Vous êtes déconnecté de tous vos appareils.")
    }
}

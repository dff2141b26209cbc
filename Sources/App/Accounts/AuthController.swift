import Vapor

/// `POST /api/auth/login`.
struct AuthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("api", "auth").post("login", use: login)
    }

    func login(request: Request) async throws -> AccessTokenDTO {
        let input = try request.content.decode(LoginInput.self)
        let client = try await request.accounts.login(email: input.email, password: input.password, on: request.db)
        let (token, expiresAt) = try await request.accounts.issueToken(for: client, on: request.db)
        return AccessTokenDTO(accessToken: token, expiresAt: expiresAt, clientID: client.id!, role: client.role.rawValue)
    }
}

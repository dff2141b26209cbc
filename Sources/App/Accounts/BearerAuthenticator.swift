import Vapor

/// Signs a request in from `Authorization: Bearer <access token>`.
struct BearerAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        guard bearer.token.count <= 256 else { return }
        if let client = try await request.accounts.client(forToken: bearer.token, on: request.db) {
            request.auth.login(client)
        }
    }
}

extension Request {
    /// The signed-in account, or 401.
    func signedIn() throws -> Client {
        guard let client = auth.get(Client.self) else { throw AppError.authenticationRequired }
        return client
    }

    /// The signed-in operator, or 401 / 403.
    func signedInOperator() throws -> Client {
        let client = try signedIn()
        guard client.role == .operatorAccount else { throw AppError.operatorRequired }
        return client
    }
}

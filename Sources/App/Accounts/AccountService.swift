import Fluent
import Vapor

/// Accounts: password checks and access tokens. Takes a `Database`, never a `Request`.
struct AccountService: Sendable {
    let clock: any AppClock
    let tokenLifetime: TimeInterval
    let bcryptCost: Int
    let writer: DatabaseWriter

    /// A bcrypt hash that `login` checks against when the email is unknown, so both cases take as long.
    private static let decoyHash = try! Bcrypt.hash("mot-de-passe-leurre-0", cost: 4)

    func hashPassword(_ password: String) throws -> String {
        try Bcrypt.hash(password, cost: bcryptCost)
    }

    func findClient(email: String, on database: any Database) async throws -> Client? {
        // PostgreSQL refuses text with a NUL byte; such an address cannot belong to anyone.
        guard !email.containsControlCharacters else { return nil }
        return try await Client.query(on: database).filter(\.$email == email.trimmingCharacters(in: .whitespaces).lowercased()).first()
    }

    /// The account for these credentials, or 401.
    func login(email: String, password: String, on database: any Database) async throws -> Client {
        guard !password.contains("\u{0}") else { throw AppError.invalidCredentials }
        guard let client = try await findClient(email: email, on: database) else {
            _ = try? Bcrypt.verify(password, created: Self.decoyHash)
            throw AppError.invalidCredentials
        }
        guard (try? Bcrypt.verify(password, created: client.passwordHash)) == true else { throw AppError.invalidCredentials }
        return client
    }

    /// A new access token for `client`: the only time it exists in clear.
    func issueToken(for client: Client, on database: any Database) async throws -> (token: String, expiresAt: Date) {
        let token = SecretToken.generate()
        let now = clock.now()
        let expiresAt = now.addingTimeInterval(tokenLifetime)
        let access = AccessToken(clientID: client.id!, tokenHash: SecretToken.hash(token), expiresAt: expiresAt, now: now)
        try await writer.write(on: database) { database in try await access.create(on: database) }
        return (token, expiresAt)
    }

    /// The account behind a bearer token that has not expired.
    func client(forToken token: String, on database: any Database) async throws -> Client? {
        guard let access = try await AccessToken.query(on: database)
            .filter(\.$tokenHash == SecretToken.hash(token))
            .filter(\.$expiresAt > clock.now())
            .with(\.$client)
            .first() else { return nil }
        return access.client
    }

    /// Creates an operator account (command line only).
    func createOperator(email: String, password: String, on database: any Database) async throws -> Client {
        let normalized = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard ClientSignup.isEmail(normalized) else { throw AppError(status: .badRequest, code: "INVALID_EMAIL", message: "Adresse e-mail invalide.") }
        guard password.count >= 12 else {
            throw AppError(status: .badRequest, code: "WEAK_PASSWORD", message: "Le mot de passe d'un opérateur doit compter au moins 12 caractères.")
        }
        if try await findClient(email: normalized, on: database) != nil {
            throw AppError(status: .conflict, code: "EMAIL_ALREADY_REGISTERED", message: "Un compte existe déjà avec cet e-mail.")
        }
        let now = clock.now()
        let account = Client(email: normalized, passwordHash: try hashPassword(password), role: .operatorAccount, type: "operator",
                             metadata: ClientMetadata(source: "cli"), now: now)
        try await writer.write(on: database) { database in try await account.create(on: database) }
        return account
    }
}

extension AppError {
    static let invalidCredentials = AppError(status: .unauthorized, code: "INVALID_CREDENTIALS", message: "E-mail ou mot de passe incorrect.")
    static let authenticationRequired = AppError(status: .unauthorized, code: "AUTHENTICATION_REQUIRED",
                                                 message: "Connexion requise : envoyez votre jeton d'accès (Authorization: Bearer …).",
                                                 headers: ["WWW-Authenticate": "Bearer"])
    static let operatorRequired = AppError(status: .forbidden, code: "OPERATOR_REQUIRED", message: "Action réservée aux opérateurs.")
}

extension Client: Authenticatable {}

import Fluent
import NIOConcurrencyHelpers
import Vapor

/// Accounts: password checks and access tokens. Takes a `Database`, never a `Request`.
struct AccountService: Sendable {
    let clock: any AppClock
    let tokenLifetime: TimeInterval
    let hasher: PasswordHasher
    let backend: any DatabaseBackend

    /// Bcrypt hashes that `login` checks against when the email is unknown, one per cost, made on
    /// first use: at the cost of the real ones, so both cases take as long.
    private static let decoyHashes = NIOLockedValueBox<[Int: String]>([:])

    func decoyHash() async throws -> String {
        if let hash = Self.decoyHashes.withLockedValue({ $0[hasher.cost] }) { return hash }
        let hash = try await hasher.hash("mot-de-passe-leurre-0")
        Self.decoyHashes.withLockedValue { $0[hasher.cost] = hash }
        return hash
    }

    func hashPassword(_ password: String) async throws -> String {
        try await hasher.hash(password)
    }

    func findClient(email: String, on database: any Database) async throws -> Client? {
        // PostgreSQL refuses text with a NUL byte; such an address cannot belong to anyone.
        guard !email.containsControlCharacters else { return nil }
        return try await Client.query(on: database).filter(\.$email == email.normalizedEmail).first()
    }

    /// The account for these credentials, or 401. After `LoginThrottling.freeFailures` failures
    /// in a row for one address, 429 for a while, whatever the password: guesses cannot go fast.
    func login(email: String, password: String, on database: any Database) async throws -> Client {
        let now = clock.now()
        let key = LoginThrottling.key(email: email)
        let failures = try await LoginThrottling.count(key: key, on: database)
        if let until = failures?.blockedUntil, until > now {
            throw AppError.tooManyLoginAttempts(retryAfter: until.timeIntervalSince(now))
        }
        guard let client = try await verifiedClient(email: email, password: password, on: database) else {
            try await backend.transaction(on: database) { database in
                try await LoginThrottling.recordFailure(key: key, now: now, on: database)
            }
            throw AppError.invalidCredentials
        }
        // Most sign-ins have no failure to forget: no write for them.
        if failures != nil {
            try await backend.write(on: database) { database in try await LoginThrottling.forget(key: key, on: database) }
        }
        return client
    }

    private func verifiedClient(email: String, password: String, on database: any Database) async throws -> Client? {
        guard !password.contains("\u{0}"), let client = try await findClient(email: email, on: database) else {
            _ = await hasher.verify(password, created: try await decoyHash())
            return nil
        }
        return await hasher.verify(password, created: client.passwordHash) ? client : nil
    }

    /// A new access token for `client`: the only time it exists in clear. The tokens that have
    /// expired, anyone's, are deleted at the same time: they can no longer sign anyone in.
    func issueToken(for client: Client, on database: any Database) async throws -> (token: String, expiresAt: Date) {
        let token = SecretToken.generate()
        let now = clock.now()
        let expiresAt = now.addingTimeInterval(tokenLifetime)
        let access = AccessToken(clientID: client.id!, tokenHash: SecretToken.hash(token), expiresAt: expiresAt, now: now)
        try await backend.transaction(on: database) { database in
            try await AccessToken.query(on: database).filter(\.$expiresAt <= now).delete()
            try await access.create(on: database)
        }
        return (token, expiresAt)
    }

    /// The account behind a bearer token that has not expired.
    func client(forToken token: String, on database: any Database) async throws -> Client? {
        guard
            let access = try await AccessToken.query(on: database)
                .filter(\.$tokenHash == SecretToken.hash(token))
                .filter(\.$expiresAt > clock.now())
                .with(\.$client)
                .first()
        else { return nil }
        return access.client
    }

    /// Deletes `token` if it is one of `client`'s; the number of tokens deleted (0 or 1).
    func revoke(token: String, of client: Client, on database: any Database) async throws -> Int {
        try await revokeTokens(of: client, on: database) { $0.filter(\.$tokenHash == SecretToken.hash(token)) }
    }

    /// Deletes `token`, whoever it was issued to: a browser signing in again drops the one it held.
    func forget(token: String, on database: any Database) async throws {
        try await backend.write(on: database) { database in
            try await AccessToken.query(on: database).filter(\.$tokenHash == SecretToken.hash(token)).delete()
        }
    }

    /// Deletes every token of `client`; how many there were, expired ones included.
    func revokeEveryToken(of client: Client, on database: any Database) async throws -> Int {
        try await revokeTokens(of: client, on: database) { $0 }
    }

    private func revokeTokens(
        of client: Client, on database: any Database,
        _ narrow: @escaping @Sendable (QueryBuilder<AccessToken>) -> QueryBuilder<AccessToken>
    ) async throws -> Int {
        try await backend.transaction(on: database) { database in
            let mine = { narrow(AccessToken.query(on: database).filter(\.$client.$id == client.id!)) }
            let count = try await mine().count()
            try await mine().delete()
            return count
        }
    }

    /// Creates an operator account (command line only).
    func createOperator(email: String, password: String, on database: any Database) async throws -> Client {
        let normalized = email.normalizedEmail
        guard ClientSignup.isEmail(normalized) else {
            throw AppError(status: .badRequest, code: "INVALID_EMAIL", message: "Adresse e-mail invalide.")
        }
        guard password.count >= 12 else {
            throw AppError(
                status: .badRequest, code: "WEAK_PASSWORD", message: "Le mot de passe d'un opérateur doit compter au moins 12 caractères.")
        }
        if try await findClient(email: normalized, on: database) != nil {
            throw AppError(status: .conflict, code: "EMAIL_ALREADY_REGISTERED", message: "Un compte existe déjà avec cet e-mail.")
        }
        let now = clock.now()
        let account = Client(
            email: normalized, passwordHash: try await hashPassword(password), role: .operatorAccount, type: "operator",
            metadata: ClientMetadata(source: "cli"), now: now)
        try await backend.write(on: database) { database in try await account.create(on: database) }
        return account
    }
}

extension AppError {
    static let invalidCredentials = AppError(
        status: .unauthorized, code: "INVALID_CREDENTIALS", message: "E-mail ou mot de passe incorrect.")
    static let authenticationRequired = AppError(
        status: .unauthorized, code: "AUTHENTICATION_REQUIRED",
        message: "Connexion requise : envoyez votre jeton d'accès (Authorization: Bearer …).",
        headers: ["WWW-Authenticate": "Bearer"])

    /// Whether an account has the address or not: the message says nothing of it.
    static func tooManyLoginAttempts(retryAfter seconds: TimeInterval) -> AppError {
        tooManyRequests(code: "TOO_MANY_LOGIN_ATTEMPTS", retryAfter: seconds) { seconds in
            let minutes = (seconds + 59) / 60
            return
                "Trop de tentatives de connexion échouées pour cette adresse e-mail : réessayez dans \(minutes) minute\(minutes > 1 ? "s" : "")."
        }
    }

    static let operatorRequired = AppError(status: .forbidden, code: "OPERATOR_REQUIRED", message: "Action réservée aux opérateurs.")
}

extension Client: Authenticatable {}

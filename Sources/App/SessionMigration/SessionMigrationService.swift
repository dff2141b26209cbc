import Eligibility
import Fluent
import FluentPostgresDriver
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Turns a completed simulator session into a client's products, in one transaction, exactly once.
/// Used by the API, the command line and the tests alike; takes a `Database`, never a `Request`.
struct SessionMigrationService: Sendable {
    let catalog: Catalog
    let clock: any AppClock
    let settings: AppSettings
    let accounts: AccountService
    let hooks: SessionMigrationHooks
    let backend: any DatabaseBackend
    let writer: any SessionMigrationWriter
    let productIDCache: NIOLockedValueBox<[String: UUID]?>

    enum Target: Sendable {
        case existingClient(Client)
        case newClient(ClientSignup)
    }

    struct Completed: Sendable {
        let outcome: SessionMigrationOutcome
        /// True when this call found the migration already done and wrote nothing.
        let alreadyMigrated: Bool
        let client: Client
    }

    /// What the transaction found: its own migration, or an earlier one it must not repeat.
    private enum Attempt: Sendable {
        case migrated(SessionMigrationOutcome, Client)
        case earlier(clientID: UUID?, outcome: SessionMigrationOutcome?)
    }

    /// Migrates, and counts the attempt in the metrics by path, outcome and refusal code.
    func migrate(token: String, to target: Target, actor: SessionMigrationActor, on database: any Database) async throws -> Completed {
        let started = DispatchTime.now().uptimeNanoseconds
        func record(_ outcome: String, _ code: String?) {
            PasserelleMetrics.migration(
                path: actor.metricPath, outcome: outcome, refusal: code, nanoseconds: DispatchTime.now().uptimeNanoseconds - started)
        }
        do {
            let completed = try await performMigration(token: token, to: target, actor: actor, on: database)
            record(completed.alreadyMigrated ? "already_migrated" : "migrated", nil)
            return completed
        } catch {
            let refusal = AppError.recognizing(error)
            let outcome = (refusal?.status.code ?? 500) >= 500 ? "failed" : "refused"
            let code = refusal?.code ?? AppError.internalError.code
            record(outcome, code)
            await remember(outcome: outcome, code: code, token: token, target: target, actor: actor, on: database)
            throw error
        }
    }

    /// Writes the refusal for the console's figures, in its own statement, after the migration's
    /// transaction ended. Not when the database is what failed (overloaded, unreachable): the write
    /// would wait as long again, and the metrics count those. A failure to write it is not the
    /// caller's: the refusal they get is the migration's.
    private func remember(
        outcome: String, code: String, token: String, target: Target, actor: SessionMigrationActor, on database: any Database
    ) async {
        guard code != AppError.databaseBusy.code, code != AppError.databaseUnavailable.code else { return }
        let refusal = SessionMigrationRefusal()
        refusal.createdAt = clock.now()
        refusal.path = actor.metricPath
        refusal.outcome = outcome
        refusal.errorCode = code
        refusal.actorType = actor.type
        refusal.actorID = actor.id
        if case .existingClient(let client) = target { refusal.clientID = client.id }
        do {
            refusal.sessionID = try await TemporarySession.query(on: database)
                .filter(\.$tokenHash == SecretToken.hash(token)).field(\.$id).first()?.id
            try await refusal.create(on: database)
        } catch {
            Logger(label: "passerelle.migration").warning("Refus de rattachement non enregistré (\(code)) : \(String(reflecting: type(of: error)))")
        }
    }

    private func performMigration(
        token: String, to target: Target, actor: SessionMigrationActor, on database: any Database
    ) async throws -> Completed {
        guard settings.migrationEnabled else {
            throw AppError(
                status: .serviceUnavailable, code: "MIGRATION_DISABLED",
                message: "Le rattachement des simulations est désactivé pour le moment.")
        }
        let hash = SecretToken.hash(token)
        var attempt: Attempt
        if case .newClient(let signup) = target {
            // bcrypt is slow, and this route is open to anyone: a sign-up that cannot succeed (a session
            // that cannot be claimed, an address that has an account) is answered as the transaction
            // would answer it, without hashing. The transaction still decides.
            if try await claimableSession(hash: hash, now: clock.now(), on: database.sql) == nil {
                attempt = try self.attempt(.refused(try await sessionRefusal(hash: hash, on: database)), client: nil)
            } else {
                do {
                    if try await accounts.findClient(email: signup.email, on: database) != nil { throw AppError.emailAlreadyRegistered }
                    // Before taking any lock.
                    hooks.beforePasswordHash?()
                    let passwordHash = try await accounts.hashPassword(signup.password)
                    attempt = try await write(hash: hash, target: target, passwordHash: passwordHash, actor: actor, on: database)
                } catch let error as AppError
                    where error.code == AppError.emailAlreadyRegistered.code || error.code == AppError.migrationConflict.code
                {
                    // The same sign-up sent twice at once (a double click): the other request created the
                    // account and migrated the session while this one waited on the address's unique
                    // index. That is the first outcome to answer again, not an account that existed before.
                    let refusal = try await sessionRefusal(hash: hash, on: database)
                    guard refusal.status == .migrated else { throw error }
                    attempt = .earlier(clientID: refusal.clientID, outcome: refusal.previous)
                }
            }
        } else {
            attempt = try await write(hash: hash, target: target, passwordHash: nil, actor: actor, on: database)
        }
        switch attempt {
        case .migrated(let outcome, let client):
            return Completed(outcome: outcome, alreadyMigrated: false, client: client)
        case .earlier(let clientID, let outcome):
            guard let outcome, let clientID, let client = try await Client.find(clientID, on: database) else {
                throw AppError.sessionAlreadyMigrated
            }
            switch target {
            case .existingClient(let wanted) where wanted.id == clientID:
                return Completed(outcome: outcome, alreadyMigrated: true, client: client)
            case .newClient(let signup) where signup.email == client.email:
                // The same sign-up sent again (lost answer, double click) is answered again, with an
                // access token: it is a sign-in, so its password is checked as sign-in does, failures
                // counted and the address closed after too many, whichever route guesses come by.
                let signedIn: Client
                do {
                    signedIn = try await accounts.login(email: signup.email, password: signup.password, on: database)
                } catch let error as AppError where error.code == AppError.invalidCredentials.code {
                    throw AppError.sessionAlreadyMigrated
                }
                guard signedIn.id == clientID else { throw AppError.sessionAlreadyMigrated }
                return Completed(outcome: outcome, alreadyMigrated: true, client: signedIn)
            default:
                throw AppError.sessionAlreadyMigrated
            }
        }
    }

    /// The migration's transaction, or the reason the session could not be claimed.
    private func write(
        hash: String, target: Target, passwordHash: String?, actor: SessionMigrationActor,
        on database: any Database
    ) async throws -> Attempt {
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            if case .existingClient(let client) = target, writer.writesExistingClientInOneStatement {
                // One statement, which is its own transaction: the fastest path, and the common one.
                return try await backend.write(on: database) { database in
                    try self.attempt(
                        try await writer.write(
                            hash: hash, client: client, actor: actor, now: clock.now(), service: self,
                            on: database), client: client)
                }
            }
            return try await backend.transaction(on: database) { transaction in
                try await run(hash: hash, target: target, passwordHash: passwordHash, actor: actor, started: started, on: transaction)
            }
        } catch is LostClaim {
            return try self.attempt(.refused(try await sessionRefusal(hash: hash, on: database)), client: nil)
        } catch let error as AppError {
            throw error
        } catch {
            throw translate(error)
        }
    }

    private func run(
        hash: String, target: Target, passwordHash: String?, actor: SessionMigrationActor,
        started: UInt64, on database: any Database
    ) async throws -> Attempt {
        let sql = database.sql
        try await writer.begin(on: sql, timeoutMilliseconds: settings.migrationTimeoutMilliseconds)
        let now = clock.now()
        let client: Client
        switch target {
        case .existingClient(let existing):
            client = existing
        case .newClient(let signup):
            // The profile comes from the answers; the claim below still decides who migrates.
            guard let session = try await claimableSession(hash: hash, now: now, on: sql) else {
                return try attempt(.refused(try await sessionRefusal(hash: hash, on: database)), client: nil)
            }
            let answers = try await TemporaryResponse.answers(ofSession: session.id, on: database)
            client = try await createClient(signup, passwordHash: passwordHash!, session: session, answers: answers, now: now, on: database)
        }

        let written = try await writer.write(hash: hash, client: client, actor: actor, now: now, service: self, on: database)
        // Another transaction claimed the session first: a new account must not outlive this one.
        if case .refused = written, case .newClient = target { throw LostClaim() }
        let attempt = try attempt(written, client: client)
        if case .migrated = attempt { try await hooks.afterProductsWritten?() }

        let elapsed = (DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
        if elapsed > UInt64(settings.migrationTimeoutMilliseconds) { throw AppError.migrationTimeout }
        return attempt
    }

    /// A migration written, or the reason the session could not be claimed: an earlier migration is
    /// reported, not an error.
    private func attempt(_ written: SessionMigrationWrite, client: Client?) throws -> Attempt {
        switch written {
        case .migrated(let outcome):
            return .migrated(outcome, client!)
        case .refused(let refusal):
            switch refusal.status {
            case .migrated?: return .earlier(clientID: refusal.clientID, outcome: refusal.previous)
            case .abandoned?: throw AppError.sessionAbandoned
            case .inProgress?: throw AppError.sessionNotCompleted
            case .completed?: throw AppError.sessionExpired
            case nil: throw AppError.sessionNotFound
            }
        }
    }

    /// Thrown inside the transaction to roll it back when the session was claimed by someone else.
    private struct LostClaim: Error {}

    /// The session if it can be migrated now; read without a lock, the claim is what decides.
    private func claimableSession(hash: String, now: Date, on sql: any SQLDatabase) async throws -> ClaimedSession? {
        try await sql.select().columns("id", "ruleset_version", "completed_at").from(TemporarySession.schema)
            .where("session_token_hash", .equal, SQLBind(hash))
            .where("status", .equal, SQLBind(SessionStatus.completed.rawValue))
            .where("expires_at", .greaterThan, SQLBind(now))
            .first(decoding: ClaimedSession.self)
    }

    /// The state of a session that could not be claimed.
    func sessionRefusal(hash: String, on database: any Database) async throws -> SessionRefusal {
        let session = try await TemporarySession.query(on: database).filter(\.$tokenHash == hash).first()
        return SessionRefusal(status: session?.status, clientID: session?.$client.id, previous: session?.migrationResult?.outcome)
    }

    private func createClient(
        _ signup: ClientSignup, passwordHash: String, session: ClaimedSession, answers: [String: AnswerValue],
        now: Date, on database: any Database
    ) async throws -> Client {
        if try await accounts.findClient(email: signup.email, on: database) != nil { throw AppError.emailAlreadyRegistered }
        func label(_ questionID: String) -> String? {
            guard case .text(let option)? = answers[questionID],
                let question = catalog.question(id: questionID)
            else { return nil }
            return question.options.first { $0.id == option }?.label
        }
        let client = Client(
            email: signup.email, passwordHash: passwordHash, role: .client, type: "client",
            metadata: ClientMetadata(
                source: "simulator_migration", sessionID: session.id, migrationDate: now.iso8601Seconds,
                estimatedFields: []),
            now: now)
        client.name = signup.name
        client.companyName = signup.companyName
        client.phoneNumber = signup.phoneNumber
        client.siren = signup.siren
        client.address = signup.address
        client.city = signup.city
        client.postalCode = signup.postalCode
        // Only what the visitor said: bands stay bands; headcount and revenue figures stay empty.
        let bands =
            signup.profile
            ?? ClientProfileBands(
                sector: label("GENERAL_001"), headcountBand: label("GENERAL_003"), turnoverBand: label("GENERAL_002"))
        client.sector = bands.sector
        client.headcountBand = bands.headcountBand
        client.turnoverBand = bands.turnoverBand
        client.simulationDate = session.completed_at
        try await client.create(on: database)
        return client
    }

    private func translate(_ error: any Error) -> any Error {
        if let postgres = error as? PSQLError, let code = postgres.serverInfo?[.sqlState] {
            // 57014: statement_timeout or passerelle_migrate_session's own deadline; 55P03: its lock_timeout.
            if code == "57014" || code == "55P03" { return AppError.migrationTimeout }
            if postgres.serverInfo?[.hint] == AppError.noResults.code { return AppError.noResults }
        }
        if let database = error as? any DatabaseError, database.isConstraintFailure { return AppError.migrationConflict }
        return error
    }
}

/// What a migration writer did: the migration, or nothing because the session could not be claimed.
enum SessionMigrationWrite: Sendable {
    case migrated(SessionMigrationOutcome)
    case refused(SessionRefusal)
}

/// Why a session could not be claimed: its status (nil when there is no such session) and, once
/// migrated, to whom and with what outcome.
struct SessionRefusal: Sendable {
    let status: SessionStatus?
    let clientID: UUID?
    let previous: SessionMigrationOutcome?
}

extension AppError {
    static let migrationTimeout = AppError(
        status: .gatewayTimeout, code: "MIGRATION_TIMEOUT",
        message: "Le rattachement a pris trop de temps : rien n'a été enregistré, réessayez.")
    static let emailAlreadyRegistered = AppError(
        status: .conflict, code: "EMAIL_ALREADY_REGISTERED",
        message: "Un compte existe déjà avec cet e-mail : connectez-vous, puis rattachez cette simulation à votre compte.")
    static let noResults = AppError(status: .conflict, code: "NO_RESULTS", message: "Cette simulation n'a aucun résultat à rattacher.")
    static let migrationConflict = AppError(
        status: .conflict, code: "MIGRATION_CONFLICT",
        message: "Une autre opération a modifié ces données : réessayez.")
    static let clientNotFound = AppError(status: .notFound, code: "CLIENT_NOT_FOUND", message: "Client non trouvé avec cet e-mail.")
}

/// The columns the claim returns.
struct ClaimedSession: Decodable, Sendable {
    let id: UUID
    let ruleset_version: String?
    let completed_at: Date?
}

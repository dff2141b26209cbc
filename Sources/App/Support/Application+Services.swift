import Eligibility
import NIOConcurrencyHelpers
import Vapor

extension Application {
    private struct SettingsKey: StorageKey { typealias Value = AppSettings }
    private struct CatalogKey: StorageKey { typealias Value = Catalog }
    private struct ClockKey: StorageKey { typealias Value = any AppClock }
    private struct HooksKey: StorageKey { typealias Value = SessionMigrationHooks }
    private struct BackendKey: StorageKey { typealias Value = any DatabaseBackend }
    private struct MigrationWriterKey: StorageKey { typealias Value = any SessionMigrationWriter }
    private struct SchemaReportKey: StorageKey { typealias Value = SchemaStep.Report }
    private struct ProductIDsKey: StorageKey { typealias Value = NIOLockedValueBox<[String: UUID]?> }
    private struct AddressLimitersKey: StorageKey { typealias Value = [AddressBudget: RateLimiter] }

    /// Product ids by code, read once per process by the migration.
    var productIDCache: NIOLockedValueBox<[String: UUID]?> {
        if let cache = storage[ProductIDsKey.self] { return cache }
        let cache = NIOLockedValueBox<[String: UUID]?>(nil)
        storage[ProductIDsKey.self] = cache
        return cache
    }

    /// Set by `configure` from the settings: one limiter per budget that has a limit.
    var addressLimiters: [AddressBudget: RateLimiter] {
        get { storage[AddressLimitersKey.self] ?? [:] }
        set { storage[AddressLimitersKey.self] = newValue }
    }

    /// Set by `configure`: what differs between SQLite and PostgreSQL.
    var backend: any DatabaseBackend {
        get {
            guard let backend = storage[BackendKey.self] else { fatalError("configure(_:) chooses the database before use") }
            return backend
        }
        set { storage[BackendKey.self] = newValue }
    }

    /// Set by `configure` with the backend: how a session migration is written on this database.
    var sessionMigrationWriter: any SessionMigrationWriter {
        get {
            guard let writer = storage[MigrationWriterKey.self] else { fatalError("configure(_:) chooses the database before use") }
            return writer
        }
        set { storage[MigrationWriterKey.self] = newValue }
    }

    /// What this start's schema step applied.
    var schemaReport: SchemaStep.Report {
        get { storage[SchemaReportKey.self] ?? SchemaStep.Report(applied: []) }
        set { storage[SchemaReportKey.self] = newValue }
    }

    public var settings: AppSettings {
        get { storage[SettingsKey.self] ?? AppSettings() }
        set { storage[SettingsKey.self] = newValue }
    }

    public var catalog: Catalog {
        get {
            guard let catalog = storage[CatalogKey.self] else { fatalError("configure(_:) loads the catalog before use") }
            return catalog
        }
        set { storage[CatalogKey.self] = newValue }
    }

    /// When this process loaded `catalog` (the console's catalogue page says so).
    var catalogLoadedAt: Date? {
        get { storage[CatalogLoadedAtKey.self] }
        set { storage[CatalogLoadedAtKey.self] = newValue }
    }

    public var clock: any AppClock {
        get { storage[ClockKey.self] ?? SystemClock() }
        set { storage[ClockKey.self] = newValue }
    }

    var migrationHooks: SessionMigrationHooks {
        if let hooks = storage[HooksKey.self] { return hooks }
        let hooks = SessionMigrationHooks()
        storage[HooksKey.self] = hooks
        return hooks
    }

    var accounts: AccountService {
        AccountService(
            clock: clock, tokenLifetime: settings.accessTokenLifetime,
            hasher: PasswordHasher(
                cost: settings.bcryptCost, threadPool: threadPool,
                onPoolThread: migrationHooks.onPasswordThread),
            backend: backend)
    }

    var sessionMigration: SessionMigrationService {
        SessionMigrationService(
            catalog: catalog, clock: clock, settings: settings, accounts: accounts, hooks: migrationHooks, backend: backend,
            writer: sessionMigrationWriter,
            productIDCache: productIDCache)
    }

    var simulator: SimulatorService {
        SimulatorService(
            catalog: catalog, clock: clock, sessionLifetime: settings.sessionLifetime, backend: backend,
            completionDocuments: SessionMigrationDocumentStore(catalog: catalog, backend: backend))
    }
}

extension Request {
    var simulator: SimulatorService { application.simulator }
    var accounts: AccountService { application.accounts }
    var sessionMigration: SessionMigrationService { application.sessionMigration }
}

private struct CatalogLoadedAtKey: StorageKey {
    typealias Value = Date
}

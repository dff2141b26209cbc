import Eligibility
import NIOConcurrencyHelpers
import Vapor

extension Application {
    private struct SettingsKey: StorageKey { typealias Value = AppSettings }
    private struct CatalogKey: StorageKey { typealias Value = Catalog }
    private struct ClockKey: StorageKey { typealias Value = any AppClock }
    private struct HooksKey: StorageKey { typealias Value = MigrationHooks }
    private struct WriterKey: StorageKey { typealias Value = DatabaseWriter }
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

    /// Set by `configure`: serialises writes on SQLite.
    var writer: DatabaseWriter {
        get { storage[WriterKey.self] ?? DatabaseWriter(gate: nil) }
        set { storage[WriterKey.self] = newValue }
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

    public var clock: any AppClock {
        get { storage[ClockKey.self] ?? SystemClock() }
        set { storage[ClockKey.self] = newValue }
    }

    var migrationHooks: MigrationHooks {
        if let hooks = storage[HooksKey.self] { return hooks }
        let hooks = MigrationHooks()
        storage[HooksKey.self] = hooks
        return hooks
    }

    var accounts: AccountService {
        AccountService(clock: clock, tokenLifetime: settings.accessTokenLifetime,
                       hasher: PasswordHasher(cost: settings.bcryptCost, threadPool: threadPool,
                                              onPoolThread: migrationHooks.onPasswordThread),
                       writer: writer)
    }

    var sessionMigration: MigrationService {
        MigrationService(catalog: catalog, clock: clock, settings: settings, accounts: accounts, hooks: migrationHooks, writer: writer,
                         productIDCache: productIDCache)
    }

    var simulator: SimulatorService {
        SimulatorService(catalog: catalog, clock: clock, sessionLifetime: settings.sessionLifetime, writer: writer)
    }
}

extension Request {
    var simulator: SimulatorService { application.simulator }
    var accounts: AccountService { application.accounts }
    var sessionMigration: MigrationService { application.sessionMigration }
}

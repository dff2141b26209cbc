import Eligibility
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor

/// Configures the application: settings, catalog, database and its schema, middleware and routes.
/// Tests call it with their own settings and clock.
public func configure(_ app: Application, settings: AppSettings, clock: any AppClock = SystemClock()) async throws {
    app.settings = settings
    app.clock = clock
    _ = app.migrationHooks
    _ = app.productIDCache
    for budget in AddressBudget.allCases {
        app.addressLimiters[budget] = budget.perMinute(settings).map { RateLimiter(perMinute: $0) }
    }
    app.http.server.configuration.hostname = settings.host
    app.http.server.configuration.port = settings.port
    // The quiescing of `drain()` and the server's own shutdown both wait this long at most.
    app.http.server.configuration.shutdownTimeout = .milliseconds(Int64(settings.shutdownGracePeriod * 1000))
    app.http.server.configuration.idleTimeout = settings.idleConnectionTimeout.map { .milliseconds(Int64($0 * 1000)) }
    app.routes.defaultMaxBodySize = "64kb"

    let catalog: Catalog
    do {
        let today = CalendarDay(clock.now())
        if let path = settings.catalogPath {
            catalog = try Catalog.load(from: URL(fileURLWithPath: path), requiringParametersOn: today)
        } else {
            catalog = try Catalog.bundled(requiringParametersOn: today)
        }
    } catch {
        throw StartupError(message: "Catalogue refusé : \(error.description)")
    }
    app.catalog = catalog

    let poolTimeout = TimeAmount.milliseconds(Int64(settings.databasePoolTimeoutMilliseconds))
    switch settings.database {
    case .sqlite(let path):
        app.databases.use(.sqlite(.file(path), connectionPoolTimeout: poolTimeout), as: .sqlite)
        app.writer = DatabaseWriter(gate: WriteGate(), busyTimeout: settings.databasePoolTimeoutMilliseconds)
        // Write-ahead log: readers no longer wait for the writer, and a commit costs one sequential write.
        _ = try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode=WAL").all()
    case .postgres(let url, let searchPath):
        var configuration: SQLPostgresConfiguration
        do {
            configuration = try SQLPostgresConfiguration(url: url)
        } catch {
            throw StartupError(message: "Configuration invalide : DATABASE_URL n'est pas une URL PostgreSQL utilisable.")
        }
        configuration.searchPath = searchPath
        app.databases.use(.guardedPostgres(.postgres(configuration: configuration,
                                                     maxConnectionsPerEventLoop: settings.databaseConnectionsPerLoop(loops: System.coreCount),
                                                     connectionPoolTimeout: poolTimeout)), as: .psql)
        if let schema = searchPath?.first {
            // A dedicated schema (tests, several instances on one server) is created on first use.
            try await (app.db as! any SQLDatabase).raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
        }
    }
    Migrations.register(on: app)
    try await app.autoMigrate()
    try await app.writer.write(on: app.db) { database in try await CatalogSync.run(catalog, on: database, now: clock.now()) }

    _ = installJSONCoders
    app.middleware = Middlewares()
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(DrainMiddleware(requests: app.requestsInFlight))
    app.middleware.use(ApiErrorMiddleware())

    try app.register(collection: HealthController())
    try app.register(collection: OpenAPIController())
    try app.register(collection: SimulatorController())
    try app.register(collection: AuthController())
    try app.register(collection: ClientController())
    try app.register(collection: MigrationController())
    app.asyncCommands.use(MigrateSessionCommand(), as: "migrate-session")
    app.asyncCommands.use(MigrateBatchCommand(), as: "migrate-batch")
    app.asyncCommands.use(StatsCommand(), as: "stats")
    app.asyncCommands.use(CreateOperatorCommand(), as: "create-operator")
    app.asyncCommands.use(PurgeSessionsCommand(), as: "purge-sessions")
    app.asyncCommands.use(CatalogCommands(), as: "catalog")
    if let interval = settings.sessionPurgeInterval { app.lifecycle.use(SessionPurgeSchedule(interval: interval)) }
}

/// A start-up failure with a message for the operator.
public struct StartupError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// ISO 8601 dates in and out of the API; set once per process.
private let installJSONCoders: Void = {
    ContentConfiguration.global.use(encoder: JSONEncoder.api, for: .json)
    ContentConfiguration.global.use(decoder: JSONDecoder.api, for: .json)
}()

extension JSONEncoder {
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension JSONDecoder {
    static var api: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

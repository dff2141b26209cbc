import Eligibility
import Fluent
import Vapor

/// Configures the application: settings, catalog, database and its schema, middleware, then the
/// routes and commands (`routes.swift`).
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
    app.catalogLoadedAt = clock.now()
    PasserelleMetrics.bootstrap(version: BuildInfo.version, ruleset: catalog.ruleset.identifier)

    let backend: any DatabaseBackend
    switch settings.database {
    case .sqlite(let path):
        backend = SQLiteBackend(path: path, poolTimeoutMilliseconds: settings.databasePoolTimeoutMilliseconds)
        app.sessionMigrationWriter = InProcessMigrationWriter()
    case .postgres(let url, let searchPath):
        backend = try PostgresBackend(
            url: url, searchPath: searchPath,
            connectionsPerLoop: settings.databaseConnectionsPerLoop(loops: System.coreCount),
            poolTimeoutMilliseconds: settings.databasePoolTimeoutMilliseconds)
        app.sessionMigrationWriter = PostgresMigrationWriter()
    }
    app.backend = backend
    backend.register(on: app)
    SchemaStep.register(on: app, backend: backend, catalog: catalog)
    // `passerelle migrate` applies pending changes whatever AUTO_MIGRATE says, and reports them.
    let isMigrateCommand = app.environment.arguments.dropFirst().first == "migrate"
    app.schemaReport = try await SchemaStep.run(
        app: app, backend: backend, catalog: catalog,
        applyPending: settings.autoMigrate || isMigrateCommand, now: clock.now())
    try await backend.write(on: app.db) { database in try await SessionMigrationTexts.sync(on: database.sql) }

    _ = installJSONCoders
    app.middleware = Middlewares()
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(DrainMiddleware(requests: app.requestsInFlight))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(ApiErrorMiddleware())

    try routes(app)
    commands(app)
    app.lifecycle.use(app.operatorBatches)
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

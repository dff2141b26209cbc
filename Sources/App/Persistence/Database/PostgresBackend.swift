import Crypto
import Fluent
import FluentPostgresDriver
import Foundation
import PostgresNIO
import SQLKit
import Vapor

/// PostgreSQL, in production: transactions run concurrently; row locks and conditional updates keep
/// them correct, and the session migration is one SQL function (`Resources/sql`).
struct PostgresBackend: DatabaseBackend {
    let configuration: SQLPostgresConfiguration
    let connectionsPerLoop: Int
    let poolTimeout: TimeAmount

    init(url: String, searchPath: [String]?, connectionsPerLoop: Int, poolTimeoutMilliseconds: Int) throws {
        var configuration: SQLPostgresConfiguration
        do {
            configuration = try SQLPostgresConfiguration(url: url)
        } catch {
            throw StartupError(message: "Configuration invalide : DATABASE_URL n'est pas une URL PostgreSQL utilisable.")
        }
        configuration.searchPath = searchPath
        self.configuration = configuration
        self.connectionsPerLoop = connectionsPerLoop
        poolTimeout = .milliseconds(Int64(poolTimeoutMilliseconds))
    }

    /// The schema the tables live in: the first of the search path, `public` by default.
    var schema: String? { configuration.searchPath?.first }

    func register(on app: Application) {
        app.databases.use(
            .guardedPostgres(
                .postgres(
                    configuration: configuration, maxConnectionsPerEventLoop: connectionsPerLoop,
                    connectionPoolTimeout: poolTimeout)), as: .psql)
    }

    /// A session advisory lock, one per schema, taken on a connection of its own outside the pool (the
    /// schema step needs the pool's): released when the step ends, or by PostgreSQL if the process dies.
    func withSchemaLock<T: Sendable>(app: Application, _ body: () async throws -> T) async throws -> T {
        let connection = try await PostgresConnection.connect(
            on: app.eventLoopGroup.any(), configuration: configuration.coreConfiguration,
            id: 0, logger: app.logger
        ).get()
        let key = "passerelle.schema:" + (schema ?? "public")
        do {
            _ = try await connection.query("SELECT pg_advisory_lock(hashtext(\(key)))", logger: app.logger)
            let result = try await body()
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// A dedicated schema (tests, several instances on one server) is created on first use.
    func prepare(on sql: any SQLDatabase) async throws {
        if let schema { try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run() }
    }

    func transaction<T: Sendable>(
        on database: any Database,
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        let asked = DispatchTime.now().uptimeNanoseconds
        return try await database.transaction { transaction in
            PasserelleMetrics.databaseWaited(since: asked)
            return try await body(transaction)
        }
    }

    func write<T: Sendable>(
        on database: any Database,
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        try await body(database)
    }

    /// `jsonb[]`.
    func bind(_ documents: [JSONDocument]) -> any Encodable & Sendable { documents }

    /// Fluent stores dates as `timestamptz` on PostgreSQL.
    func day(of column: String) -> SQLQueryString {
        "to_char(\(ident: column) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
    }

    var skipLockedRows: SQLQueryString { "FOR UPDATE SKIP LOCKED" }

    /// Skipped when the server was built without `method`.
    func setCompression(_ method: String, of columns: [(table: String, column: String)], on sql: any SQLDatabase) async throws {
        let available =
            try await sql.raw(
                """
                SELECT count(*) AS n FROM pg_settings
                WHERE name = 'default_toast_compression' AND \(bind: method) = ANY(enumvals)
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        guard available > 0 else { return }
        for (table, column) in columns {
            try await sql.raw("ALTER TABLE \(ident: table) ALTER COLUMN \(ident: column) SET COMPRESSION \(unsafeRaw: method)").run()
        }
    }

    func setRowTarget(_ bytes: Int?, of tables: [String], on sql: any SQLDatabase) async throws {
        let change = bytes.map { "SET (toast_tuple_target = \($0))" } ?? "RESET (toast_tuple_target)"
        for table in tables {
            try await sql.raw("ALTER TABLE \(ident: table) \(unsafeRaw: change)").run()
        }
    }

    /// Each function's installed text is known by its digest, kept as the function's comment: a text
    /// changed in `Resources/sql` is installed at the next start, with no schema migration for it.
    func installFunctions(on sql: any SQLDatabase) async throws {
        let installed = try await sql.raw(
            """
            SELECT p.proname AS name, d.description AS digest FROM pg_proc p
              JOIN pg_namespace n ON n.oid = p.pronamespace
              LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass
             WHERE n.nspname = current_schema() AND p.proname IN (\(binds: SQLFunctions.names))
            """
        ).all(decoding: InstalledFunction.self)
        let digests = Dictionary(installed.map { ($0.name, $0.digest) }, uniquingKeysWith: { first, _ in first })
        for name in SQLFunctions.names {
            let text = try SQLFunctions.definition(name)
            let digest = "passerelle sha256:" + SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
            guard digests[name] != .some(digest) else { continue }
            try await sql.raw(SQLQueryString(text)).run()
            try await sql.raw("COMMENT ON FUNCTION \(ident: name) IS \(literal: digest)").run()
        }
    }

    func dropFunctions(on sql: any SQLDatabase) async throws {
        try await sql.raw("DROP FUNCTION IF EXISTS migrate_simulator_to_existing_client(text, text)").run()
        try await sql.raw("DROP FUNCTION IF EXISTS passerelle_migrate_session(text, uuid, text, uuid, timestamptz, integer)").run()
    }

    func analyze(_ tables: [String], on sql: any SQLDatabase) async throws {
        for table in tables {
            try await sql.raw("ANALYZE \(ident: table)").run()
        }
    }

    private struct InstalledFunction: Decodable {
        let name: String
        let digest: String?
    }
}

/// The SQL functions' definitions, read from the package's `sql` resources, in dependency order:
/// the migration's shared writes, then the user's documented function that calls them.
enum SQLFunctions {
    static let names = ["passerelle_migrate_session", "migrate_simulator_to_existing_client"]

    static func definition(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "sql", subdirectory: "sql") else {
            throw StartupError(message: "\(name).sql absent du paquet")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}

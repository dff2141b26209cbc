import Fluent
import SQLKit
import Vapor

/// What differs between SQLite and PostgreSQL, decided once where the database is configured
/// (`configure`): `SQLiteBackend` and `PostgresBackend`. Code elsewhere asks the backend; it never
/// tests which database it runs on.
protocol DatabaseBackend: Sendable {
    /// Registers the database with the application's Fluent databases.
    func register(on app: Application)

    /// Runs `body`, the schema step, while no other process runs its own on the same database.
    func withSchemaLock<T: Sendable>(app: Application, _ body: () async throws -> T) async throws -> T

    /// Readies the database before its schema is read (SQLite's journal, PostgreSQL's schema).
    func prepare(on sql: any SQLDatabase) async throws

    /// A write transaction.
    func transaction<T: Sendable>(
        on database: any Database,
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T

    /// A single write outside a transaction (an insert), under the same rules as a transaction.
    func write<T: Sendable>(
        on database: any Database,
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T

    /// A list of JSON documents as its column stores it.
    func bind(_ documents: [JSONDocument]) -> any Encodable & Sendable

    /// The UTC day of a timestamp column, `2026-03-02`.
    func day(of column: String) -> SQLQueryString

    /// The end of a batch's `SELECT`: skip the rows another transaction holds, where the database can.
    var skipLockedRows: SQLQueryString { get }

    /// Compresses `columns` with `method` from now on, where the database compresses large values.
    func setCompression(_ method: String, of columns: [(table: String, column: String)], on sql: any SQLDatabase) async throws

    /// Keeps rows of `tables` whole in their page up to `bytes` (nil: the database's default).
    func setRowTarget(_ bytes: Int?, of tables: [String], on sql: any SQLDatabase) async throws

    /// Installs the SQL functions whose text differs from the one installed.
    func installFunctions(on sql: any SQLDatabase) async throws

    /// Removes the SQL functions.
    func dropFunctions(on sql: any SQLDatabase) async throws

    /// Refreshes the planner's statistics of `tables`, where the database keeps them.
    func analyze(_ tables: [String], on sql: any SQLDatabase) async throws
}

extension Database {
    /// Every database Passerelle configures speaks SQL: the one place that says so.
    var sql: any SQLDatabase { self as! any SQLDatabase }
}

import Fluent
import FluentSQLiteDriver
import Foundation
import NIOCore
import SQLKit
import Vapor

/// SQLite, the embedded default: one file, one writer at a time.
///
/// Writes run one at a time in process: SQLite has one writer anyway, and connections waiting on each
/// other's locks would otherwise hold the few threads that run blocking database calls. Another
/// process may write to the same file (a command beside the server): a write transaction takes the
/// write lock when it begins (`BEGIN IMMEDIATE`), so it never fails halfway for want of it, and waits
/// for it at most `busyTimeout` milliseconds before SQLite answers busy (503 `DATABASE_BUSY`).
struct SQLiteBackend: DatabaseBackend {
    let path: String
    let poolTimeout: TimeAmount
    /// How long a write waits for another process's write lock, in milliseconds.
    let busyTimeout: Int
    private let gate = WriteGate()

    init(path: String, poolTimeoutMilliseconds: Int) {
        self.path = path
        poolTimeout = .milliseconds(Int64(poolTimeoutMilliseconds))
        busyTimeout = poolTimeoutMilliseconds
    }

    func register(on app: Application) {
        app.databases.use(.sqlite(.file(path), connectionPoolTimeout: poolTimeout), as: .sqlite)
    }

    /// An exclusive `flock` on the database file: independent of SQLite's own (`fcntl`) locks, so the
    /// schema step's writes are not blocked by it, and released by the system if the process dies.
    func withSchemaLock<T: Sendable>(app: Application, _ body: () async throws -> T) async throws -> T {
        let descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw StartupError(message: "Base SQLite inaccessible : impossible d'ouvrir \(path) (\(String(cString: strerror(errno)))).")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            try await Task.sleep(for: .milliseconds(50))
        }
        defer { flock(descriptor, LOCK_UN) }
        return try await body()
    }

    /// Write-ahead log: readers no longer wait for the writer, and a commit costs one sequential write.
    func prepare(on sql: any SQLDatabase) async throws {
        _ = try await sql.raw("PRAGMA journal_mode=WAL").all()
    }

    func transaction<T: Sendable>(
        on database: any Database,
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        let asked = DispatchTime.now().uptimeNanoseconds
        return try await onWriteConnection(database) { connection in
            try await connection.sql.raw("BEGIN IMMEDIATE").run()
            PasserelleMetrics.databaseWaited(since: asked)
            do {
                let result = try await body(connection)
                try await connection.sql.raw("COMMIT").run()
                return result
            } catch {
                try? await connection.sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    func write<T: Sendable>(
        on database: any Database,
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        try await onWriteConnection(database, body)
    }

    /// `work` on one connection, in turn with the other writes; the busy timeout is set on each use
    /// (the pool gives no hook when it opens a connection).
    private func onWriteConnection<T: Sendable>(
        _ database: any Database,
        _ work: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        await gate.acquire()
        do {
            let result = try await database.withConnection { connection in
                try await connection.sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(busyTimeout))").run()
                return try await work(connection)
            }
            await gate.release()
            return result
        } catch {
            await gate.release()
            throw error
        }
    }

    /// One JSON array in a text column.
    func bind(_ documents: [JSONDocument]) -> any Encodable & Sendable {
        JSONDocument.array(documents)
    }

    /// Fluent stores dates as seconds since 1970 on SQLite.
    func day(of column: String) -> SQLQueryString {
        "strftime('%Y-%m-%d', \(ident: column), 'unixepoch')"
    }

    /// One writer at a time: no row is held by another transaction.
    var skipLockedRows: SQLQueryString { "" }

    /// SQLite does not compress values.
    func setCompression(_ method: String, of columns: [(table: String, column: String)], on sql: any SQLDatabase) async throws {}

    /// SQLite has no such storage parameter.
    func setRowTarget(_ bytes: Int?, of tables: [String], on sql: any SQLDatabase) async throws {}

    /// The migration runs in Swift on SQLite (`InProcessMigrationWriter`): no SQL function.
    func installFunctions(on sql: any SQLDatabase) async throws {}

    func dropFunctions(on sql: any SQLDatabase) async throws {}

    /// SQLite's planner is left with its defaults, as it always was here.
    func analyze(_ tables: [String], on sql: any SQLDatabase) async throws {}
}

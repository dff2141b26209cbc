import Fluent
import SQLKit

/// Runs write transactions. On SQLite one at a time, in process: SQLite has one writer at a time
/// anyway, and its connections waiting on each other's locks would otherwise hold the few threads
/// that run blocking database calls. On PostgreSQL transactions run concurrently; row locks and the
/// conditional updates keep them correct.
///
/// Another process may write to the same SQLite file (a command beside the server): a write
/// transaction then takes the write lock when it begins (`BEGIN IMMEDIATE`), so it never fails halfway
/// for want of it, and waits for it at most `busyTimeout` milliseconds before SQLite answers busy,
/// which the API answers 503 `DATABASE_BUSY`. (SQLiteNIO's own busy handler retries for ever.)
struct DatabaseWriter: Sendable {
    let gate: WriteGate?
    /// SQLite only: how long a write waits for another process's write lock.
    var busyTimeout = 30_000

    func transaction<T: Sendable>(on database: any Database, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard gate != nil else { return try await database.transaction(body) }
        return try await onSQLiteConnection(database) { connection in
            let sql = connection as! any SQLDatabase
            try await sql.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(connection)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// A single write outside a transaction (an insert), under the same rule.
    func write<T: Sendable>(on database: any Database, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard gate != nil else { return try await body(database) }
        return try await onSQLiteConnection(database, body)
    }

    /// SQLite: `work` on one connection, in turn with the other writes, waiting at most `busyTimeout`
    /// for another process's write lock (set on each use: the pool gives no hook when it opens one).
    private func onSQLiteConnection<T: Sendable>(_ database: any Database,
                                                 _ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await serialized {
            try await database.withConnection { connection in
                try await (connection as! any SQLDatabase).raw("PRAGMA busy_timeout = \(unsafeRaw: String(busyTimeout))").run()
                return try await work(connection)
            }
        }
    }

    private func serialized<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        guard let gate else { return try await work() }
        await gate.acquire()
        do {
            let result = try await work()
            await gate.release()
            return result
        } catch {
            await gate.release()
            throw error
        }
    }
}

/// A first-come, first-served async lock.
actor WriteGate {
    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !held {
            held = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            held = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}

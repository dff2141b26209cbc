import FluentKit
import FluentPostgresDriver
import NIOCore
import SQLKit

/// Fluent's PostgreSQL databases, with one guard: a statement sent on a connection PostgreSQL has
/// closed fails at once instead of waiting for ever.
///
/// PostgresNIO (1.33) writes each query to its channel with no write promise: on a connection already
/// closed, the write is dropped and the query never completes. A connection closes mid-transaction
/// when PostgreSQL restarts; the transaction's next statement, or Fluent's ROLLBACK, then held its
/// pool slot for good, and with one connection per event loop the server answered nothing until it
/// was restarted. On a connection a transaction holds, each statement is therefore sent from the
/// connection's event loop after checking, in the same turn of the loop, that it is still open.
struct GuardedPostgresConfiguration: DatabaseConfiguration {
    var base: any DatabaseConfiguration

    var middleware: [any AnyModelMiddleware] {
        get { base.middleware }
        set { base.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        GuardedPostgresDriver(base: base.makeDriver(for: databases))
    }
}

extension DatabaseConfigurationFactory {
    /// `factory`'s databases behind the closed-connection guard.
    static func guardedPostgres(_ factory: DatabaseConfigurationFactory) -> DatabaseConfigurationFactory {
        DatabaseConfigurationFactory { GuardedPostgresConfiguration(base: factory.make()) }
    }
}

struct GuardedPostgresDriver: DatabaseDriver {
    let base: any DatabaseDriver

    func makeDatabase(with context: DatabaseContext) -> any Database {
        GuardedPostgresDatabase(base: base.makeDatabase(with: context), bound: false, inTransaction: false)
    }

    func shutdown() { base.shutdown() }
    func shutdownAsync() async { await base.shutdownAsync() }
}

/// The connection was closed by PostgreSQL (restart, failover) before the statement could be sent.
struct DatabaseConnectionLost: Error {}

struct GuardedPostgresDatabase: Database, SQLDatabase {
    let base: any Database
    /// Holds one connection (inside `withConnection` or `transaction`): its statements are guarded.
    let bound: Bool
    let inTransaction: Bool

    private var sql: any SQLDatabase { base as! any SQLDatabase }

    var context: DatabaseContext { base.context }
    var logger: Logger { sql.logger }
    var eventLoop: any EventLoop { sql.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { sql.version }
    var dialect: any SQLDialect { sql.dialect }
    var queryLogLevel: Logger.Level? { sql.queryLogLevel }

    /// Runs `send` on the held connection's event loop once it is known to be open there.
    private func guarded<T>(_ send: @escaping () -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        guard bound, let postgres = base as? any PostgresDatabase else { return send() }
        return postgres.withConnection { connection in
            connection.eventLoop.flatSubmit {
                connection.isClosed ? connection.eventLoop.makeFailedFuture(DatabaseConnectionLost()) : send()
            }
        }
    }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        guarded { base.execute(query: query, onOutput: onOutput) }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
        guarded { base.execute(schema: schema) }
    }

    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> {
        guarded { base.execute(enum: `enum`) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        guarded { sql.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await execute(sql: query, onRow).get()
    }

    /// Unused by the application; a session outside a transaction is not guarded.
    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        bound ? try await closure(self) : try await sql.withSession(closure)
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        guard !bound else { return closure(self) }
        return base.withConnection { connection in
            closure(GuardedPostgresDatabase(base: connection, bound: true, inTransaction: false))
        }
    }

    /// Fluent's own transaction, but its BEGIN, COMMIT and ROLLBACK go through the guard too: a
    /// ROLLBACK on a closed connection was where the transaction used to wait.
    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        guard !inTransaction else { return closure(self) }
        return base.withConnection { held in
            let connection = GuardedPostgresDatabase(base: held, bound: true, inTransaction: true)
            return connection.raw("BEGIN").run().flatMap {
                closure(connection).flatMap { result in
                    connection.raw("COMMIT").run().map { result }
                }.flatMapError { error in
                    connection.raw("ROLLBACK").run().flatMapThrowing { throw error }
                        .flatMapErrorThrowing { _ in throw error }
                }
            }
        }
    }
}

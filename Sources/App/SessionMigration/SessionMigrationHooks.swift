import NIOConcurrencyHelpers

/// Test seams inside the migration transaction (failure injection, slowness) and around password
/// hashing. Empty in production.
final class SessionMigrationHooks: Sendable {
    private let afterProducts = NIOLockedValueBox<(@Sendable () async throws -> Void)?>(nil)
    private let beforeHash = NIOLockedValueBox<(@Sendable () -> Void)?>(nil)
    private let passwordThread = NIOLockedValueBox<(@Sendable () -> Void)?>(nil)

    init() {}

    /// Runs after the migration's writes, before its transaction commits: on SQLite, and for sign-ups
    /// on PostgreSQL. An existing client's migration on PostgreSQL is a single statement with nothing
    /// to run in between; tests inject failures into it with a trigger.
    var afterProductsWritten: (@Sendable () async throws -> Void)? {
        get { afterProducts.withLockedValue { $0 } }
        set { afterProducts.withLockedValue { $0 = newValue } }
    }

    /// Runs when a sign-up is about to hash its password: tests count the hashes.
    var beforePasswordHash: (@Sendable () -> Void)? {
        get { beforeHash.withLockedValue { $0 } }
        set { beforeHash.withLockedValue { $0 = newValue } }
    }

    /// Runs on the thread that is about to hash or check a password (`PasswordHasher`), before it does.
    var onPasswordThread: (@Sendable () -> Void)? {
        get { passwordThread.withLockedValue { $0 } }
        set { passwordThread.withLockedValue { $0 = newValue } }
    }
}

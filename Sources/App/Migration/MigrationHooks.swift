import NIOConcurrencyHelpers

/// Test seams inside the migration transaction (failure injection, slowness). Empty in production.
final class MigrationHooks: Sendable {
    private let afterProducts = NIOLockedValueBox<(@Sendable () async throws -> Void)?>(nil)

    init() {}

    /// Runs after the client's products and the simulation are written, before the session is marked.
    var afterProductsWritten: (@Sendable () async throws -> Void)? {
        get { afterProducts.withLockedValue { $0 } }
        set { afterProducts.withLockedValue { $0 = newValue } }
    }
}

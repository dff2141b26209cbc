import NIOPosix
import Vapor

/// Bcrypt, off the threads that serve requests. A hash or a check at the production cost takes about
/// a quarter of a second of one core. Run where it was called, a few sign-ins at once held every
/// thread of Swift's cooperative pool (one per core), and every other request waited for them. On the
/// application's thread pool, at most one bcrypt per pool thread runs at once and the others queue
/// there, while requests go on being served (measured in `docs/benchmarks.md`).
struct PasswordHasher: Sendable {
    let cost: Int
    let threadPool: NIOThreadPool
    /// Test seam: runs on the pool's thread, before the work.
    let onPoolThread: (@Sendable () -> Void)?

    func hash(_ password: String) async throws -> String {
        try await run { [cost] in try Bcrypt.hash(password, cost: cost) }
    }

    /// False for a wrong password, and for a hash bcrypt cannot read.
    func verify(_ password: String, created hash: String) async -> Bool {
        (try? await run { try Bcrypt.verify(password, created: hash) }) == true
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await threadPool.runIfActive { [onPoolThread] in
            onPoolThread?()
            return try work()
        }
    }
}

import Fluent

/// Runs write transactions. On SQLite one at a time, in process: SQLite has one writer at a time
/// anyway, and its connections waiting on each other's locks would otherwise hold the few threads
/// that run blocking database calls. On PostgreSQL transactions run concurrently; row locks and the
/// conditional updates keep them correct.
struct DatabaseWriter: Sendable {
    let gate: WriteGate?

    func transaction<T: Sendable>(on database: any Database, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await serialized { try await database.transaction(body) }
    }

    /// A single write outside a transaction (an insert), under the same rule.
    func write<T: Sendable>(on database: any Database, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await serialized { try await body(database) }
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

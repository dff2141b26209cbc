import NIOConcurrencyHelpers
import Vapor

/// The requests being served, and whether the server has begun to stop. On SIGTERM the server stops
/// accepting, lets the requests in flight finish within the grace period, and only then closes the
/// databases: a request is served whole or refused before it starts, never cut off by the shutdown.
final class RequestsInFlight: Sendable {
    private struct State {
        var count = 0
        var draining = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = NIOLockedValueBox(State())

    /// Counts the request in, or refuses it (false) once draining has begun.
    func enter() -> Bool {
        state.withLockedValue { state in
            guard !state.draining else { return false }
            state.count += 1
            return true
        }
    }

    func leave() {
        let last = state.withLockedValue { state -> Bool in
            state.count -= 1
            return state.count == 0
        }
        if last { wakeWaiters() }
    }

    var count: Int { state.withLockedValue(\.count) }

    /// Refuses every request from now on, then waits until those counted in have left, at most `timeout`.
    /// Returns how many were still running when it gave up.
    func drain(timeout: TimeInterval) async -> Int {
        let done: Bool = state.withLockedValue { state in
            state.draining = true
            return state.count == 0
        }
        if done { return 0 }
        let timer = Task {
            try? await Task.sleep(nanoseconds: UInt64(timeout * 1_000_000_000))
            self.wakeWaiters()
        }
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLockedValue { state -> Bool in
                if state.count == 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
        timer.cancel()
        return count
    }

    /// Each waiter is taken out of the list once, so resumed once, by `leave` or by the timer.
    private func wakeWaiters() {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }
}

/// First in the chain: counts each request in, and answers 503 `SHUTTING_DOWN` with `Connection: close`
/// once the server is stopping, before anything else runs.
struct DrainMiddleware: AsyncMiddleware {
    let requests: RequestsInFlight

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard requests.enter() else {
            let response = try await ApiErrorMiddleware().respond(to: request, chainingTo: Refuse())
            response.headers.replaceOrAdd(name: .connection, value: "close")
            return response
        }
        defer { requests.leave() }
        return try await next.respond(to: request)
    }

    private struct Refuse: AsyncResponder {
        func respond(to request: Request) async throws -> Response { throw AppError.shuttingDown }
    }
}

extension AppError {
    static let shuttingDown = AppError(
        status: .serviceUnavailable, code: "SHUTTING_DOWN",
        message: "Le service redémarre : réessayez dans quelques instants.",
        headers: ["Retry-After": "1"])
}

extension Application {
    private struct RequestsInFlightKey: StorageKey { typealias Value = RequestsInFlight }

    var requestsInFlight: RequestsInFlight {
        if let requests = storage[RequestsInFlightKey.self] { return requests }
        let requests = RequestsInFlight()
        storage[RequestsInFlightKey.self] = requests
        return requests
    }

    /// What SIGTERM does before the application shuts down (and its databases close): stop accepting
    /// connections, let the requests in flight finish within `SHUTDOWN_GRACE_SECONDS`, refuse any other.
    /// Background work (the purge) stops at its next safe point when the application then shuts down.
    public func drain() async {
        let started = Date()
        let grace = settings.shutdownGracePeriod
        logger.info("Arrêt demandé : plus de nouvelles connexions, \(requestsInFlight.count) requête(s) en cours")
        // Quiescing: the listening socket closes; each connection finishes the request it is serving.
        await server.shutdown()
        let left = await requestsInFlight.drain(timeout: max(0, grace - Date().timeIntervalSince(started)))
        if left > 0 {
            logger.warning("Arrêt : \(left) requête(s) encore en cours après \(Int(grace)) s de délai")
        }
    }
}

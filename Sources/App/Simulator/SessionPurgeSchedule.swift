import NIOConcurrencyHelpers
import Vapor

/// Runs `purgeExpiredSessions` every `SESSION_PURGE_INTERVAL_MINUTES` while the application runs,
/// the first time a minute after start (or sooner when the interval is shorter). Several server
/// processes may purge at once: they take different sessions. A failed purge is logged, and the
/// next one tries again. Shutting down waits for a purge under way to end its batch.
final class SessionPurgeSchedule: LifecycleHandler, Sendable {
    private let interval: TimeInterval
    private let runner = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(interval: TimeInterval) {
        self.interval = interval
    }

    func didBoot(_ app: Application) throws {
        let interval = interval
        let task = Task {
            var wait = min(interval, 60)
            while (try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))) != nil {
                await Self.purge(app)
                wait = interval
            }
        }
        runner.withLockedValue { $0 = task }
    }

    func shutdown(_ app: Application) {
        runner.withLockedValue {
            $0?.cancel()
            $0 = nil
        }
    }

    func shutdownAsync(_ app: Application) async {
        let task = runner.withLockedValue { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
    }

    private static func purge(_ app: Application) async {
        do {
            let (deleted, _) = try await app.purgeExpiredSessions()
            if deleted > 0 { app.logger.info("Sessions expirées supprimées : \(deleted)") }
        } catch is CancellationError {
            return
        } catch {
            app.logger.warning("Suppression des sessions expirées en échec : \(type(of: error)) ; nouvel essai au prochain passage")
        }
    }
}

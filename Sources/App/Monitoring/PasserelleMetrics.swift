import Dispatch
import Metrics
import Prometheus

/// Passerelle's own metrics, through swift-metrics into the process's Prometheus registry, which
/// also receives the HTTP metrics Vapor reports (`http_requests_total`, `http_request_duration_seconds`,
/// labelled by route pattern). No label carries an id, an email or a token.
public enum PasserelleMetrics {
    static let migrationDuration = "passerelle_session_migration_duration_seconds"
    static let databaseWait = "passerelle_database_pool_wait_seconds"

    /// False: Passerelle's own metrics are not recorded. Only `migration-bench --metrics-overhead`
    /// changes it, between rounds, while nothing is being migrated.
    nonisolated(unsafe) public static var isRecording = true

    /// The registry `GET /metrics` exposes, bootstrapped into swift-metrics once per process.
    static let registry: PrometheusCollectorRegistry = {
        var factory = PrometheusMetricsFactory()
        // Around the user's promise of one second per migration.
        factory.durationHistogramBuckets[migrationDuration] = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(30),
        ]
        factory.durationHistogramBuckets[databaseWait] = [
            .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .seconds(1),
            .seconds(5), .seconds(30),
        ]
        MetricsSystem.bootstrap(factory)
        return factory.registry
    }()

    static func bootstrap(version: String, ruleset: String) {
        _ = registry
        Gauge(label: "passerelle_build_info", dimensions: [("version", version), ("ruleset", ruleset)]).record(1)
    }

    static func sessionCreated() {
        guard isRecording else { return }
        Counter(label: "passerelle_sessions_created_total").increment()
    }

    static func sessionCompleted() {
        guard isRecording else { return }
        Counter(label: "passerelle_sessions_completed_total").increment()
    }

    /// What one visitor's journey records, for `migration-bench` to time alone: its three
    /// transactions' waits (answers, completion, migration) among them.
    public static func recordJourneyForBenchmark(_ index: Int) {
        let asked = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<3 { databaseWaited(since: asked) }
        sessionCreated()
        sessionCompleted()
        migration(path: "signup", outcome: "migrated", refusal: nil, nanoseconds: UInt64(2_000_000 + index % 1000))
    }

    /// One migration attempt by `path` (signup, existing_client, operator, command_line, batch): its outcome
    /// (migrated, already_migrated, refused, failed), its duration, and a refusal's code.
    static func migration(path: String, outcome: String, refusal code: String?, nanoseconds: UInt64) {
        guard isRecording else { return }
        Counter(label: "passerelle_session_migrations_total", dimensions: [("path", path), ("outcome", outcome)]).increment()
        Timer(label: migrationDuration, dimensions: [("path", path)]).recordNanoseconds(Int64(clamping: nanoseconds))
        if let code {
            Counter(label: "passerelle_session_migration_refusals_total", dimensions: [("path", path), ("code", code)]).increment()
        }
    }

    /// How long a transaction waited for its database connection (and, on SQLite, the write lock)
    /// before its first statement: the pool's waits, where every write goes.
    static func databaseWaited(since start: UInt64) {
        guard isRecording else { return }
        Timer(label: databaseWait).recordNanoseconds(Int64(clamping: DispatchTime.now().uptimeNanoseconds - start))
    }

    /// A request that found no free database connection in time (`DATABASE_BUSY`).
    static func databasePoolTimeout() {
        guard isRecording else { return }
        Counter(label: "passerelle_database_pool_timeouts_total").increment()
    }

    /// 1 when the database answered the last scrape's query, 0 when it did not.
    static func databaseUp(_ up: Bool) {
        Gauge(label: "passerelle_database_up").record(up ? 1 : 0)
    }

    static func sessionsPurged(_ count: Int) {
        guard isRecording else { return }
        Counter(label: "passerelle_sessions_purged_total").increment(by: count)
    }
}

extension SessionMigrationActor {
    /// The migration's path as the metrics name it.
    var metricPath: String {
        switch self {
        case .signup: return "signup"
        case .client: return "existing_client"
        case .operatorAccount: return "operator"
        case .commandLine: return "command_line"
        case .batch: return "batch"
        }
    }
}

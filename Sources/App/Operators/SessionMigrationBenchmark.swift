import Eligibility
import Fluent
import Foundation
import SQLKit
import Vapor

/// Measures migrations into existing clients: prepares `count` completed sessions and clients, then
/// migrates them with `concurrency` workers and reports throughput and latency percentiles.
public enum SessionMigrationBenchmark {
    public struct Figures: Sendable {
        public let count: Int
        public let concurrency: Int
        public let seconds: Double
        public let perSecond: Double
        public let p50Milliseconds: Double
        public let p99Milliseconds: Double
    }

    /// `viaFunction`: migrate through the PostgreSQL function `migrate_simulator_to_existing_client`
    /// (one statement per migration) instead of the Swift path. `warmUp` more migrations run first,
    /// at the same concurrency and untimed: connections opened, plans cached.
    public static func run(app: Application, count: Int, concurrency: Int, viaFunction: Bool = false, warmUp: Int = 50) async throws
        -> Figures
    {
        let jobs = try await prepare(app: app, count: warmUp + count)
        let migrations = app.sessionMigration
        /// Migrates `batch` with `concurrency` workers; the latencies in milliseconds, sorted.
        func migrateAll(_ batch: [(token: String, client: Client)]) async throws -> [Double] {
            let queue = JobQueue(batch.count)
            return try await withThrowingTaskGroup(of: [Double].self) { group in
                for _ in 0..<concurrency {
                    // As the server's requests do: each worker on an event loop of its own, in turn,
                    // so the workers share every loop's connections, not one loop's.
                    let database = app.databases.database(logger: app.logger, on: app.eventLoopGroup.next())!
                    group.addTask {
                        var mine: [Double] = []
                        while let index = await queue.next() {
                            let job = batch[index]
                            let start = DispatchTime.now().uptimeNanoseconds
                            if viaFunction {
                                let row = try await database.sql
                                    .raw(
                                        "SELECT migrate_simulator_to_existing_client(\(bind: job.token), \(bind: job.client.email))::text AS result"
                                    )
                                    .first()
                                let text = try row?.decode(column: "result", as: String.self) ?? ""
                                precondition(text.replacingOccurrences(of: " ", with: "").contains("\"migrated_products_count\":4"), text)
                            } else {
                                let done = try await migrations.migrate(
                                    token: job.token, to: .existingClient(job.client), actor: .commandLine, on: database)
                                precondition(!done.alreadyMigrated && done.outcome.migratedProductsCount == 4)
                            }
                            mine.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
                        }
                        return mine
                    }
                }
                var all: [Double] = []
                for try await part in group { all += part }
                return all.sorted()
            }
        }
        _ = try await migrateAll(Array(jobs.prefix(warmUp)))
        FileHandle.standardError.write(Data("\(count) sessions prêtes, migrations en cours (concurrence \(concurrency))\n".utf8))
        let started = DispatchTime.now().uptimeNanoseconds
        let latencies = try await migrateAll(Array(jobs.dropFirst(warmUp)))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000_000
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        return Figures(
            count: count, concurrency: concurrency, seconds: seconds, perSecond: Double(count) / seconds,
            p50Milliseconds: percentile(0.5), p99Milliseconds: percentile(0.99))
    }

    /// `count` completed sessions, each with a client of its own to migrate into.
    static func prepare(app: Application, count: Int) async throws -> [(token: String, client: Client)] {
        let simulator = app.simulator
        let now = app.clock.now()
        var jobs: [(token: String, client: Client)] = []
        for index in 0..<count {
            let (token, _) = try await simulator.createSession(on: app.db)
            _ = try await simulator.updateAnswers(token: token, changes: SampleAnswers.roadHaulier.mapValues { Optional($0) }, on: app.db)
            _ = try await simulator.complete(token: token, on: app.db)
            let client = Client(
                email: "bench-\(UUID().uuidString.lowercased())-\(index)@example.fr", passwordHash: "not-a-login",
                role: .client, type: "client", metadata: ClientMetadata(source: "benchmark"), now: now)
            try await app.backend.write(on: app.db) { database in try await client.create(on: database) }
            jobs.append((token, client))
            if (index + 1) % 250 == 0 || index + 1 == count { try await analyzePreparedTables(app: app) }
        }
        return jobs
    }

    /// Statistics for the tables preparation fills, as a server at steady state has them: without them,
    /// lookups by token can become sequential scans. The tables a migration fills are left alone, so
    /// that their foreign-key checks stay index lookups (`docs/benchmarks.md`).
    private static func analyzePreparedTables(app: Application) async throws {
        try await app.backend.analyze(
            [TemporarySession.schema, TemporaryResponse.schema, TemporaryEligibility.schema, Client.schema],
            on: app.db.sql)
    }

    /// PostgreSQL only: prepares `count` sessions and their clients as `run` does, and lists them in
    /// `bench_job (n, token_hash, client_id)`, numbered from 1, with the sequence `bench_job_seq`, so
    /// that pgbench can call `passerelle_migrate_session` itself: the database's share of a migration,
    /// without the application.
    public static func prepareJobTable(app: Application, count: Int) async throws {
        let sql = app.db.sql
        try await sql.raw("CREATE TABLE bench_job (n bigint PRIMARY KEY, token_hash text NOT NULL, client_id uuid NOT NULL)").run()
        try await sql.raw("CREATE SEQUENCE bench_job_seq").run()
        for (index, job) in try await prepare(app: app, count: count).enumerated() {
            try await sql.raw(
                "INSERT INTO bench_job VALUES (\(bind: index + 1), \(bind: SecretToken.hash(job.token)), \(bind: job.client.id!))"
            ).run()
        }
        try await sql.raw("ANALYZE bench_job").run()
    }

    private actor JobQueue {
        private var position = 0
        private let count: Int
        init(_ count: Int) { self.count = count }
        func next() -> Int? {
            guard position < count else { return nil }
            defer { position += 1 }
            return position
        }
    }
}

import App
import Foundation
import Vapor

// Migration benchmark (release build):
// `migration-bench [--database-url URL] [--count N] [--concurrency 1,8] [--paths swift,function]
//  [--max-connections N]` (PostgreSQL connections; the server's default, one per event loop, without it).
// Without a URL, a temporary SQLite file. Each concurrency level runs on a fresh database.
// `migration-bench --database-url URL --prepare-jobs --count N`: prepares N sessions and clients in a
// new schema, lists them in its table bench_job for pgbench (see scripts/bench-migrations.sh),
// prints "SCHEMA name" and migrates nothing.
// `migration-bench --metrics-overhead [--rounds N] [--count N] [--concurrency 1,8]`: on SQLite (or the
// URL), alternates rounds with Passerelle's metrics recorded and not, and prints both medians and
// their ratio (target: within 5 %).

@main
enum MigrationBench {
    static func main() async throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            defer { arguments.removeSubrange(index...(index + 1)) }
            return arguments[index + 1]
        }
        let url = option("--database-url")
        let count = Int(option("--count") ?? "") ?? 300
        let levels = (option("--concurrency") ?? "1,8").split(separator: ",").compactMap { Int($0) }
        let maxConnections = Int(option("--max-connections") ?? "")
        let paths = (option("--paths") ?? "swift,function").split(separator: ",").map(String.init)
        if let flag = arguments.firstIndex(of: "--metrics-overhead") {
            arguments.remove(at: flag)
            try await metricsOverhead(url: url, count: count, levels: levels, rounds: Int(option("--rounds") ?? "") ?? 5)
            return
        }
        if let flag = arguments.firstIndex(of: "--prepare-jobs") {
            arguments.remove(at: flag)
            guard let url else {
                FileHandle.standardError.write(Data("--prepare-jobs demande --database-url (PostgreSQL).\n".utf8))
                exit(2)
            }
            let scratch = "bench_jobs_\(UUID().uuidString.prefix(8).lowercased())"
            var settings = AppSettings()
            settings.database = .postgres(url: url, searchPath: [scratch])
            try await withApplication(settings) { app in try await SessionMigrationBenchmark.prepareJobTable(app: app, count: count) }
            print("SCHEMA \(scratch)")
            return
        }
        let modes: [(label: String, viaFunction: Bool)] =
            url == nil
            ? [("SQLite", false)]
            : [("PostgreSQL", false), ("PostgreSQL-function", true)].filter { paths.contains($0.1 ? "function" : "swift") }
        var base = AppSettings()
        base.bcryptCost = 4
        base.databaseMaxConnections = maxConnections
        if url != nil {
            let loops = System.coreCount
            let perLoop = base.databaseConnectionsPerLoop(loops: loops)
            print("Connexions PostgreSQL : \(perLoop * loops) au plus (\(perLoop) par boucle d'évènements × \(loops))")
        }
        for (label, viaFunction) in modes {
            for concurrency in levels {
                var settings = base
                let scratch = "bench_\(concurrency)_\(UUID().uuidString.prefix(8).lowercased())"
                let sqlitePath = FileManager.default.temporaryDirectory.appendingPathComponent("\(scratch).sqlite").path
                if let url {
                    settings.database = .postgres(url: url, searchPath: [scratch])
                } else {
                    settings.database = .sqlite(path: sqlitePath)
                }
                let figures = try await withApplication(settings) { app in
                    try await SessionMigrationBenchmark.run(app: app, count: count, concurrency: concurrency, viaFunction: viaFunction)
                }
                print(
                    String(
                        format: "%@ concurrency %d: %d migrations in %.2f s = %.1f migrations/s, p50 %.2f ms, p99 %.2f ms",
                        label, concurrency, figures.count, figures.seconds, figures.perSecond, figures.p50Milliseconds,
                        figures.p99Milliseconds))
                print(
                    String(
                        format: "RESULT %@ %d %.1f %.2f %.2f", label, concurrency, figures.perSecond, figures.p50Milliseconds,
                        figures.p99Milliseconds))
                try? FileManager.default.removeItem(atPath: sqlitePath)
            }
        }
    }

    /// Migrations/s with the metrics recorded against without, round after round on fresh databases.
    static func metricsOverhead(url: String?, count: Int, levels: [Int], rounds: Int) async throws {
        var base = AppSettings()
        base.bcryptCost = 4
        let label = url == nil ? "SQLite" : "PostgreSQL"
        // What the metrics cost one journey, alone: a session created and completed, a migration
        // recorded (counter, histogram), 200,000 times on one thread.
        let repetitions = 200_000
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for index in 0..<repetitions {
                PasserelleMetrics.recordJourneyForBenchmark(index)
            }
        }
        let perJourney = Double(elapsed.components.attoseconds) / 1e12 / Double(repetitions) + Double(elapsed.components.seconds) * 1e6 / Double(repetitions)
        print(String(format: "Coût des métriques d'un parcours (session créée, terminée, rattachée ; trois attentes de connexion) : %.2f µs", perJourney))
        var p50s: [Double] = []
        for concurrency in levels {
            var rates: [Bool: [Double]] = [true: [], false: []]
            for round in 1...rounds {
                // The order alternates, so that neither side always runs on a warmer machine.
                for recording in round % 2 == 0 ? [true, false] : [false, true] {
                    var settings = base
                    let scratch = "bench_metrics_\(UUID().uuidString.prefix(8).lowercased())"
                    let sqlitePath = FileManager.default.temporaryDirectory.appendingPathComponent("\(scratch).sqlite").path
                    settings.database = url.map { .postgres(url: $0, searchPath: [scratch]) } ?? .sqlite(path: sqlitePath)
                    PasserelleMetrics.isRecording = recording
                    let figures = try await withApplication(settings) { app in
                        try await SessionMigrationBenchmark.run(app: app, count: count, concurrency: concurrency, viaFunction: false)
                    }
                    PasserelleMetrics.isRecording = true
                    rates[recording]!.append(figures.perSecond)
                    if recording { p50s.append(figures.p50Milliseconds) }
                    try? FileManager.default.removeItem(atPath: sqlitePath)
                }
                print(
                    String(
                        format: "%@ concurrency %d, manche %d : métriques %.1f migrations/s, sans %.1f migrations/s", label, concurrency,
                        round, rates[true]!.last!, rates[false]!.last!))
            }
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            let on = median(rates[true]!)
            let off = median(rates[false]!)
            let change = (on / off - 1) * 100
            print(
                String(
                    format: "%@ concurrency %d : médianes %.1f migrations/s avec métriques, %.1f sans ; écart %+.1f %% (objectif : à 5 %% près, %@)",
                    label, concurrency, on, off, change, abs(change) <= 5 ? "atteint" : "non atteint"))
            let p50 = median(p50s)
            print(
                String(
                    format: "%@ concurrency %d : le coût des métriques est %.3f %% d'un rattachement (p50 %.2f ms)", label, concurrency,
                    perJourney / (p50 * 1000) * 100, p50))
            p50s = []
        }
    }

    /// Runs `body` on an application configured with `settings`, shut down afterwards, even on failure.
    static func withApplication<T: Sendable>(_ settings: AppSettings, _ body: @Sendable (Application) async throws -> T) async throws -> T {
        var environment = Environment(name: "production", arguments: ["migration-bench"])
        environment.commandInput.arguments = []
        let app = try await Application.make(environment)
        app.logger.logLevel = .warning
        do {
            try await configure(app, settings: settings)
            let value = try await body(app)
            try await app.asyncShutdown()
            return value
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

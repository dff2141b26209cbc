import Foundation
import Testing

@testable import App

/// The databases every database test runs on: SQLite always, PostgreSQL when the test command
/// names a server in `PASSERELLE_TEST_POSTGRES_URL` (`make test` starts one).
enum TestDatabase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["PASSERELLE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var all: [TestDatabase] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }

    /// A fresh, empty database: a temporary SQLite file, or a new PostgreSQL schema.
    func makeSettings() -> (settings: AppSettings, cleanup: String) {
        var settings = AppSettings()
        settings.bcryptCost = 4
        // Tests purge when they mean to, not on a timer.
        settings.sessionPurgeInterval = nil
        // Every in-memory request comes from the same (unknown) address; the limit's own tests set it.
        settings.passwordAttemptsPerMinute = nil
        settings.sessionsPerMinute = nil
        let name = "t\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("passerelle-\(name).sqlite").path
            settings.database = .sqlite(path: path)
            return (settings, path)
        case .postgres:
            settings.database = .postgres(url: Self.postgresURL!, searchPath: [name])
            return (settings, name)
        }
    }
}

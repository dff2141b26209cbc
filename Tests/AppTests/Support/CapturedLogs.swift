import Logging
import NIOConcurrencyHelpers

/// Every log line of the test process, so tests can check what never reaches the logs.
enum CapturedLogs {
    static let lines = NIOLockedValueBox<[String]>([])

    static func contains(_ text: String) -> Bool {
        lines.withLockedValue { $0.contains { $0.contains(text) } }
    }

    /// The levels of the lines that contain `text`, in order ("warning", "error"…).
    static func levels(of text: String) -> [String] {
        lines.withLockedValue { $0.filter { $0.contains(text) }.map { String($0.prefix { $0 != " " }) } }
    }

    /// The application's own 5xx `code` on `route` ("POST /api/…") was logged, and only as a warning.
    /// (Whether an internal error was logged on the route too cannot be told here: the logs are the
    /// whole suite's, and some tests inject real failures on the same routes.)
    static func refusalIsAWarning(_ status: Int, _ code: String, on route: String) -> Bool {
        let levels = levels(of: "Réponse \(status) \(code) sur \(route)")
        return !levels.isEmpty && levels.allSatisfy { $0 == "warning" }
    }
}

let installCapturingLogs: Void = {
    LoggingSystem.bootstrap { label in CapturingLogHandler(label: label) }
}()

struct CapturingLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let error = event.error.map { " \(String(reflecting: $0))" } ?? ""
        CapturedLogs.lines.withLockedValue { $0.append("\(event.level) \(label) \(event.message) \(all)\(error)") }
    }
}

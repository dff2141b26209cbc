import Logging
import NIOConcurrencyHelpers

/// Every log line of the test process, so tests can check what never reaches the logs.
enum CapturedLogs {
    static let lines = NIOLockedValueBox<[String]>([])

    static func contains(_ text: String) -> Bool {
        lines.withLockedValue { $0.contains { $0.contains(text) } }
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

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let all = self.metadata.merging(metadata ?? [:]) { $1 }
        CapturedLogs.lines.withLockedValue { $0.append("\(level) \(label) \(message) \(all)") }
    }
}

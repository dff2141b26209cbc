import ConsoleKit
import NIOConcurrencyHelpers
import Vapor

/// A console that keeps what commands print, and answers what they ask with `typed`, in order.
final class RecordingConsole: Console {
    private let lines = NIOLockedValueBox<[String]>([])
    private let typed: NIOLockedValueBox<[String]>
    private let info = NIOLockedValueBox<[AnySendableHashable: any Sendable]>([:])

    init(typed: [String] = []) { self.typed = NIOLockedValueBox(typed) }

    var output: String { lines.withLockedValue { $0.joined() } }
    var userInfo: [AnySendableHashable: any Sendable] {
        get { info.withLockedValue { $0 } }
        set { info.withLockedValue { $0 = newValue } }
    }

    func input(isSecure: Bool) -> String { typed.withLockedValue { $0.isEmpty ? "" : $0.removeFirst() } }
    func output(_ text: ConsoleText, newLine: Bool) { lines.withLockedValue { $0.append(text.description + (newLine ? "\n" : "")) } }
    func report(error: String, newLine: Bool) { lines.withLockedValue { $0.append(error + (newLine ? "\n" : "")) } }
    func clear(_ type: ConsoleClear) {}
    var size: (width: Int, height: Int) { (80, 24) }
}

extension Application {
    /// Runs `passerelle <arguments>` against this application and returns what it printed; `typed`
    /// answers what it asks.
    func runCommand(_ arguments: [String], typed: [String] = []) async throws -> String {
        let console = RecordingConsole(typed: typed)
        var context = CommandContext(console: console, input: CommandInput(arguments: ["passerelle"] + arguments))
        context.application = self
        do {
            try await console.run(asyncCommands.group(), with: context)
        } catch {
            throw CommandError(output: console.output, error: error)
        }
        return console.output
    }
}

struct CommandError: Error {
    let output: String
    let error: any Error
}

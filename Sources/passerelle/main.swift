import App
import Logging
import Vapor

@main
enum Entrypoint {
    static func main() async throws {
        var environment = try Environment.detect()
        if ProcessInfo.processInfo.environment["LOG_FORMAT"] == "json" {
            let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        } else {
            try LoggingSystem.bootstrap(from: &environment)
        }
        let settings: AppSettings
        do {
            settings = try AppSettings.fromEnvironment()
        } catch {
            FileHandle.standardError.write(Data("passerelle : \(error.description)\n".utf8))
            exit(2)
        }
        raiseOpenFileLimit()
        let app = try await Application.make(environment)
        do {
            try await configure(app, settings: settings)
            try await app.execute()
            // SIGTERM or SIGINT: a server finishes what is in flight before the databases close.
            if (environment.arguments.dropFirst().first ?? "serve") == "serve" { await app.drain() }
        } catch {
            FileHandle.standardError.write(Data("passerelle : \(commandLineMessage(for: error))\n".utf8))
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
    }
}

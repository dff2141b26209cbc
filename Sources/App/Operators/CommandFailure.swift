import Vapor

/// A command-line refusal: printed as one line, and the process exits non-zero.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}

/// One line for an operator, whatever went wrong.
public func commandLineMessage(for error: any Error) -> String {
    if let known = AppError.recognizing(error) { return "\(known.message) (\(known.code))" }
    switch error {
    case let failure as CommandFailure: return failure.description
    case let settings as SettingsError: return settings.description
    case let startup as StartupError: return startup.description
    default: return String(describing: error)
    }
}

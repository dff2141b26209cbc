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
    case let console as CommandError: return frenchMessage(for: console)
    default: return String(describing: error)
    }
}

/// ConsoleKit's refusals of a command line, in French.
private func frenchMessage(for error: CommandError) -> String {
    switch error {
    case .missingCommand: return "Commande manquante (passerelle --help les liste)."
    case .unknownCommand(let command, _): return "Commande inconnue : \(command) (passerelle --help les liste)."
    case .missingRequiredArgument(let argument): return "Argument obligatoire manquant : \(argument)."
    case .invalidArgumentType(let argument, _): return "Valeur invalide pour \(argument)."
    case .invalidOptionType(let option, _): return "Valeur invalide pour --\(option)."
    case .unknownInput(let input):
        // ConsoleKit leaves an option's value that starts with "-" (a session token of an earlier
        // version could) and its option unread; a backslash before the value is its way of quoting.
        let dashedValue = input.split(separator: " ").dropFirst().contains { $0.hasPrefix("-") && !$0.hasPrefix("--") }
        return "Option ou valeur non reconnue : \(input)."
            + (dashedValue ? " Une valeur qui commence par « - » s'écrit précédée d'une barre oblique inverse : '\\-…'." : "")
    }
}

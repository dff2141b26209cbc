import Vapor

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `passerelle create-operator --email …`: creates an operator account. The password is typed twice
/// without echo at a terminal, or read as one line from standard input when it is piped, so that it
/// shows neither in the shell's history nor in the list of processes. `--password` still works, with
/// a warning saying why it should not be used.
struct CreateOperatorCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "E-mail de l'opérateur")
        var email: String?
        @Option(
            name: "password",
            help: "Déconseillé (visible des autres processus) : sans cette option, le mot de passe est lu sur l'entrée standard")
        var password: String?
        init() {}
    }

    var help: String { "Crée un compte opérateur (mot de passe de 12 caractères au moins, lu sur l'entrée standard)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let email = signature.email, !email.isEmpty else {
            throw CommandFailure(description: "--email est obligatoire.")
        }
        let password: String
        if let given = signature.password {
            context.console.report(
                error: "Attention : un mot de passe passé en argument reste visible dans l'historique du shell "
                    + "et la liste des processus ; sans --password, il est lu sur l'entrée standard.", newLine: true)
            password = given
        } else {
            password = try Self.readPassword(from: context.console)
        }
        let app = context.application
        let account = try await app.accounts.createOperator(email: email, password: password, on: app.db)
        context.console.print("Opérateur créé : \(account.email)")
    }

    /// One line of a piped standard input; at a terminal (or any other console), typed twice without echo.
    static func readPassword(from console: any Console) throws -> String {
        if console is Terminal, isatty(STDIN_FILENO) == 0 {
            guard let line = readLine(strippingNewline: true) else {
                throw CommandFailure(description: "Mot de passe attendu sur l'entrée standard (une ligne).")
            }
            return line
        }
        console.output("Mot de passe : ", newLine: false)
        let password = console.input(isSecure: true)
        console.output("Confirmez le mot de passe : ", newLine: false)
        guard console.input(isSecure: true) == password else {
            throw CommandFailure(description: "Les deux saisies du mot de passe diffèrent : aucun compte créé.")
        }
        return password
    }
}

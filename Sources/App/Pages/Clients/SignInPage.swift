import Vapor

/// `/connexion`: e-mail and password; a refusal shows the form again with the address kept.
enum SignInPage {
    static func page(email: String, errors: [String: String], status: HTTPResponseStatus = .ok, csrf: String) -> Page {
        Page(title: errors.isEmpty ? "Se connecter" : "Erreur : Se connecter", status: status) { html in
            html.element("h1", text: "Se connecter")
            FormFields.errorSummary(
                "La connexion n'a pas abouti",
                ["email", "password"].compactMap { name in errors[name].map { (name, $0) } }, &html)
            html.element("form", [("method", "post"), ("action", "/connexion"), ("novalidate", "")]) { html in
                FormFields.csrf(csrf, &html)
                FormFields.input(
                    .init(
                        name: "email", label: "Adresse e-mail", type: "email", autocomplete: "username", value: email,
                        error: errors["email"]),
                    &html)
                FormFields.input(
                    .init(
                        name: "password", label: "Mot de passe", type: "password", autocomplete: "current-password",
                        error: errors["password"]),
                    &html)
                html.element("div", [("class", "actions")]) { html in
                    html.element("button", [("type", "submit")], text: "Se connecter")
                }
            }
            html.element(
                "p", text: "Pas encore de compte ? Faites la simulation : vous pourrez créer votre compte depuis vos résultats.")
            html.element("p") { html in html.element("a", [("href", "/")], text: "Découvrir le simulateur") }
        }
    }
}

extension SignInPage {
    /// "Vous avez déjà un compte ? Se connecter", under the sign-up forms.
    static func offer(_ html: inout HTMLWriter) {
        html.element("p") { html in
            html.text("Vous avez déjà un compte ? ")
            html.element("a", [("href", "/connexion")], text: "Se connecter")
        }
    }
}

/// After a sign-out: says so, and where to go from here.
enum SignedOutPage {
    static func page(everywhere: Bool) -> Page {
        Page(title: "Vous êtes déconnecté") { html in
            html.element("h1", text: "Vous êtes déconnecté")
            html.element(
                "p",
                text: everywhere
                    ? "Vous êtes déconnecté de tous vos appareils : il faudra vous reconnecter sur chacun d'eux."
                    : "Vous êtes déconnecté de cet appareil.")
            html.element("p") { html in html.element("a", [("href", "/connexion")], text: "Se reconnecter") }
        }
    }
}

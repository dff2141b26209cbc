import Eligibility
import Foundation
import Vapor

/// `/operateur/rattacher`: attaching a completed session to an existing client by email, after a
/// page that shows what will be written. The session's token travels in the forms' bodies only.
enum ConsoleAttachPages {
    struct Form {
        var token = ""
        var email = ""
        var errors: [String: String] = [:]

        init() {}

        init(_ values: FormValues) {
            token = (values.first("jeton") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            email = (values.first("email") ?? "").trimmingCharacters(in: .whitespaces)
        }
    }

    static func form(_ form: Form, status: HTTPStatus = .ok, csrf: String) -> Page {
        ConsolePage.page("Rattacher une simulation", section: .attach, status: status, csrf: csrf) { html in
            html.element(
                "p",
                text:
                    "Rattachez la simulation terminée d'un visiteur au compte d'un client existant. Le visiteur vous a transmis le jeton de sa session ; rien n'est écrit avant votre confirmation."
            )
            FormFields.errorSummary(
                "Le rattachement n'est pas possible", ["jeton", "email"].compactMap { field in form.errors[field].map { (field, $0) } },
                &html)
            html.element("form", [("method", "post"), ("action", "/operateur/rattacher/verifier")]) { html in
                FormFields.csrf(csrf, &html)
                FormFields.input(
                    .init(
                        name: "jeton", label: "Jeton de la session", hint: "43 caractères, tel que le visiteur l'a reçu.",
                        value: form.token,
                        error: form.errors["jeton"]), &html)
                FormFields.input(
                    .init(
                        name: "email", label: "E-mail du client", type: "email", value: form.email, error: form.errors["email"]), &html)
                html.element("button", [("type", "submit")], text: "Vérifier avant de rattacher")
            }
        }
    }

    static func confirm(_ form: Form, preview: SessionMigrationPreview, catalog: Catalog, csrf: String) -> Page {
        ConsolePage.page("Confirmer le rattachement", section: .attach, csrf: csrf) { html in
            let client = preview.client
            html.element(
                "p",
                text:
                    "La simulation terminée le \(preview.session.completedAt.map(FrenchFormat.moment) ?? "—") (règles \(preview.session.rulesetVersion ?? "inconnues")) sera rattachée au compte de \(client.email)\(client.companyName.map { " (\($0))" } ?? "")."
            )
            ConsoleProductOutcomes.table(
                preview.products, label: "Ce qui sera écrit", caption: "Ce qui sera écrit pour chaque dispositif", catalog: catalog, &html)
            let written = preview.products.filter { $0.outcome == "created" || $0.outcome == "updated" }.count
            html.element(
                "p", [("class", "total")],
                text:
                    "\(written) dispositif(s) écrit(s) ; la simulation sera ajoutée à l'historique du client ; l'opération sera inscrite au journal à votre nom."
            )
            html.element("div", [("class", "actions")]) { html in
                html.element("form", [("method", "post"), ("action", "/operateur/rattacher")]) { html in
                    FormFields.csrf(csrf, &html)
                    html.void("input", [("type", "hidden"), ("name", "jeton"), ("value", form.token)])
                    html.void("input", [("type", "hidden"), ("name", "email"), ("value", form.email)])
                    html.element("button", [("type", "submit")], text: "Confirmer le rattachement")
                }
                html.element("a", [("href", "/operateur/rattacher"), ("class", "bouton bouton-second")], text: "Annuler")
            }
        }
    }
}

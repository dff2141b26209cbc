import Eligibility
import Vapor

/// `/inscription`: the sign-up form. The sector and the two bands come pre-filled from the answers
/// (said so, and editable); nothing else is guessed. Errors are those of the API's validation.
struct SignupForm {
    /// The personal fields, in the form's order, with their `autocomplete` token.
    static let personal: [FormFields.Field] = [
        .init(name: "name", label: "Nom et prénom", autocomplete: "name"),
        .init(name: "email", label: "Adresse e-mail", type: "email", autocomplete: "email"),
        .init(name: "phone_number", label: "Téléphone", type: "tel", autocomplete: "tel", hint: "Par exemple 01 23 45 67 89."),
    ]
    static let company: [FormFields.Field] = [
        .init(name: "company_name", label: "Raison sociale", autocomplete: "organization"),
        .init(
            name: "siren", label: "SIREN", autocomplete: "off", inputMode: "numeric",
            hint: "Les 9 chiffres qui identifient votre entreprise (sur l'extrait Kbis ou l'avis de situation Insee)."),
        .init(name: "address", label: "Adresse", autocomplete: "street-address"),
        .init(name: "postal_code", label: "Code postal", autocomplete: "postal-code", inputMode: "numeric"),
        .init(name: "city", label: "Ville", autocomplete: "address-level2"),
    ]
    static let passwordRule = "Au moins 10 caractères, dont au moins une lettre et un chiffre ; pas votre adresse e-mail."
    /// The profile's choices: the form's field, the simulator's question, the label.
    static let bands: [(field: String, question: String, label: String)] = [
        ("sector", "GENERAL_001", "Secteur d'activité"),
        ("headcount_band", "GENERAL_003", "Effectif"),
        ("turnover_band", "GENERAL_002", "Chiffre d'affaires annuel"),
    ]
    static var fieldOrder: [String] { (personal + company).map(\.name) + bands.map(\.field) + ["password"] }

    var values: [String: String]
    var errors: [String: String] = [:]
    /// The bands whose value came from the simulation.
    var fromSimulation: Set<String> = []
    let simulatedOn: Date?
    let eligibleCount: Int
    let totalSavings: Double

    enum Checked {
        case valid(ClientSignup)
        case invalid(SignupForm)
    }

    /// Checks the posted form with the API's validation (and the bands against the catalog's
    /// options): the sign-up, or the form again with a message per field.
    func validated(catalog: Catalog) -> Checked {
        var errors: [String: String] = [:]
        var profile = ClientProfileBands()
        for band in Self.bands {
            let chosen = values[band.field] ?? ""
            guard !chosen.isEmpty else { continue }
            guard let label = catalog.question(id: band.question)?.options.first(where: { $0.id == chosen })?.label else {
                errors[band.field] = "Choisissez une valeur de la liste."
                continue
            }
            switch band.field {
            case "sector": profile.sector = label
            case "headcount_band": profile.headcountBand = label
            default: profile.turnoverBand = label
            }
        }
        let input = ClientSignupInput(
            email: values["email"], password: values["password"], name: values["name"], companyName: values["company_name"],
            phoneNumber: values["phone_number"], siren: values["siren"], address: values["address"], city: values["city"],
            postalCode: values["postal_code"])
        switch ClientSignup.validate(input) {
        case .success(var signup) where errors.isEmpty:
            signup.profile = profile
            return .valid(signup)
        case .success:
            break
        case .failure(let error):
            for detail in error.details {
                let field = String(detail.field.dropFirst("client_data.".count))
                if errors[field] == nil { errors[field] = detail.message }
            }
        }
        var again = self
        again.errors = errors
        return .invalid(again)
    }

    func page(catalog: Catalog, csrf: String, status: HTTPResponseStatus = .ok) -> Page {
        Page(title: errors.isEmpty ? "Créer mon compte" : "Erreur : Créer mon compte", status: status) { html in
            html.element("h1", text: "Créer mon compte")
            let labels = Dictionary(
                uniqueKeysWithValues: (Self.personal + Self.company).map { ($0.name, $0.label) } + Self.bands.map { ($0.field, $0.label) }
                    + [("password", "Mot de passe")])
            FormFields.errorSummary(
                "Certains champs sont à corriger",
                Self.fieldOrder.compactMap { name in errors[name].map { (name, "\(labels[name] ?? name) — \($0)") } }, &html)
            if errors["email"] == AppError.emailAlreadyRegistered.message {
                html.element("p") { html in
                    html.element("a", [("href", "/connexion")], text: "Se connecter pour rattacher la simulation à mon compte")
                }
            }
            html.element("p") { html in
                var intro = "Votre simulation"
                if let simulatedOn { intro += " du \(FrenchFormat.day(simulatedOn))" }
                intro +=
                    eligibleCount == 0
                    ? " sera rattachée à votre compte."
                    : " sera rattachée à votre compte : \(eligibleCount) dispositif\(eligibleCount > 1 ? "s" : "") à étudier, \(FrenchFormat.euros(totalSavings)) d'économies estimées."
                html.text(intro + " Un conseiller vous contactera pour la suite.")
            }
            html.element("p", [("class", "aide")], text: "Tous les champs sont obligatoires, sauf les trois choix issus de la simulation.")
            html.element("form", [("method", "post"), ("action", "/inscription"), ("novalidate", "")]) { html in
                FormFields.csrf(csrf, &html)
                group("Vous", Self.personal, &html)
                html.element("fieldset") { html in
                    html.element("legend", text: "Votre entreprise")
                    for field in Self.company { FormFields.input(filled(field), &html) }
                    for band in Self.bands {
                        let options = catalog.question(id: band.question)?.options.map { ($0.id, $0.label) } ?? []
                        let hint = fromSimulation.contains(band.field) ? "Issu de votre simulation ; modifiable." : nil
                        FormFields.select(filled(.init(name: band.field, label: band.label, hint: hint)), options: options, &html)
                    }
                }
                html.element("fieldset") { html in
                    html.element("legend", text: "Votre mot de passe")
                    FormFields.input(
                        filled(
                            .init(
                                name: "password", label: "Mot de passe", type: "password", autocomplete: "new-password",
                                hint: Self.passwordRule)),
                        &html)
                }
                html.element("div", [("class", "actions")]) { html in
                    html.element("button", [("type", "submit")], text: "Créer mon compte")
                }
            }
            SignInPage.offer(&html)
        }
    }

    private func group(_ legend: String, _ fields: [FormFields.Field], _ html: inout HTMLWriter) {
        html.element("fieldset") { html in
            html.element("legend", text: legend)
            for field in fields { FormFields.input(filled(field), &html) }
        }
    }

    private func filled(_ field: FormFields.Field) -> FormFields.Field {
        var field = field
        field.value = values[field.name] ?? ""
        field.error = errors[field.name]
        return field
    }
}

/// `/inscription` without a finished simulation: sign-up comes with one.
enum SignupNeedsSimulationPage {
    static func page(csrf: String) -> Page {
        Page(title: "Commencez par la simulation") { html in
            html.element("h1", text: "Commencez par la simulation")
            html.element(
                "p",
                text:
                    "Le compte se crée à partir des résultats d'une simulation : faites-la d'abord (5 à 10 minutes), puis créez votre compte depuis la page des résultats."
            )
            FormFields.button("Commencer la simulation", action: "/simulateur/commencer", csrf: csrf, &html)
            SignInPage.offer(&html)
        }
    }
}

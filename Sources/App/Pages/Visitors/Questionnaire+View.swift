import Eligibility
import Vapor

extension QuestionnaireModel {
    /// The step's page: one question per field (choices in a `<fieldset>` with its `<legend>`), an
    /// error summary linking to each refused field, the message next to it.
    func page(csrf: String) -> Page {
        let title = errors.isEmpty ? step.section.title : "Erreur : " + step.section.title
        return Page(title: title, status: errors.isEmpty ? .ok : .unprocessableEntity) { html in
            html.element("p", [("class", "etape")], text: "Étape \(number) sur \(steps.count)")
            html.element("h1", text: step.section.title)
            if !errors.isEmpty { errorSummary(&html) }
            if !revealed.isEmpty {
                html.element(
                    "p", [("class", "encart"), ("role", "status")], text: "Votre réponse fait apparaître de nouvelles questions ci-dessous."
                )
            }
            html.element("form", [("method", "post"), ("action", "/simulateur?etape=\(number)"), ("novalidate", "")]) { html in
                FormFields.csrf(csrf, &html)
                for question in step.questions { field(question, &html) }
                html.element("div", [("class", "actions")]) { html in
                    html.element("button", [("type", "submit")], text: "Continuer")
                }
            }
            html.element("div", [("class", "actions")]) { html in
                if index > 0 {
                    html.element("a", [("href", "/simulateur?etape=\(number - 1)")], text: "Revenir à l'étape précédente")
                }
                FormFields.button("Recommencer", action: "/simulateur/recommencer", csrf: csrf, secondary: true, &html)
            }
        }
    }

    private func errorSummary(_ html: inout HTMLWriter) {
        let items = step.questions.compactMap { question in errors[question.id].map { (question.id, "\(question.text) — \($0)") } }
        FormFields.errorSummary("Certaines réponses sont à corriger", items, &html)
    }

    private func field(_ question: Question, _ html: inout HTMLWriter) {
        let error = errors[question.id]
        let shown = values[question.id] ?? []
        let describedBy = FormFields.describedBy(name: question.id, hint: question.help, error: error)
        let label = question.text + (question.isRequired ? "" : " (facultatif)")
        let classes = "question" + (error == nil ? "" : " champ-erreur") + (revealed.contains(question.id) ? " revelee" : "")
        switch question.type {
        case .singleChoice, .multipleChoice, .yesNo:
            let options: [(id: String, label: String)] =
                question.type == .yesNo ? [("oui", "Oui"), ("non", "Non")] : question.options.map { ($0.id, $0.label) }
            let kind = question.type == .multipleChoice ? "checkbox" : "radio"
            html.element("div", [("class", classes)]) { html in
                html.element("fieldset", [("aria-describedby", describedBy)]) { html in
                    html.element("legend", text: label)
                    FormFields.notes(name: question.id, hint: question.help, error: error, &html)
                    for (position, option) in options.enumerated() {
                        let id = position == 0 ? question.id : "\(question.id)-\(position + 1)"
                        html.element("div", [("class", "choix")]) { html in
                            html.void(
                                "input",
                                [
                                    ("type", kind), ("id", id), ("name", question.id), ("value", option.id),
                                    ("checked", shown.contains(option.id) ? "" : nil), ("aria-invalid", error == nil ? nil : "true"),
                                ])
                            html.element("label", [("for", id)], text: option.label)
                        }
                    }
                }
            }
        case .number, .text:
            html.element("div", [("class", classes)]) { html in
                html.element("label", [("for", question.id)], text: label + (question.unit.map { " (\($0))" } ?? ""))
                FormFields.notes(name: question.id, hint: question.help, error: error, &html)
                html.void(
                    "input",
                    [
                        ("type", "text"), ("id", question.id), ("name", question.id), ("value", shown.first ?? ""),
                        ("inputmode", question.type == .number ? (question.isInteger ? "numeric" : "decimal") : nil),
                        ("autocomplete", "off"), ("aria-describedby", describedBy), ("aria-invalid", error == nil ? nil : "true"),
                    ])
            }
        }
    }
}

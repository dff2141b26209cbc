import Eligibility
import Vapor

/// `/simulateur/recapitulatif`: every answer with a link back to its step, then the results.
enum RecapPage {
    static func page(steps: [QuestionnaireModel.Step], answers: [String: AnswerValue], missing: [String], csrf: String) -> Page {
        Page(title: "Vérifiez vos réponses") { html in
            html.element("h1", text: "Vérifiez vos réponses")
            for (index, step) in steps.enumerated() {
                html.element("h2", text: step.section.title)
                html.element("dl", [("class", "recapitulatif")]) { html in
                    for question in step.questions {
                        html.element("div") { html in
                            html.element("dt", text: question.text)
                            html.element(
                                "dd",
                                text: answers[question.id].map { label($0, question) }
                                    ?? (missing.contains(question.id) ? "Réponse obligatoire manquante" : "Sans réponse"))
                            html.element("dd", [("class", "modifier")]) { html in
                                html.element("a", [("href", "/simulateur?etape=\(index + 1)#\(question.id)")]) { html in
                                    html.text("Modifier")
                                    html.element("span", [("class", "evitement")], text: " : " + question.text)
                                }
                            }
                        }
                    }
                }
            }
            html.element("div", [("class", "actions")]) { html in
                FormFields.button("Voir mes résultats", action: "/simulateur/resultats", csrf: csrf, &html)
            }
        }
    }

    /// An answer as the person chose it: the options' labels, oui or non, the number written in French.
    static func label(_ value: AnswerValue, _ question: Question) -> String {
        func option(_ id: String) -> String { question.options.first { $0.id == id }?.label ?? id }
        switch value {
        case .text(let id): return question.type == .text ? id : option(id)
        case .list(let ids): return ids.map(option).joined(separator: ", ")
        case .bool(let flag): return flag ? "Oui" : "Non"
        case .number(let number): return FrenchFormat.figure(number) + (question.unit.map { " " + $0 } ?? "")
        }
    }
}

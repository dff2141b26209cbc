import Eligibility

/// "Comment est-ce calculé ?": a product's trace in sentences a business owner can follow — each
/// condition met or not and why, each score contribution with its points, the savings' steps with
/// their figures, and each figure of the law with its value, the day it applies from and its source.
enum TraceSentences {
    static func write(_ details: CalculationDetails, score: Int, catalog: Catalog, _ html: inout HTMLWriter) {
        html.element("details") { html in
            html.element("summary", text: "Comment est-ce calculé ?")
            if !details.conditions.isEmpty {
                html.element("h4", text: "Conditions d'éligibilité")
                html.element("ul") { html in
                    for condition in details.conditions {
                        html.element("li") { html in
                            switch condition.outcome {
                            case .true: html.text("✓ Remplie : \(condition.description).")
                            case .false: html.text("✗ Non remplie : \(condition.description).")
                            case .unknown: html.text("? À confirmer : \(condition.description).")
                            }
                            if let explanation = condition.explanation { html.text(" " + explanation) }
                        }
                    }
                }
            }
            let counted = details.contributions.filter { $0.points != 0 }
            html.element("h4", text: "Score")
            html.element("ul") { html in
                for contribution in counted {
                    html.element("li", text: "\(contribution.points > 0 ? "+" : "")\(contribution.points) points : \(contribution.reason).")
                }
                html.element(
                    "li",
                    text: details.rawScore == score
                        ? "Total : \(score) points sur 100."
                        : "Total : \(details.rawScore) points, ramenés à \(score) sur 100.")
            }
            savings(details.savings, catalog: catalog, &html)
        }
    }

    private static func savings(_ savings: SavingsTrace, catalog: Catalog, _ html: inout HTMLWriter) {
        html.element("h4", text: "Montant")
        guard savings.estimated else {
            html.element("p", text: savings.reason ?? "Non chiffré.")
            return
        }
        if !savings.variables.isEmpty {
            html.element("p", text: "À partir de vos réponses :")
            html.element("ul") { html in
                for variable in savings.variables {
                    var sentence = "\(variable.label) : \(variable.value.map(FrenchFormat.figure) ?? "inconnu")"
                    if let question = variable.question.flatMap(catalog.question(id:)) {
                        sentence += " (votre réponse à « \(question.text) »)"
                    }
                    html.element("li", text: sentence + ".")
                }
            }
        }
        if !savings.steps.isEmpty {
            html.element("p", text: "Le calcul, étape par étape :")
            html.element("ol") { html in
                for step in savings.steps {
                    html.element("li", text: "\(step.label) : \(step.value.map(FrenchFormat.figure) ?? "—").")
                }
            }
        }
        if let note = savings.note { html.element("p", text: note) }
        if !savings.parameters.isEmpty {
            html.element("p", text: "Les chiffres fixés par les textes :")
            html.element("ul") { html in
                for parameter in savings.parameters {
                    html.element("li") { html in
                        html.text(
                            "\(parameter.label) : \(FrenchFormat.figure(parameter.value)) \(parameter.unit), applicable depuis le \(FrenchFormat.day(parameter.validFrom))"
                        )
                        if let source = parameter.source {
                            html.text(" — source : ")
                            html.element("a", [("href", source.url)], text: source.title)
                            html.text(".")
                        } else if let unsourced = parameter.unsourced {
                            html.text(" — estimation, sans texte officiel : \(unsourced)")
                        }
                    }
                }
            }
        }
    }
}

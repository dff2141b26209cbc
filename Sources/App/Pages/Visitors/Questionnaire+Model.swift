import Eligibility
import Foundation

/// One step of the questionnaire as the page shows it: the catalog section's visible questions, the
/// values to show (what is stored, or what the person typed when it was refused) and the errors.
struct QuestionnaireModel {
    struct Step {
        let section: Section
        let questions: [Question]
    }

    let steps: [Step]
    let index: Int
    /// The values to show, by question: a choice's option ids, a number or text as typed.
    let values: [String: [String]]
    let errors: [String: String]
    /// Questions that appeared because of the answers just given.
    let revealed: Set<String>

    var step: Step { steps[index] }
    var number: Int { index + 1 }

    /// The steps: the catalog's sections that have a visible question, in order.
    static func steps(catalog: Catalog, visible: Set<String>) -> [Step] {
        catalog.sections.compactMap { section in
            let questions = catalog.questions.filter { $0.section == section.id && visible.contains($0.id) }.sorted { $0.order < $1.order }
            return questions.isEmpty ? nil : Step(section: section, questions: questions)
        }
    }

    /// The stored answers as the form shows them.
    static func values(_ answers: [String: AnswerValue]) -> [String: [String]] {
        answers.mapValues { value in
            switch value {
            case .text(let text): return [text]
            case .list(let items): return items
            case .bool(let flag): return [flag ? "oui" : "non"]
            case .number(let number): return [FrenchFormat.plainNumber(number)]
            }
        }
    }
}

/// What a submitted step says, question by question: an answer, a removal (left empty), or a value
/// the form cannot take with a French message.
struct SubmittedStep {
    var changes: [String: AnswerValue?] = [:]
    var typed: [String: [String]] = [:]
    var errors: [String: String] = [:]

    init(form: FormValues, questions: [Question]) {
        for question in questions {
            let given = form.all(question.id).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            typed[question.id] = given
            guard let first = given.first else {
                changes[question.id] = .some(nil)
                continue
            }
            switch question.type {
            case .singleChoice: changes[question.id] = .text(first)
            case .multipleChoice: changes[question.id] = .list(given)
            case .text: changes[question.id] = .text(first)
            case .yesNo:
                switch first {
                case "oui": changes[question.id] = .bool(true)
                case "non": changes[question.id] = .bool(false)
                default: errors[question.id] = "Choisissez oui ou non."
                }
            case .number:
                if let number = FrenchFormat.parseNumber(first) {
                    changes[question.id] = .number(number)
                } else {
                    errors[question.id] = "Saisissez un nombre, en chiffres (par exemple 12 ou 12,5)."
                }
            }
        }
    }
}

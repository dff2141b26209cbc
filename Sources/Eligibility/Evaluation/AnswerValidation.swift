import Foundation

/// An answer that does not fit its question: which question, a stable code and a French message.
public struct AnswerError: Error, Sendable, Equatable, Codable {
    public let question: String
    public let code: String
    public let message: String
}

/// Every answer error found in one set of answers; nothing is evaluated from a rejected set.
public struct AnswersRejected: Error, Sendable, Equatable {
    public let errors: [AnswerError]
}

extension Catalog {
    /// Checks each answer against its question (type, options, bounds, number of choices) and
    /// collects every problem at once.
    public func validate(_ answers: [String: AnswerValue]) throws(AnswersRejected) -> ValidatedAnswers {
        var stored = AnswerSheet(values: [StoredAnswer?](repeating: nil, count: questions.count), texts: [])
        var given = [AnswerValue?](repeating: nil, count: questions.count)
        var errors: [AnswerError] = []
        for (id, value) in answers.sorted(by: { $0.key < $1.key }) {
            guard let index = questionIndex[id] else {
                errors.append(AnswerError(question: id, code: "unknown_question", message: "question inconnue"))
                continue
            }
            switch questions[index].check(value) {
            case .success(.answer(let answer)):
                stored.values[index] = answer
                given[index] = value
            case .success(.text(let text)):
                stored.values[index] = .text(stored.texts.count)
                stored.texts.append(text)
                given[index] = value
            case .failure(let error):
                errors.append(error)
            }
        }
        guard errors.isEmpty else { throw AnswersRejected(errors: errors) }
        return ValidatedAnswers(stored: stored, given: given, questionIDs: questions.map(\.id))
    }
}

extension Question {
    /// A checked answer: in stored form, or a free text (kept aside, see ``AnswerSheet``).
    enum Checked {
        case answer(StoredAnswer)
        case text(String)
    }

    func check(_ value: AnswerValue) -> Result<Checked, AnswerError> {
        func reject(_ code: String, _ message: String) -> Result<Checked, AnswerError> {
            .failure(AnswerError(question: id, code: code, message: message))
        }
        let choices = options.map(\.id).joined(separator: ", ")
        switch (type, value) {
        case (.singleChoice, .text(let option)):
            guard let position = optionIndex[option] else {
                return reject("unknown_option", "option « \(option) » inexistante (choix possibles : \(choices))")
            }
            return .success(.answer(.option(position)))
        case (.multipleChoice, .list(let chosen)):
            var mask: UInt64 = 0
            for option in chosen {
                guard let position = optionIndex[option] else {
                    return reject("unknown_option", "option « \(option) » inexistante (choix possibles : \(choices))")
                }
                let bit: UInt64 = 1 << UInt64(position)
                guard mask & bit == 0 else { return reject("duplicate_option", "option « \(option) » choisie deux fois") }
                mask |= bit
            }
            if let minChoices, chosen.count < minChoices {
                return reject("too_few_choices", "au moins \(minChoices) choix attendu(s), \(chosen.count) donné(s)")
            }
            if let maxChoices, chosen.count > maxChoices {
                return reject("too_many_choices", "au plus \(maxChoices) choix, \(chosen.count) donné(s)")
            }
            return .success(.answer(.options(mask)))
        case (.number, .number(let number)):
            guard number.isFinite else { return reject("not_finite", "nombre invalide") }
            if isInteger, number != number.rounded() { return reject("not_integer", "un nombre entier est attendu") }
            if let minimum, number < minimum {
                return reject("below_minimum", "la valeur doit être au moins \(minimum.formatted)\(unit.map { " \($0)" } ?? "")")
            }
            if let maximum, number > maximum {
                return reject("above_maximum", "la valeur doit être au plus \(maximum.formatted)\(unit.map { " \($0)" } ?? "")")
            }
            return .success(.answer(.number(number)))
        case (.yesNo, .bool(let flag)):
            return .success(.answer(.bool(flag)))
        case (.text, .text(let text)):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { return reject("empty_text", "texte vide") }
            guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                return reject("invalid_characters", "caractères invisibles non autorisés")
            }
            guard trimmed.count <= maxLength else { return reject("too_long", "au plus \(maxLength) caractères") }
            return .success(.text(trimmed))
        default:
            return reject("wrong_type", "type de réponse invalide : \(type.expectation) attendu")
        }
    }
}

extension QuestionType {
    /// What a visitor must send, in French.
    var expectation: String {
        switch self {
        case .singleChoice: return "un identifiant d'option (texte)"
        case .multipleChoice: return "une liste d'identifiants d'options"
        case .number: return "un nombre"
        case .yesNo: return "true ou false"
        case .text: return "un texte"
        }
    }
}

/// An answer checked against its question, in the compact form conditions and formulas read.
enum StoredAnswer: Sendable, Hashable {
    case option(Int)
    case options(UInt64)
    case number(Double)
    case bool(Bool)
    /// Position of the text in ``AnswerSheet/texts``: with no string inside, a stored answer is
    /// plain data, copied and freed without reference counting.
    case text(Int)
}

/// The answers conditions and formulas read, indexed like ``Catalog/questions``.
struct AnswerSheet: Sendable {
    var values: [StoredAnswer?]
    var texts: [String]

    subscript(question: Int) -> StoredAnswer? { values[question] }

    /// The free text answered to `question`, if any.
    func text(_ question: Int) -> String? {
        guard case .text(let position)? = values[question] else { return nil }
        return texts[position]
    }
}

/// Answers that passed ``Catalog/validate(_:)``: every value fits its question.
public struct ValidatedAnswers: Sendable {
    /// Indexed like ``Catalog/questions``.
    let stored: AnswerSheet
    let given: [AnswerValue?]

    /// The answers by question id, as given.
    public var values: [String: AnswerValue] {
        var result: [String: AnswerValue] = [:]
        for (index, value) in given.enumerated() {
            if let value { result[questionIDs[index]] = value }
        }
        return result
    }

    let questionIDs: [String]
}

/// An answer checked against its question, in the compact form conditions and formulas read.
enum StoredAnswer: Sendable, Hashable {
    case option(Int)
    case options(UInt64)
    case number(Double)
    case bool(Bool)
    case text(String)
}

/// Answers that passed ``Catalog/validate(_:)``: every value fits its question.
public struct ValidatedAnswers: Sendable {
    /// Indexed like ``Catalog/questions``.
    let stored: [StoredAnswer?]
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

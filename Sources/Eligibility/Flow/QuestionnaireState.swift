/// Where a visitor stands in the questionnaire.
public struct QuestionnaireState: Sendable, Codable, Equatable {
    /// Visible questions in questionnaire order.
    public let visibleQuestions: [String]
    /// Visible required questions not answered yet.
    public let missingRequired: [String]
    /// Visible unanswered questions, best first: those that can change the results most, a section at a time.
    public let nextQuestions: [String]
    /// Answers given to questions the other answers hide: kept, but ignored.
    public let ignoredAnswers: [String]
    public let answeredCount: Int
    public let visibleCount: Int
    /// Answered share of the visible required questions, 0–100.
    public let progress: Int
    public let isComplete: Bool

    enum CodingKeys: String, CodingKey {
        case progress
        case visibleQuestions = "visible_questions"
        case missingRequired = "missing_required"
        case nextQuestions = "next_questions"
        case ignoredAnswers = "ignored_answers"
        case answeredCount = "answered_count"
        case visibleCount = "visible_count"
        case isComplete = "is_complete"
    }
}

extension Catalog {
    /// Which questions are visible, which required ones are missing, and what to ask next.
    public func flow(_ answers: ValidatedAnswers) -> QuestionnaireState {
        let visibility = Visibility(catalog: self, answers: answers)
        let effective = visibility.effective

        // Products whose conditions already fail cannot be changed by their other questions.
        let open = products.map { product in
            !product.gates.contains { $0.condition.truth(effective) == .false }
        }

        var visibleQuestions: [String] = []
        var missingRequired: [String] = []
        var ignored: [String] = []
        var candidates: [(index: Int, weight: Int)] = []
        var answered = 0
        var requiredVisible = 0
        var requiredAnswered = 0
        for (index, question) in questions.enumerated() {
            guard visibility.visible[index] else {
                if answers.stored[index] != nil { ignored.append(question.id) }
                continue
            }
            visibleQuestions.append(question.id)
            let isAnswered = effective[index] != nil
            if isAnswered { answered += 1 }
            if question.isRequired {
                requiredVisible += 1
                if isAnswered { requiredAnswered += 1 } else { missingRequired.append(question.id) }
            }
            if !isAnswered {
                var weight = question.importance
                for (product, isOpen) in open.enumerated() where isOpen { weight += influence[index][product] }
                candidates.append((index, weight))
            }
        }

        var sectionWeight: [String: Int] = [:]
        var sectionFirst: [String: Int] = [:]
        for candidate in candidates {
            let section = questions[candidate.index].section
            sectionWeight[section] = max(sectionWeight[section] ?? 0, candidate.weight)
            sectionFirst[section] = min(sectionFirst[section] ?? .max, questions[candidate.index].order)
        }
        let ranked = candidates.sorted { lhs, rhs in
            let left = questions[lhs.index]
            let right = questions[rhs.index]
            if left.section != right.section {
                let leftWeight = sectionWeight[left.section]!
                let rightWeight = sectionWeight[right.section]!
                if leftWeight != rightWeight { return leftWeight > rightWeight }
                return sectionFirst[left.section]! < sectionFirst[right.section]!
            }
            if lhs.weight != rhs.weight { return lhs.weight > rhs.weight }
            return left.order < right.order
        }

        return QuestionnaireState(
            visibleQuestions: visibleQuestions, missingRequired: missingRequired,
            nextQuestions: ranked.map { questions[$0.index].id }, ignoredAnswers: ignored,
            answeredCount: answered, visibleCount: visibleQuestions.count,
            progress: requiredVisible == 0 ? 100 : requiredAnswered * 100 / requiredVisible,
            isComplete: missingRequired.isEmpty)
    }
}

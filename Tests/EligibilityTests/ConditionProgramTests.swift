import Testing

@testable import Eligibility

/// The evaluation reads conditions from their flat form (`ConditionProgram`) and advice from tables
/// built at load; both must say exactly what the conditions as written say.
@Suite("Conditions compilées")
struct ConditionProgramTests {
    /// Random answers over the bundled catalog, each question answered with probability `rate`.
    func randomAnswers(_ generator: inout some RandomNumberGenerator, rate: Double) throws -> ValidatedAnswers {
        var answers: [String: AnswerValue] = [:]
        for question in catalog.questions where Double.random(in: 0..<1, using: &generator) < rate {
            switch question.type {
            case .singleChoice: answers[question.id] = .text(question.options.randomElement(using: &generator)!.id)
            case .multipleChoice:
                let count = Int.random(
                    in: max(1, question.minChoices ?? 1)...min(question.options.count, question.maxChoices ?? 3),
                    using: &generator)
                answers[question.id] = .list(Array(question.options.shuffled(using: &generator).prefix(count).map(\.id)))
            case .number:
                let upper = min(question.maximum ?? 1_000_000, 2_000_000)
                answers[question.id] = .number(Double(Int.random(in: Int(question.minimum ?? 0)...Int(upper), using: &generator)))
            case .yesNo: answers[question.id] = .bool(Bool.random(using: &generator))
            case .text: answers[question.id] = .text("réponse libre")
            }
        }
        return try catalog.validate(answers)
    }

    @Test func flatConditionsAgreeWithTheConditionsAsWritten() throws {
        var generator = SeededGenerator(seed: 20_261_121)
        var seen: Set<Truth> = []
        for round in 0..<400 {
            let answers = try randomAnswers(&generator, rate: [0.3, 0.7, 1.0][round % 3])
            let visibility = Visibility(catalog: catalog, answers: answers)
            // Visibility as computed by the tree, question by question.
            var effective = AnswerSheet(values: Array(repeating: nil, count: catalog.questions.count), texts: answers.stored.texts)
            for (index, question) in catalog.questions.enumerated() {
                let truth = question.visibility?.truth(effective) ?? .true
                #expect(visibility.visible[index] == (truth == .true), "\(question.id)")
                if truth == .true { effective.values[index] = answers.stored[index] }
            }
            for product in catalog.products {
                for (position, gate) in product.gates.enumerated() {
                    let expected = gate.condition.truth(effective)
                    seen.insert(expected)
                    #expect(product.program.truth(root: product.gateRoots[position], effective) == expected, "\(product.code) \(gate.id)")
                }
                for (position, contribution) in product.contributions.enumerated() {
                    guard let condition = contribution.condition else {
                        #expect(product.contributionRoots[position] == -1)
                        continue
                    }
                    #expect(product.program.truth(root: product.contributionRoots[position], effective) == condition.truth(effective))
                }
            }
        }
        // The random answers reached every outcome, so the comparison covered all three.
        #expect(seen == [.true, .false, .unknown])
    }

    @Test func adviceTablesGiveTheTextsWhoseConditionsHold() throws {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            let answers = try randomAnswers(&generator, rate: 0.8)
            let evaluation = try catalog.evaluate(answers, on: CalendarDay("2026-03-01")!)
            let effective = Visibility(catalog: catalog, answers: answers).effective
            for (product, result) in zip(catalog.products, evaluation.results) {
                for (list, texts) in [(product.recommendations, result.recommendations), (product.riskFactors, result.riskFactors)] {
                    let expected = list.statuses[result.status.position].items
                        .filter { ($0.condition?.truth(effective) ?? .true) == .true }.map(\.text)
                    #expect(texts == expected, "\(product.code)")
                }
            }
        }
    }
}

/// A deterministic generator (SplitMix64), so a failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

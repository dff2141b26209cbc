import Foundation
import Testing

@testable import Eligibility

/// An evaluation records only the outcomes and values it computed; the trace people read is built from
/// them afterwards. Whatever the answers, that trace must agree with the result it explains, and read
/// back from JSON it must be the same trace.
@Suite("Trace des calculs")
struct TraceTests {
    @Test func traceExplainsTheResultForVariedAnswers() throws {
        var generator = SeededGenerator(seed: 424242)
        let days = ["2024-06-01", "2025-06-01", "2026-06-01"].map { CalendarDay($0)! }
        var formulasComputed = 0
        for round in 0..<300 {
            let answers = try ConditionProgramTests().randomAnswers(&generator, rate: [0.3, 0.6, 0.9, 1.0][round % 4])
            let day = days[round % days.count]
            let evaluation = try catalog.evaluate(answers, on: day)
            let visibility = Visibility(catalog: catalog, answers: answers)
            for result in evaluation.results {
                let details = result.calculationDetails
                let gatesHold = details.conditions.allSatisfy { $0.outcome == .true }
                #expect(details.contributions.map(\.points).reduce(0, +) == details.rawScore, "\(result.productCode)")
                #expect(result.score == (gatesHold ? min(100, max(0, details.rawScore)) : 0), "\(result.productCode)")
                #expect(details.contributions.isEmpty || gatesHold)
                #expect(result.estimatedSavings == max(0, details.savings.value ?? 0).roundedToCents)
                #expect(result.savingsEstimated == (details.savings.value != nil))
                #expect(details.savings.value != nil || details.savings.reason != nil, "an amount or the reason there is none")
                if details.savings.value != nil { formulasComputed += 1 }
                let product = try #require(catalog.product(code: result.productCode))
                for parameter in details.savings.parameters {
                    let catalogParameter = try #require(catalog.parameters.first { $0.name == parameter.name })
                    if product.readsOnFixedDays.contains(parameter.name) {
                        // `name@day` reads the value in force on that day, whatever the evaluation's.
                        #expect(catalogParameter.values.contains { $0.value == parameter.value && $0.from == parameter.validFrom })
                    } else {
                        let inForce = try #require(catalogParameter.value(on: day))
                        #expect(parameter.value == inForce.value && parameter.validFrom == inForce.from)
                    }
                }
                for used in details.answers {
                    let index = try #require(catalog.questionIndex[used.question])
                    #expect(visibility.visible[index] && used.answer == answers.given[index], "only visible answers are read")
                }
                for missing in result.missingInputs {
                    let index = try #require(catalog.questionIndex[missing])
                    #expect(visibility.visible[index] && answers.given[index] == nil, "\(missing) is asked and unanswered")
                }
                #expect(details.rulesetVersion == catalog.ruleset.identifier && details.evaluatedOn == day)
            }
            // Read back from JSON, the same trace, encoding to the same bytes.
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let json = try encoder.encode(evaluation)
            let decoded = try JSONDecoder().decode(Evaluation.self, from: json)
            #expect(decoded == evaluation)
            #expect(try encoder.encode(decoded) == json)
        }
        #expect(formulasComputed > 100, "the random answers reached the savings formulas")
    }
}

extension Product {
    /// Parameters a formula of this product reads at a fixed day (`name@day`).
    var readsOnFixedDays: Set<String> {
        guard case .formula(let formula) = savings else { return [] }
        let reads = formula.locals.flatMap { $0.parameterReads.flatMap { $0 } }.filter { $0.position != nil }
        return Set(reads.map { catalog.parameters[$0.index].name })
    }
}

import Eligibility
import Foundation
import Testing

let catalog = try! Catalog.bundled()

@Suite("Cas de règles déclaratifs (catalog/cases)")
struct RuleCaseTests {
    @Test("The case files hold cases for every product and status")
    func coverage() {
        let cases = RuleCase.all()
        #expect(cases.count >= 20)
        for product in catalog.products {
            for status in EligibilityStatus.allCases {
                #expect(
                    cases.contains { $0.expect?.contains { $0.product == product.code && $0.status == status } ?? false },
                    "no case where \(product.code) is \(status.rawValue)")
            }
        }
    }

    @Test(arguments: RuleCase.all())
    func ruleCase(_ ruleCase: RuleCase) throws {
        let day = try #require(CalendarDay(ruleCase.date))
        if let expectedErrors = ruleCase.errors {
            let error = #expect(throws: AnswersRejected.self) { try catalog.validate(ruleCase.answers) }
            let found = Set(error?.errors.map { RuleCase.ErrorExpectation(question: $0.question, code: $0.code) } ?? [])
            #expect(found == Set(expectedErrors))
            #expect(error?.errors.allSatisfy { !$0.message.isEmpty } ?? false)
            return
        }
        let answers = try catalog.validate(ruleCase.answers)
        let evaluation = try catalog.evaluate(answers, on: day)
        #expect(evaluation.results.count == catalog.products.count)
        for expected in ruleCase.expect ?? [] {
            let result = try #require(evaluation.result(for: expected.product), "unknown product \(expected.product)")
            if let status = expected.status { #expect(result.status == status, "\(expected.product) status") }
            if let score = expected.score { #expect(result.score == score, "\(expected.product) score") }
            if let savings = expected.savings {
                #expect(
                    abs(result.estimatedSavings - savings) <= (expected.tolerance ?? 0.005),
                    "\(expected.product) savings \(result.estimatedSavings) ≠ \(savings)")
            }
            if let estimated = expected.savingsEstimated {
                #expect(result.savingsEstimated == estimated, "\(expected.product) savings_estimated")
            }
            if let confidence = expected.confidence { #expect(result.confidenceLevel == confidence, "\(expected.product) confidence") }
            if let missing = expected.missingInputs { #expect(result.missingInputs == missing, "\(expected.product) missing inputs") }
            if let text = expected.recommendationContains {
                #expect(result.recommendations.contains { $0.contains(text) }, "\(expected.product) recommendation « \(text) »")
            }
            if let text = expected.riskContains {
                #expect(result.riskFactors.contains { $0.contains(text) }, "\(expected.product) risk « \(text) »")
            }
            let savings = result.calculationDetails.savings
            for (name, value) in expected.steps ?? [:] {
                let step = savings.steps.first { $0.name == name }
                #expect(step != nil, "\(expected.product) has no step \(name)")
                if let computed = step?.value {
                    #expect(abs(computed - value) <= 0.005, "\(expected.product) step \(name) \(computed) ≠ \(value)")
                }
            }
            for (name, from) in expected.parameters ?? [:] {
                #expect(
                    savings.parameters.contains { $0.name == name && $0.validFrom.description == from },
                    "\(expected.product) trace shows \(name) from \(from): \(savings.parameters.map { "\($0.name)@\($0.validFrom)" })")
            }
            #expect(EligibilityStatus(score: result.score) == result.status)
        }
        if let flow = ruleCase.flow {
            let state = catalog.flow(answers)
            if let next = flow.nextFirst { #expect(state.nextQuestions.first == next) }
            for id in flow.visibleInclude ?? [] { #expect(state.visibleQuestions.contains(id), "\(id) should be visible") }
            for id in flow.visibleExclude ?? [] { #expect(!state.visibleQuestions.contains(id), "\(id) should be hidden") }
            for id in flow.missingRequiredInclude ?? [] { #expect(state.missingRequired.contains(id), "\(id) should be missing") }
            if let ignored = flow.ignored { #expect(state.ignoredAnswers == ignored) }
            if let progress = flow.progress { #expect(state.progress == progress) }
        }
    }
}

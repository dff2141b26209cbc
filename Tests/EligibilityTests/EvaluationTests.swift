import Eligibility
import Foundation
import Testing

let trucker: [String: AnswerValue] = [
    "GENERAL_001": .text("transport_marchandises"), "TICPE_001": .bool(true),
    "TICPE_003": .list(["camions_plus_7_5t"]), "TICPE_018": .number(2), "TICPE_005": .text("plus_50000"),
    "TICPE_006": .list(["gazole"]), "TICPE_007": .text("trois_ans"), "TICPE_015": .text("totalite"),
    "TICPE_017": .text("une_ou_deux_regions"),
]

func day(_ text: String) -> CalendarDay { CalendarDay(text)! }

@Suite("Évaluation")
struct EvaluationTests {
    @Test func traceShowsParametersWithDatesAndSources() throws {
        let result = try #require(try catalog.evaluate(catalog.validate(trucker), on: day("2026-03-01")).result(for: "TICPE"))
        let savings = result.calculationDetails.savings
        #expect(savings.estimated)
        let rate = try #require(savings.parameters.first { $0.name == "ticpe_remboursement_trm_eur_hl" })
        #expect(rate.value == 15.56)
        #expect(rate.validFrom == CalendarDay("2024-01-01"))
        #expect(rate.source?.isPrimary == true)
        #expect(savings.steps.map(\.name) == ["litres_vraisemblables", "litres_retenus", "remboursement_eur_hl", "remboursement_annuel"])
        // 50 000 L (the band's lower bound, under 2 × 50 000 plausible) × 15,56 €/hl ÷ 100
        #expect(savings.steps.last?.value == 7780)
        let litres = try #require(savings.variables.first { $0.name == "litres_tranche" })
        #expect(litres.question == "TICPE_005")
        #expect(litres.answer == .text("plus_50000"))
        #expect(result.calculationDetails.conditions.allSatisfy { $0.outcome == .true })
        let volume = try #require(result.calculationDetails.contributions.first { $0.id == "litres_plus_50000" })
        #expect(volume.points == 15)
        #expect(volume.questions == ["TICPE_016", "TICPE_005"])
        let used = result.calculationDetails.answers.first { $0.question == "TICPE_005" }
        #expect(used?.answer == .text("plus_50000"))
        #expect(!result.calculationDetails.answers.contains { $0.question == "TICPE_002" }, "only answered questions are listed")
        #expect(result.calculationDetails.rulesetVersion == catalog.ruleset.identifier)
    }

    @Test func failedConditionIsExplainedInFrench() throws {
        var answers = trucker
        answers["TICPE_003"] = .list(["camions_3_5_a_7_5t", "utilitaires_legers"])
        let result = try #require(try catalog.evaluate(catalog.validate(answers), on: day("2026-03-01")).result(for: "TICPE"))
        let vehicles = try #require(result.calculationDetails.conditions.first { $0.id == "vehicules_eligibles" })
        #expect(vehicles.outcome == .false)
        #expect(vehicles.explanation?.contains("7,5 tonnes ou plus") == true)
        #expect(result.calculationDetails.savings.reason?.contains("non remplies") == true)
    }

    /// The refund attaches to the vehicle: goods vehicles of 7.5 t or more give the right in every sector.
    @Test func sectorDoesNotGateTheRefundOnTrucks() throws {
        let sectors = try #require(catalog.question(id: "GENERAL_001")).options.map(\.id)
        for sector in sectors {
            var answers = trucker
            answers["GENERAL_001"] = .text(sector)
            let result = try #require(try catalog.evaluate(catalog.validate(answers), on: day("2026-03-01")).result(for: "TICPE"))
            #expect(result.status == .eligible, "\(sector)")
            #expect(result.estimatedSavings == 7780, "\(sector)")
        }
    }

    @Test func weightOptionsPutSevenAndAHalfTonnesOnTheEligibleSide() throws {
        let options = try #require(catalog.question(id: "TICPE_003")).options
        #expect(options.first { $0.id == "camions_plus_7_5t" }?.label.contains("7,5 tonnes ou plus") == true)
        #expect(options.first { $0.id == "camions_3_5_a_7_5t" }?.label.contains("moins de 7,5 tonnes") == true)
    }

    @Test func hiddenAnswersChangeNothing() throws {
        let date = day("2026-03-01")
        var withHidden = trucker
        withHidden["TICPE_001"] = .bool(false)
        let withoutHidden: [String: AnswerValue] = ["GENERAL_001": .text("transport_marchandises"), "TICPE_001": .bool(false)]
        let first = try catalog.evaluate(catalog.validate(withHidden), on: date)
        let second = try catalog.evaluate(catalog.validate(withoutHidden), on: date)
        #expect(first == second)
    }

    @Test func unansweredInputIsNeverSilentlyZero() throws {
        var answers = trucker
        answers["TICPE_015"] = .text("ne_sais_pas")
        let result = try #require(try catalog.evaluate(catalog.validate(answers), on: day("2026-03-01")).result(for: "TICPE"))
        #expect(result.status == .eligible)
        #expect(result.savingsEstimated == false)
        #expect(result.estimatedSavings == 0)
        #expect(result.calculationDetails.savings.reason?.contains("TICPE_015") == true)
        #expect(result.riskFactors.contains { $0.contains("inconnue") })
    }

    @Test func dateWithoutParameterValueIsRefused() throws {
        #expect(throws: EvaluationError.self) {
            try catalog.evaluate(catalog.validate(trucker), on: day("2023-12-31"))
        }
    }

    @Test func resultEncodesWithSnakeCaseKeys() throws {
        let evaluation = try catalog.evaluate(catalog.validate(trucker), on: day("2026-03-01"))
        let json = try #require(String(data: JSONEncoder().encode(evaluation), encoding: .utf8))
        for key in [
            "\"estimated_savings\"", "\"confidence_level\"", "\"risk_factors\"", "\"calculation_details\"",
            "\"missing_inputs\"", "\"ruleset_version\"", "\"valid_from\"", "\"evaluated_on\":\"2026-03-01\"",
        ] {
            #expect(json.contains(key), "missing \(key)")
        }
        let decoded = try JSONDecoder().decode(Evaluation.self, from: JSONEncoder().encode(evaluation))
        #expect(decoded == evaluation)
    }

    @Test func totalIsTheSumOfProductSavings() throws {
        let evaluation = try catalog.evaluate(catalog.validate(trucker), on: day("2026-03-01"))
        let sum = evaluation.results.map(\.estimatedSavings).reduce(0, +)
        #expect(abs(evaluation.totalEstimatedSavings - sum) < 0.005)
        #expect(evaluation.totalEstimatedSavings > 0)
    }
}

@Suite("Parcours du questionnaire")
struct FlowTests {
    @Test func nextQuestionsKeepSectionsTogether() throws {
        let state = catalog.flow(try catalog.validate(["GENERAL_001": .text("transport_marchandises"), "TICPE_001": .bool(true)]))
        let sections = state.nextQuestions.compactMap { catalog.question(id: $0)?.section }
        var closed = Set<String>()
        var current: String?
        for section in sections where section != current {
            #expect(!closed.contains(section), "section \(section) appears twice in \(state.nextQuestions)")
            if let current { closed.insert(current) }
            current = section
        }
        #expect(Set(state.nextQuestions) == Set(state.visibleQuestions).subtracting(["GENERAL_001", "TICPE_001"]))
    }

    @Test func decisiveQuestionsComeFirstInsideASection() throws {
        let state = catalog.flow(try catalog.validate(["GENERAL_001": .text("transport_marchandises"), "TICPE_001": .bool(true)]))
        let ticpe = state.nextQuestions.filter { $0.hasPrefix("TICPE_") }
        // Vehicle types decide eligibility; mileage only informs.
        let types = try #require(ticpe.firstIndex(of: "TICPE_003"))
        let mileage = try #require(ticpe.firstIndex(of: "TICPE_009"))
        #expect(types < mileage)
    }

    @Test func progressCountsVisibleRequiredQuestions() throws {
        let empty = catalog.flow(try catalog.validate([:]))
        #expect(empty.progress == 0)
        #expect(!empty.isComplete)
        var all: [String: AnswerValue] = trucker
        all.merge([
            "GENERAL_002": .text("moins_100k"), "GENERAL_003": .text("aucun"), "GENERAL_004": .text("non"),
            "GENERAL_005": .bool(false), "FONCIER_002": .bool(false), "CEE_001": .text("non"), "CIR_001": .text("non"),
            "TICPE_002": .text("de_1_a_3"), "TICPE_004": .text("non"), "TICPE_008": .text("cent_pour_cent"),
            "TICPE_009": .text("moins_10000"), "TICPE_010": .text("non"), "TICPE_011": .text("non"),
            "TICPE_012": .text("non"), "TICPE_013": .text("non"),
        ]) { $1 }
        #expect(catalog.flow(try catalog.validate(all.filter { $0.key != "TICPE_017" })).missingRequired == ["TICPE_017"])
        let full = catalog.flow(try catalog.validate(all))
        #expect(full.missingRequired == [])
        #expect(full.isComplete)
        #expect(full.progress == 100)
    }
}

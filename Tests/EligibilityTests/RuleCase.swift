import Eligibility
import Foundation
import Testing
import Yams

/// One case of `catalog/cases/*.yaml`.
struct RuleCase: Decodable, CustomTestStringConvertible, Sendable {
    let name: String
    let date: String
    let answers: [String: AnswerValue]
    let expect: [ProductExpectation]?
    let errors: [ErrorExpectation]?
    let flow: FlowExpectation?

    var testDescription: String { name }

    struct ProductExpectation: Decodable, Sendable {
        let product: String
        let status: EligibilityStatus?
        let score: Int?
        let savings: Double?
        let tolerance: Double?
        let savingsEstimated: Bool?
        let confidence: ConfidenceLevel?
        let missingInputs: [String]?
        let recommendationContains: String?
        let riskContains: String?
        /// Values of named formula steps (the amount if an error is found, a capped volume), to the cent.
        let steps: [String: Double]?
        /// Names of the parameters the savings trace must show, with the day their value applies from.
        let parameters: [String: String]?

        enum CodingKeys: String, CodingKey {
            case product, status, score, savings, tolerance, confidence, steps, parameters
            case savingsEstimated = "savings_estimated"
            case missingInputs = "missing_inputs"
            case recommendationContains = "recommendation_contains"
            case riskContains = "risk_contains"
        }
    }

    struct ErrorExpectation: Decodable, Sendable, Hashable {
        let question: String
        let code: String
    }

    struct FlowExpectation: Decodable, Sendable {
        let nextFirst: String?
        let visibleInclude: [String]?
        let visibleExclude: [String]?
        let missingRequiredInclude: [String]?
        let ignored: [String]?
        let progress: Int?

        enum CodingKeys: String, CodingKey {
            case ignored, progress
            case nextFirst = "next_first"
            case visibleInclude = "visible_include"
            case visibleExclude = "visible_exclude"
            case missingRequiredInclude = "missing_required_include"
        }
    }

    struct File: Decodable { let cases: [RuleCase] }

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("catalog/cases")

    static func all() -> [RuleCase] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.sorted().flatMap { name -> [RuleCase] in
            let text = try! String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            return try! YAMLDecoder().decode(File.self, from: text).cases
        }
    }
}

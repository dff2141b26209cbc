/// Where a product stands for a business: the thresholds of the original system (≥ 70, 40–69, < 40).
public enum EligibilityStatus: String, Codable, Sendable, CaseIterable {
    case eligible
    case potentiallyEligible = "potentiellement_eligible"
    case notEligible = "non_eligible"

    var bit: UInt8 {
        switch self {
        case .eligible: return 1
        case .potentiallyEligible: return 2
        case .notEligible: return 4
        }
    }

    /// Index in `allCases`.
    var position: Int {
        switch self {
        case .eligible: return 0
        case .potentiallyEligible: return 1
        case .notEligible: return 2
        }
    }

    public init(score: Int) {
        switch score {
        case 70...: self = .eligible
        case 40..<70: self = .potentiallyEligible
        default: self = .notEligible
        }
    }
}

/// How much of what a product depends on was actually answered.
public enum ConfidenceLevel: String, Codable, Sendable, CaseIterable {
    case low, medium, high

    /// `answeredShare` is the importance-weighted share of the product's relevant questions that were answered.
    init(answeredShare: Double) {
        switch answeredShare {
        case 0.8...: self = .high
        case 0.5..<0.8: self = .medium
        default: self = .low
        }
    }
}

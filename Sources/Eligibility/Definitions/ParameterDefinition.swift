/// A named figure with the values it took over time, as written in `parameters.yaml`.
struct ParameterDefinition: Decodable, Sendable {
    let name: String
    let label: String
    let unit: String
    let values: [ParameterValueDefinition]
}

struct ParameterValueDefinition: Decodable, Sendable {
    let from: CalendarDay
    let until: CalendarDay?
    let value: Double
    let source: SourceDefinition?
    /// Why no source is given: required when `source` is absent.
    let unsourced: String?
    let note: String?
}

/// A public reference that backs a figure or a rule.
public struct SourceDefinition: Codable, Sendable, Hashable {
    public let title: String
    public let url: String
}

struct ParameterFile: Decodable {
    let parameters: [ParameterDefinition]
}

struct ManifestDefinition: Decodable {
    let version: String
    let title: String
}

import Foundation

/// A named figure with the values it took over time, as written in `parameters.yaml`.
struct ParameterDefinition: Decodable, Sendable {
    let name: String
    let label: String
    let unit: String
    /// The index the law ties the figure to (the PASS, the SMIC), when there is one.
    let index: String?
    /// The day by which the figure must be checked again against its sources.
    let reviewBy: CalendarDay
    let values: [ParameterValueDefinition]

    enum CodingKeys: String, CodingKey {
        case name, label, unit, index, values
        case reviewBy = "review_by"
    }
}

struct ParameterValueDefinition: Decodable, Sendable {
    let from: CalendarDay
    let until: CalendarDay?
    let value: Double
    let source: SourceDefinition?
    /// Secondary sources that stand beside the primary one (trade press, advisers), never alone.
    let also: [SourceDefinition]?
    /// Why no source is given: required when `source` is absent.
    let unsourced: String?
    /// Set when the figure itself could not be read on the source cited: what remains to confirm.
    let unconfirmed: String?
    let note: String?
}

/// A public reference that backs a figure or a rule.
public struct SourceDefinition: Codable, Sendable, Hashable {
    public let title: String
    public let url: String

    public init(title: String, url: String) {
        self.title = title
        self.url = url
    }

    /// Hosts of primary sources: the texts themselves and the administrations that apply them.
    static let primaryHosts = [
        "legifrance.gouv.fr", "bofip.impots.gouv.fr", "impots.gouv.fr", "douane.gouv.fr", "urssaf.fr", "boss.gouv.fr",
        "msa.fr", "service-public.fr", "entreprendre.service-public.fr", "ecologie.gouv.fr", "developpement-durable.gouv.fr",
        "journal-officiel.gouv.fr", "economie.gouv.fr", "agriculture.gouv.fr", "securite-sociale.fr",
        "conseil-etat.fr", "courdecassation.fr",
    ]

    /// Whether the source is a primary text or the administration's own page (see ``primaryHosts``).
    public var isPrimary: Bool {
        guard let host = URLComponents(string: url)?.host?.lowercased() else { return false }
        return Self.primaryHosts.contains { host == $0 || host.hasSuffix("." + $0) }
    }
}

struct ParameterFile: Decodable {
    let parameters: [ParameterDefinition]
}

struct ManifestDefinition: Decodable {
    let version: String
    let title: String
}

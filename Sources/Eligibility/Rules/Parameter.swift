/// A named figure (a rate, a floor, a cap) and the values it took over time, each with its source.
public struct Parameter: Sendable {
    public let name: String
    public let label: String
    public let unit: String
    /// Sorted by `from`.
    public let values: [Value]

    public struct Value: Sendable, Codable, Hashable {
        public let from: CalendarDay
        public let until: CalendarDay?
        public let value: Double
        public let source: SourceDefinition?
        public let unsourced: String?
        public let note: String?
    }

    /// The value in force on `day`: the latest that started on or before it and has not ended.
    public func value(on day: CalendarDay) -> Value? {
        let ordinal = day.ordinal
        var found: Value?
        for candidate in values where candidate.from.ordinal <= ordinal {
            found = candidate
        }
        if let found, let until = found.until, until.ordinal < ordinal { return nil }
        return found
    }
}

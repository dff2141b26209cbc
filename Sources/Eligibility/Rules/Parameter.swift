/// A named figure (a rate, a floor, a cap) and the values it took over time, each with its source.
public final class Parameter: Sendable {
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

    init(name: String, label: String, unit: String, values: [Value]) {
        self.name = name
        self.label = label
        self.unit = unit
        self.values = values
    }

    /// The value in force on `day`: the latest that started on or before it and has not ended.
    public func value(on day: CalendarDay) -> Value? {
        valueIndex(on: day).map { values[$0] }
    }

    func valueIndex(on day: CalendarDay) -> Int? { valueIndex(onOrdinal: day.ordinal) }

    func valueIndex(onOrdinal ordinal: Int) -> Int? {
        var found: Int?
        for index in values.indices where values[index].from.ordinal <= ordinal { found = index }
        if let found, let until = values[found].until, until.ordinal < ordinal { return nil }
        return found
    }
}

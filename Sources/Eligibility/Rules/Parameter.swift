/// A named figure (a rate, a floor, a cap) and the values it took over time, each with its source.
public final class Parameter: Sendable {
    public let name: String
    public let label: String
    public let unit: String
    /// The index the law ties the figure to (the PASS, the SMIC), if any.
    public let index: String?
    /// The day by which the figure must be checked again; `passerelle catalog check` lists those past it.
    public let reviewBy: CalendarDay?
    /// Sorted by `from`.
    public let values: [Value]

    public struct Value: Sendable, Codable, Hashable {
        public let from: CalendarDay
        public let until: CalendarDay?
        public let value: Double
        public let source: SourceDefinition?
        public let unsourced: String?
        public let note: String?
        /// Secondary sources beside `source`; not part of a stored trace, nor of a value's identity.
        public var also: [SourceDefinition] = []
        /// What remains to confirm when the figure could not be read on its source; reviewed, not stored.
        public var unconfirmed: String?

        enum CodingKeys: String, CodingKey { case from, until, value, source, unsourced, note }

        public static func == (lhs: Value, rhs: Value) -> Bool {
            lhs.from == rhs.from && lhs.until == rhs.until && lhs.value == rhs.value && lhs.source == rhs.source
                && lhs.unsourced == rhs.unsourced && lhs.note == rhs.note
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(from)
            hasher.combine(value)
        }
    }

    init(name: String, label: String, unit: String, index: String? = nil, reviewBy: CalendarDay? = nil, values: [Value]) {
        self.name = name
        self.label = label
        self.unit = unit
        self.index = index
        self.reviewBy = reviewBy
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

/// A condition as written in the catalog files, before it is checked against the questionnaire.
///
/// Forms: `{question: Q, equals: v}`, `not_equals`, `in: [..]`, `not_in: [..]`, `includes: o`,
/// `includes_any: [..]`, `includes_none: [..]`, `at_least`, `at_most`, `greater_than`, `less_than`,
/// `answered: true|false`; and the combinators `{all: [..]}`, `{any: [..]}`, `{not: {..}}`.
public indirect enum ConditionDefinition: Codable, Sendable {
    case all([ConditionDefinition])
    case any([ConditionDefinition])
    case not(ConditionDefinition)
    case test(question: String, test: TestDefinition)

    public enum TestDefinition: Sendable {
        case equals(ScalarDefinition)
        case notEquals(ScalarDefinition)
        case isIn([ScalarDefinition])
        case notIn([ScalarDefinition])
        case includes(String)
        case includesAny([String])
        case includesNone([String])
        case atLeast(Double)
        case atMost(Double)
        case greaterThan(Double)
        case lessThan(Double)
        case answered(Bool)
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static let operators = [
        "equals", "not_equals", "in", "not_in", "includes", "includes_any", "includes_none",
        "at_least", "at_most", "greater_than", "less_than", "answered",
    ]

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        func key(_ name: String) -> Key { Key(stringValue: name) }
        switch self {
        case .all(let conditions): try container.encode(conditions, forKey: key("all"))
        case .any(let conditions): try container.encode(conditions, forKey: key("any"))
        case .not(let condition): try container.encode(condition, forKey: key("not"))
        case .test(let question, let test):
            try container.encode(question, forKey: key("question"))
            switch test {
            case .equals(let value): try container.encode(value, forKey: key("equals"))
            case .notEquals(let value): try container.encode(value, forKey: key("not_equals"))
            case .isIn(let values): try container.encode(values, forKey: key("in"))
            case .notIn(let values): try container.encode(values, forKey: key("not_in"))
            case .includes(let value): try container.encode(value, forKey: key("includes"))
            case .includesAny(let values): try container.encode(values, forKey: key("includes_any"))
            case .includesNone(let values): try container.encode(values, forKey: key("includes_none"))
            case .atLeast(let value): try container.encode(value, forKey: key("at_least"))
            case .atMost(let value): try container.encode(value, forKey: key("at_most"))
            case .greaterThan(let value): try container.encode(value, forKey: key("greater_than"))
            case .lessThan(let value): try container.encode(value, forKey: key("less_than"))
            case .answered(let value): try container.encode(value, forKey: key("answered"))
            }
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let keys = container.allKeys.map(\.stringValue)
        func only(_ key: String) throws {
            guard keys.count == 1 else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: decoder.codingPath,
                        debugDescription: "« \(key) » ne peut pas être combiné avec \(keys.filter { $0 != key }.joined(separator: ", "))"))
            }
        }
        if keys.contains("all") {
            try only("all")
            self = .all(try container.decode([ConditionDefinition].self, forKey: Key(stringValue: "all")))
        } else if keys.contains("any") {
            try only("any")
            self = .any(try container.decode([ConditionDefinition].self, forKey: Key(stringValue: "any")))
        } else if keys.contains("not") {
            try only("not")
            self = .not(try container.decode(ConditionDefinition.self, forKey: Key(stringValue: "not")))
        } else {
            let question = try container.decode(String.self, forKey: Key(stringValue: "question"))
            let operatorKeys = keys.filter { $0 != "question" }
            guard operatorKeys.count == 1, let name = operatorKeys.first, Self.operators.contains(name) else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: decoder.codingPath,
                        debugDescription:
                            "condition sur \(question) : un seul opérateur parmi \(Self.operators.joined(separator: ", ")) est attendu, trouvé : \(operatorKeys.joined(separator: ", "))"
                    ))
            }
            let key = Key(stringValue: name)
            let test: TestDefinition
            switch name {
            case "equals": test = .equals(try container.decode(ScalarDefinition.self, forKey: key))
            case "not_equals": test = .notEquals(try container.decode(ScalarDefinition.self, forKey: key))
            case "in": test = .isIn(try container.decode([ScalarDefinition].self, forKey: key))
            case "not_in": test = .notIn(try container.decode([ScalarDefinition].self, forKey: key))
            case "includes": test = .includes(try container.decode(String.self, forKey: key))
            case "includes_any": test = .includesAny(try container.decode([String].self, forKey: key))
            case "includes_none": test = .includesNone(try container.decode([String].self, forKey: key))
            case "at_least": test = .atLeast(try container.decode(Double.self, forKey: key))
            case "at_most": test = .atMost(try container.decode(Double.self, forKey: key))
            case "greater_than": test = .greaterThan(try container.decode(Double.self, forKey: key))
            case "less_than": test = .lessThan(try container.decode(Double.self, forKey: key))
            default: test = .answered(try container.decode(Bool.self, forKey: key))
            }
            self = .test(question: question, test: test)
        }
    }
}

/// A literal in a condition: an option id, a number or a yes/no.
public enum ScalarDefinition: Codable, Sendable, CustomStringConvertible {
    case text(String)
    case number(Double)
    case bool(Bool)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }

    public var description: String {
        switch self {
        case .text(let value): return value
        case .number(let value): return value.formatted
        case .bool(let value): return value ? "true" : "false"
        }
    }
}

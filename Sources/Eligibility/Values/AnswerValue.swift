/// One answer as a visitor gives it: an option id, several option ids, a number, yes/no or text.
/// Decodes from any JSON scalar or array of strings; whether it fits its question is checked by
/// ``Catalog/validate(_:)``.
public enum AnswerValue: Hashable, Sendable, Codable, CustomStringConvertible {
    case text(String)
    case list([String])
    case number(Double)
    case bool(Bool)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .text(value)
        } else if let value = try? container.decode([String].self) {
            self = .list(value)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "réponse invalide : attendu un texte, un nombre, un booléen ou une liste de textes")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let value): try container.encode(value)
        case .list(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }

    public var description: String {
        switch self {
        case .text(let value): return value
        case .list(let value): return value.joined(separator: ", ")
        case .number(let value): return value.formatted
        case .bool(let value): return value ? "oui" : "non"
        }
    }
}

extension Double {
    /// A number written without a useless `.0`.
    var formatted: String {
        if self == rounded(), abs(self) < 1e15 { return String(Int64(self)) }
        return String(self)
    }
}

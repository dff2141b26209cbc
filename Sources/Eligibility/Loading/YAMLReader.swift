import Foundation
import Yams

/// Reads YAML with libyaml, then decodes through Foundation's JSON decoder, which is several times
/// faster than decoding YAML nodes directly. Plain scalars become booleans, numbers or null when they
/// read as such; quoted scalars always stay text.
enum YAMLReader {
    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        guard let node = try Yams.compose(yaml: text, .basic) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "fichier vide"))
        }
        let data = try JSONSerialization.data(withJSONObject: plain(node), options: [.fragmentsAllowed])
        return try JSONDecoder().decode(T.self, from: data)
    }

    private static func plain(_ node: Node) -> Any {
        switch node {
        case .scalar(let scalar):
            return value(of: scalar)
        case .sequence(let sequence):
            return sequence.map(plain)
        case .mapping(let mapping):
            var object: [String: Any] = [:]
            for (key, value) in mapping { object[key.string ?? ""] = plain(value) }
            return object
        case .alias:
            return NSNull()
        }
    }

    private static func value(of scalar: Node.Scalar) -> Any {
        let text = scalar.string
        guard scalar.style == .plain || scalar.style == .any else { return text }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        case "null", "Null", "NULL", "~", "": return NSNull()
        default: break
        }
        if let first = text.first, first.isNumber || first == "-" || first == "+" || first == ".",
            text.allSatisfy({ $0.isNumber || "+-.eE_".contains($0) }), let number = Double(text.replacingOccurrences(of: "_", with: ""))
        {
            if number == number.rounded(), abs(number) < 1e15, !text.contains(".") { return Int(number) }
            return number
        }
        return text
    }
}

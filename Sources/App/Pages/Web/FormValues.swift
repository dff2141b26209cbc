import Foundation
import Vapor

/// A form's fields as the browser sent them (`application/x-www-form-urlencoded`), every value of a
/// repeated name kept in order (checkboxes).
struct FormValues: Sendable {
    private(set) var values: [String: [String]] = [:]

    init(_ request: Request) throws {
        self.init(encoded: request.body.string ?? "")
    }

    init(encoded body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
    }

    func first(_ name: String) -> String? { values[name]?.first }

    func all(_ name: String) -> [String] { values[name] ?? [] }

    private static func decode(_ part: Substring) -> String {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }
}

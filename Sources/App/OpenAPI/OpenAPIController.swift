import Foundation
import Vapor
import Yams

/// `GET /openapi.json`: the API contract, written in `Resources/openapi.yaml` and served as JSON.
struct OpenAPIController: Sendable {
    let contract: Data

    init() throws {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw Abort(.internalServerError, reason: "openapi.yaml absent du paquet")
        }
        contract = try Self.json(fromYAML: String(contentsOf: url, encoding: .utf8))
    }

    static func json(fromYAML text: String) throws -> Data {
        let object = try Yams.load(yaml: text) as Any
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    func document(request: Request) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: contract))
    }
}

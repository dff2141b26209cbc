import Vapor

/// Logs each request once: its id (also sent back as `X-Request-Id`), method, route pattern
/// (`/api/simulator/sessions/:token`, never the concrete path: tokens travel in paths), status and
/// duration. Never a header, a body, an email or an answer.
struct RequestLogMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let id = Self.requestID(request)
        request.logger[metadataKey: "request_id"] = .string(id)
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Request-Id", value: id)
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "(route inconnue)"
        request.logger.info(
            "\(request.method.rawValue) \(route) → \(response.status.code) en \(String(format: "%.1f", milliseconds)) ms",
            metadata: ["status": .stringConvertible(response.status.code), "duration_ms": .string(String(format: "%.1f", milliseconds))])
        return response
    }

    /// The id a proxy in front gave the request, when it looks like one (letters, digits, `-`, `_`, `.`;
    /// at most 64), so that its logs and ours join; otherwise a new one.
    static func requestID(_ request: Request) -> String {
        if let given = request.headers.first(name: "X-Request-Id"), (1...64).contains(given.count),
            given.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
        {
            return given
        }
        return UUID().uuidString.lowercased()
    }
}

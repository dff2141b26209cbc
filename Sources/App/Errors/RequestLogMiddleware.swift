import Vapor

/// Logs each request by its route pattern (`/api/simulator/sessions/:token`), never its concrete path:
/// tokens travel in paths and must not reach the logs.
struct RequestLogMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let response = try await next.respond(to: request)
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "(route inconnue)"
        request.logger.info("\(request.method.rawValue) \(route) → \(response.status.code) en \(String(format: "%.1f", milliseconds)) ms")
        return response
    }
}

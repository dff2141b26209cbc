import Vapor

/// The registered paths and their methods, to answer 405 (with `Allow`) rather than 404 when only the method is wrong.
struct RouteTable: Sendable {
    private let routes: [(method: HTTPMethod, path: [PathComponent])]

    init(_ routes: Routes) {
        self.routes = routes.all.map { ($0.method, $0.path) }
    }

    func methods(matching path: String) -> Set<String> {
        let segments = path.split(separator: "/").map(String.init)
        var methods = Set<String>()
        for route in routes where Self.matches(route.path, segments) { methods.insert(route.method.rawValue) }
        return methods
    }

    private static func matches(_ pattern: [PathComponent], _ segments: [String]) -> Bool {
        if pattern.last == .catchall { return segments.count >= pattern.count - 1 }
        guard pattern.count == segments.count else { return false }
        for (component, segment) in zip(pattern, segments) {
            switch component {
            case .constant(let value) where value != segment: return false
            default: continue
            }
        }
        return true
    }
}

import NIOHTTP1

/// The header in which the operator's reverse proxies (`TRUSTED_PROXIES`) write the address they
/// received a request from (`PROXY_HEADER`). Only that one is read: a proxy appends to the header it
/// writes and passes any other through untouched, so the other is entirely the client's word.
public enum ProxyHeader: String, Sendable, CaseIterable {
    /// `X-Forwarded-For: client, proxy1`: what most proxies write (nginx, HAProxy, cloud balancers).
    case xForwardedFor = "X-Forwarded-For"
    /// `Forwarded: for=client;proto=https, for="[2001:db8::1]:4711"` (RFC 7239).
    case forwarded = "Forwarded"

    /// The setting's value, whatever its case.
    public init?(setting: String) {
        guard let header = Self.allCases.first(where: { $0.rawValue.lowercased() == setting.lowercased() }) else { return nil }
        self = header
    }

    /// The hops the header lists, left (the farthest) to right (the nearest): an address without its
    /// port, or the proxy's word for a hidden one (`unknown`, `_secret`). Every comma ends a hop, even
    /// one inside quotes: no address contains one, and a client that leaves a quote open must not make
    /// the hop its proxy appends after it part of its own.
    public func hops(in headers: HTTPHeaders) -> [String] {
        let elements = headers[rawValue].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        switch self {
        case .xForwardedFor: return elements.map(Self.address(ofNode:))
        case .forwarded: return elements.map(Self.node(ofElement:))
        }
    }

    /// The `for` parameter of one element of `Forwarded`, as `address(ofNode:)` gives it; `unknown`
    /// when the proxy gave none.
    static func node(ofElement element: String) -> String {
        let value = element.split(separator: ";").lazy.compactMap { pair -> Substring? in
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "for" else { return nil }
            return parts[1]
        }.first
        guard let value else { return "unknown" }
        return address(ofNode: String(value))
    }

    /// A hop without its quotes and port. Some proxies write the port in `X-Forwarded-For` too
    /// (`203.0.113.9:51234`): without this, every new connection of one client would have a budget
    /// of its own.
    static func address(ofNode text: String) -> String {
        var node = text.trimmingCharacters(in: .whitespaces)
        if node.hasPrefix("\"") { node.removeFirst() }
        if node.hasSuffix("\"") { node.removeLast() }
        if node.hasPrefix("["), let close = node.firstIndex(of: "]") {
            // "[2001:db8::17]:4711": the address between the brackets.
            return String(node[node.index(after: node.startIndex)..<close])
        }
        if let colon = node.firstIndex(of: ":"), colon == node.lastIndex(of: ":") {
            // "192.0.2.43:47011": the address before its port.
            return String(node[..<colon])
        }
        return node
    }
}

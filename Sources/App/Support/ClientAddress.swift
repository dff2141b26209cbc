import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The address a request comes from, as the limits per address count it.
///
/// The connection's peer, unless that peer is one of the operator's proxies (`TRUSTED_PROXIES`): then
/// the hops of their header (`PROXY_HEADER`) are read from the right, where each proxy appends the
/// address it received the request from, and the first address that is not a trusted proxy is the
/// client. Whatever a client writes into the header itself sits to the left of that and is never
/// believed. An IPv6 client is counted by its /64, the block a single subscriber usually holds.
enum ClientAddress {
    /// The key of the request's origin; `"inconnue"` when the server has no peer address (in-memory tests).
    /// `hops`: the proxies' header as `ProxyHeader.hops(in:)` lists it, read only when the peer is
    /// one of them (most requests come straight from their client, whose header is never parsed).
    static func key(peer: String?, hops: @autoclosure () -> [String], trustedProxies: [AddressBlock]) -> String {
        guard let peer, let peerBytes = bytes(of: peer) else { return peer ?? "inconnue" }
        var origin = peerBytes
        if trustedProxies.contains(where: { $0.contains(peerBytes) }) {
            for hop in hops().reversed() {
                guard let hopBytes = bytes(of: hop) else { return String(hop.prefix(64)) }
                origin = hopBytes
                if !trustedProxies.contains(where: { $0.contains(hopBytes) }) { break }
            }
        }
        return key(of: origin)
    }

    /// An address's 4 or 16 bytes; an IPv4 address written as IPv6 (`::ffff:a.b.c.d`) gives its 4.
    static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff { return Array(bytes[12...]) }
        return bytes
    }

    private static func key(of bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}

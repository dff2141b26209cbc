import Foundation

/// An address or a block of addresses (`10.0.0.0/8`, `fd00::/8`, `192.0.2.7`), for `TRUSTED_PROXIES`.
public struct AddressBlock: Sendable, Equatable {
    let bytes: [UInt8]
    let prefixLength: Int

    /// Nil when `text` is not an address with an optional prefix length that fits it.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let bytes = ClientAddress.bytes(of: String(parts[0])) else { return nil }
        let length: Int
        if parts.count == 2 {
            guard let written = Int(parts[1]), (0...bytes.count * 8).contains(written) else { return nil }
            length = written
        } else {
            length = bytes.count * 8
        }
        self.bytes = bytes
        self.prefixLength = length
    }

    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == bytes.count else { return false }
        var remaining = prefixLength
        for (mine, theirs) in zip(bytes, address) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xff : ~(0xff >> UInt8(remaining))
            if mine & mask != theirs & mask { return false }
            remaining -= 8
        }
        return true
    }
}

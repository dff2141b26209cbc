import Crypto
import Foundation

/// Long random secrets handed out once (session and access tokens) and their stored form.
enum SecretToken {
    /// 256 random bits, base64url without padding (43 characters), never starting with "-": an
    /// operator gives a session's token to `passerelle migrate-session --token`, and ConsoleKit takes
    /// a value starting with "-" for the next option (one token in 64 was refused so). Drawn again
    /// when it does: the first character stays uniform over the 63 others (0.02 bit of 256 lost).
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        while true {
            let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            let token = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            if !token.hasPrefix("-") { return token }
        }
    }

    /// SHA-256 in lowercase hexadecimal: what the database keeps instead of the token (PostgreSQL's
    /// `encode(sha256(…), 'hex')` gives the same text). Hashed on every request that carries a token,
    /// so the hexadecimal is written directly rather than through `String(format:)`.
    static func hash(_ token: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        let digest = SHA256.hash(data: Data(token.utf8))
        return String(unsafeUninitializedCapacity: SHA256.byteCount * 2) { buffer in
            var index = 0
            for byte in digest {
                buffer[index] = digits[Int(byte >> 4)]
                buffer[index + 1] = digits[Int(byte & 0x0f)]
                index += 2
            }
            return index
        }
    }
}

import Vapor

/// The cookies a browser holds: the simulator session's token, the signed-in account's access token,
/// and the CSRF secret its forms prove they came from. Each `HttpOnly`, `SameSite=Lax`, `Secure` when
/// the public address is https (`PUBLIC_URL`); the tokens are random and stored hashed, like the
/// API's, and expire with what they open.
enum BrowserCookies {
    static let simulation = "passerelle_simulation"
    static let account = "passerelle_compte"
    static let csrf = "passerelle_csrf"

    static func value(_ value: String, expires: Date?, settings: AppSettings) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value, expires: expires, maxAge: nil, domain: nil, path: "/", isSecure: settings.publicURLIsHTTPS,
            isHTTPOnly: true, sameSite: .lax)
    }

    /// Tells the browser to forget `name`.
    static func expired(settings: AppSettings) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, domain: nil, path: "/", isSecure: settings.publicURLIsHTTPS,
            isHTTPOnly: true, sameSite: .lax)
    }
}

extension Request {
    /// The simulator session token the browser holds, if any.
    var simulationCookie: String? {
        cookies[BrowserCookies.simulation]?.string.nilIfEmpty
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// A browser for the pages' tests: keeps the cookies the server sets, asks for HTML, and fills a
/// form's CSRF token from the last page it read, as a browser submitting that page's form would.
final class TestBrowser: @unchecked Sendable {
    let app: Application
    private(set) var cookies: [String: String] = [:]
    private(set) var lastCSRF: String?

    init(_ app: Application) {
        self.app = app
    }

    struct Page {
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let body: String
        var location: String? { headers.first(name: .location) }
        /// The `Set-Cookie` header for `name`, as sent.
        func setCookie(_ name: String) -> String? {
            headers[.setCookie].first { $0.hasPrefix(name + "=") }
        }
    }

    /// Gives the browser a cookie, as if a page had set it (a simulation made through the API, say).
    func hold(_ name: String, _ value: String) {
        cookies[name] = value
    }

    @discardableResult
    func get(_ path: String) async throws -> Page {
        try await send(.GET, path, body: nil)
    }

    /// Posts `fields` (and, unless `csrf` is false, the token of the last page read).
    @discardableResult
    func post(_ path: String, _ fields: [(String, String)] = [], csrf: Bool = true) async throws -> Page {
        var all = fields
        if csrf, let token = lastCSRF { all.append((CSRF.field, token)) }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.POST, path, body: body)
    }

    private func send(_ method: HTTPMethod, _ path: String, body: String?) async throws -> Page {
        try await send(method, path, body: body.map { ByteBuffer(string: $0) }, contentType: body == nil ? nil : "application/x-www-form-urlencoded")
    }

    fileprivate func send(_ method: HTTPMethod, _ path: String, body: ByteBuffer?, contentType: String?) async throws -> Page {
        var headers: HTTPHeaders = ["Accept": "text/html,application/xhtml+xml,*/*;q=0.8"]
        if !cookies.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        if let contentType { headers.replaceOrAdd(name: .contentType, value: contentType) }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 || (parts.count == 1 && pair.hasSuffix("=")) else { continue }
            let value = parts.count == 2 ? parts[1] : ""
            if value.isEmpty { cookies[parts[0]] = nil } else { cookies[parts[0]] = value }
        }
        let text = response.body.string
        if let range = text.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression) {
            lastCSRF = String(text[range].dropFirst(#"name="csrf" value=""#.count).dropLast())
        }
        return Page(status: response.status, headers: response.headers, body: text)
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}

extension TestBrowser {
    /// Posts a file as a browser's `multipart/form-data` form does, with the last page's CSRF token.
    @discardableResult
    func upload(_ path: String, field: String, filename: String, bytes: [UInt8]) async throws -> Page {
        let boundary = "----passerelle-test-\(UUID().uuidString)"
        var body = ByteBuffer()
        if let token = lastCSRF {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(CSRF.field)\"\r\n\r\n\(token)\r\n")
        }
        body.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: text/csv\r\n\r\n")
        body.writeBytes(bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        return try await send(.POST, path, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }
}

import Crypto
import Foundation
import Vapor

/// The stylesheet and the small script of the pages, read once from the package's resources and
/// served by the app itself (no other origin), under a name that changes with their content so that
/// browsers may keep them.
struct Assets: Sendable {
    struct File: Sendable {
        let body: Data
        let contentType: HTTPMediaType
    }

    static let stylesheetPath = "/assets/passerelle-\(Assets.shared.version).css"
    static let scriptPath = "/assets/passerelle-\(Assets.shared.version).js"

    static let shared = Assets()

    let stylesheet: File
    let script: File
    let version: String

    private init() {
        func read(_ name: String, _ type: String) -> Data {
            guard let url = Bundle.module.url(forResource: name, withExtension: type, subdirectory: "assets"),
                let data = try? Data(contentsOf: url)
            else { fatalError("\(name).\(type) absent du paquet") }
            return data
        }
        let css = read("passerelle", "css")
        let js = read("passerelle", "js")
        stylesheet = File(body: css, contentType: HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"]))
        script = File(body: js, contentType: HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"]))
        version = SHA256.hash(data: css + js).prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    func response(_ file: File) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = file.contentType
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=31536000, immutable")
        return Response(status: .ok, headers: headers, body: .init(data: file.body))
    }
}

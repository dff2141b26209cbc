import Vapor

/// A page as the browser gets it: the shared layout around what `content` writes, with its
/// `<title>` and status. One `<h1>` per page, written by `content`.
struct Page {
    let title: String
    var status: HTTPResponseStatus = .ok
    let content: (inout HTMLWriter) -> Void

    func response(for request: Request) -> Response {
        var html = HTMLWriter()
        html.raw("<!doctype html>")
        html.element("html", [("lang", "fr")]) { html in
            html.element("head") { html in
                html.void("meta", [("charset", "utf-8")])
                html.void("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")])
                html.element("title", text: title + " — Passerelle")
                html.void("link", [("rel", "stylesheet"), ("href", Assets.stylesheetPath)])
                html.element("script", [("src", Assets.scriptPath), ("defer", "")]) { _ in }
            }
            html.element("body") { html in
                html.element("a", [("href", "#contenu"), ("class", "evitement")], text: "Aller au contenu")
                html.element("header", [("class", "bandeau")]) { html in
                    html.element("a", [("href", "/"), ("class", "marque")], text: "Passerelle")
                    html.element("span", [("class", "signature")], text: "Simulateur d'éligibilité aux dispositifs d'économies")
                    html.element("nav", [("aria-label", "Compte")]) { html in
                        if request.auth.get(Client.self)?.role == .operatorAccount {
                            html.element("a", [("href", "/operateur")], text: "Console")
                        } else if request.auth.has(Client.self) {
                            html.element("a", [("href", "/espace")], text: "Mon espace")
                        } else {
                            html.element("a", [("href", "/connexion")], text: "Se connecter")
                        }
                    }
                }
                html.element("main", [("id", "contenu"), ("tabindex", "-1")]) { html in content(&html) }
                html.element("footer", [("class", "pied")]) { html in
                    html.element("p", text: "Simulation gratuite et anonyme jusqu'à l'inscription. Les montants sont des estimations.")
                }
            }
        }
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(string: html.text))
    }
}

import Vapor

/// The console's pages: the site's layout with the console's own menu first, the current page marked.
enum ConsolePage {
    enum Section: String, CaseIterable {
        case dashboard = "/operateur"
        case migrations = "/operateur/migrations"
        case clients = "/operateur/clients"
        case sessions = "/operateur/sessions"
        case attach = "/operateur/rattacher"
        case batch = "/operateur/lots"
        case catalogue = "/operateur/catalogue"

        var label: String {
            switch self {
            case .dashboard: return "Tableau de bord"
            case .migrations: return "Migrations"
            case .clients: return "Clients"
            case .sessions: return "Sessions"
            case .attach: return "Rattacher"
            case .batch: return "Lot CSV"
            case .catalogue: return "Catalogue"
            }
        }
    }

    static func page(
        _ title: String, section: Section, status: HTTPResponseStatus = .ok, csrf: String, _ content: @escaping (inout HTMLWriter) -> Void
    ) -> Page {
        var page = Page(title: title + " — Console") { html in
            html.element("nav", [("class", "console"), ("aria-label", "Console des opérateurs")]) { html in
                html.element("ul") { html in
                    for item in Section.allCases {
                        html.element("li") { html in
                            html.element(
                                "a", [("href", item.rawValue), ("aria-current", item == section ? "page" : nil)], text: item.label)
                        }
                    }
                }
                FormFields.button("Se déconnecter", action: "/deconnexion", csrf: csrf, secondary: true, &html)
            }
            html.element("h1", text: title)
            content(&html)
        }
        page.status = status
        return page
    }
}

/// `/operateur/**`: a browser not signed in is sent to sign in; a client gets the 403 page.
struct OperatorOnlyMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let account = request.auth.get(Client.self) else { return request.redirect(to: "/connexion") }
        guard account.role == .operatorAccount else { throw AppError.operatorAreaOnly }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The signed-in operator (`OperatorOnlyMiddleware` let the request in).
    var consoleOperator: Client { auth.get(Client.self)! }
}

extension AppError {
    static let operatorAreaOnly = AppError(
        status: .forbidden, code: "OPERATOR_AREA_ONLY", message: "La console est réservée aux opérateurs de Passerelle.")
}

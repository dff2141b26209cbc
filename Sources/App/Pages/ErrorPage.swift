import Vapor

/// The error pages browsers get (the API answers its JSON envelope): what happened in French, never
/// an internal detail, and a way back.
enum ErrorPage {
    static func page(_ error: AppError) -> Page {
        let title: String
        switch error.status {
        case .notFound: title = "Page introuvable"
        case .gone: title = "Cette page n'existe plus"
        case .forbidden: title = "Action refusée"
        case .tooManyRequests: title = "Trop de demandes"
        case .methodNotAllowed: title = "Action impossible ici"
        default: title = error.status.code >= 500 ? "Le service rencontre un problème" : "Demande impossible"
        }
        let message: String
        switch error.status {
        case .notFound: message = "L'adresse demandée n'existe pas. Vérifiez-la, ou repartez de l'accueil."
        case let status where status.code >= 500 && error.code == AppError.internalError.code:
            message = "Une erreur s'est produite de notre côté ; rien n'a été enregistré. Réessayez dans quelques instants."
        default: message = error.message
        }
        var page = Page(title: title) { html in
            html.element("h1", text: title)
            html.element("p", text: message)
            html.element("p") { html in html.element("a", [("href", "/")], text: "Retour à l'accueil") }
        }
        page.status = error.status
        return page
    }
}

import Vapor

/// `/`: what the simulator does and for whom, what it asks, how long it takes, and the way in.
enum HomePage {
    static func page(csrf: String, resumable: Bool) -> Page {
        Page(title: "Votre entreprise peut-elle récupérer de l'argent ?") { html in
            html.element("h1", text: "Votre entreprise peut-elle récupérer de l'argent ?")
            html.element(
                "p",
                text: "En quelques minutes, le simulateur estime ce que votre entreprise peut récupérer ou cesser de payer en trop : "
                    + "remboursement d'accise sur le gazole (ex-TICPE), cotisations sociales (URSSAF, déduction forfaitaire spécifique, MSA), "
                    + "primes énergie (CEE), crédit d'impôt recherche et taxe foncière.")
            html.element("h2", text: "Comment ça marche")
            html.element("ul") { html in
                html.element(
                    "li", text: "Vous répondez à des questions simples sur votre activité ; seules celles qui vous concernent s'affichent.")
                html.element(
                    "li",
                    text: "Comptez 5 à 10 minutes. Vous pouvez revenir plus tard : vos réponses restent sur cet appareil pendant 7 jours.")
                html.element(
                    "li",
                    text:
                        "Pour chaque dispositif, vous voyez votre éligibilité, le montant estimé et le détail du calcul, avec ses sources.")
                html.element(
                    "li", text: "C'est gratuit et anonyme : nous ne vous demandons qui vous êtes que si vous souhaitez être accompagné.")
            }
            html.element("div", [("class", "actions")]) { html in
                FormFields.button(
                    resumable ? "Commencer une nouvelle simulation" : "Commencer la simulation", action: "/simulateur/commencer",
                    csrf: csrf, &html)
                if resumable {
                    html.element("a", [("href", "/simulateur"), ("class", "bouton bouton-second")], text: "Reprendre ma simulation")
                }
            }
        }
    }
}

/// A simulation that expired (or a cookie that no longer opens one): says so, and offers to start again.
enum ExpiredPage {
    static func page(csrf: String) -> Page {
        Page(title: "Votre simulation a expiré", status: .gone) { html in
            html.element("h1", text: "Votre simulation a expiré")
            html.element(
                "p",
                text:
                    "Une simulation reste disponible 7 jours après votre dernière réponse. Celle-ci ne l'est plus : ses réponses ont été effacées ou le seront bientôt."
            )
            FormFields.button("Commencer une nouvelle simulation", action: "/simulateur/commencer", csrf: csrf, &html)
        }
    }
}

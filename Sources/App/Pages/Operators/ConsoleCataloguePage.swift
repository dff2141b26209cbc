import Eligibility
import Foundation

/// `/operateur/catalogue`: the ruleset in force (version, content hash, when this server loaded it)
/// and each parameter's value today, the day it applies from and its source.
enum ConsoleCataloguePage {
    static func page(catalog: Catalog, loadedAt: Date?, today: Date, csrf: String) -> Page {
        ConsolePage.page("Catalogue des règles", section: .catalogue, csrf: csrf) { html in
            html.element("dl", [("class", "recapitulatif")]) { html in
                let rows: [(String, String)] = [
                    ("Version", catalog.ruleset.version), ("Empreinte (SHA-256)", catalog.ruleset.contentHash),
                    ("Chargé par ce serveur le", loadedAt.map(FrenchFormat.moment) ?? "—"),
                    ("Dispositifs", catalog.products.map(\.name).joined(separator: ", ")),
                    ("Questions", "\(catalog.questions.count)"),
                ]
                for (term, value) in rows {
                    html.element("div") { html in
                        html.element("dt", text: term)
                        html.element("dd") { html in
                            if term.hasPrefix("Empreinte") {
                                html.element("code", [("class", "empreinte")], text: value)
                            } else {
                                html.text(value)
                            }
                        }
                    }
                }
            }
            let day = CalendarDay(today)
            html.element("h2", text: "Paramètres en vigueur le \(FrenchFormat.day(day))")
            html.table(label: "Paramètres") { html in
                html.element("caption", text: "Paramètres du catalogue, valeur du jour")
                html.columnHeads(["Paramètre", "Valeur", "Depuis le", "Source", "À revoir le"], numeric: ["Valeur"])
                html.element("tbody") { html in
                    for parameter in catalog.parameters {
                        let value = parameter.value(on: day)
                        html.element("tr") { html in
                            html.element("th", [("scope", "row")]) { html in
                                html.text(parameter.label)
                                html.element("br", text: "")
                                html.element("code", text: parameter.name)
                            }
                            html.element(
                                "td", [("class", "nombre")],
                                text: value.map { FrenchFormat.figure($0.value) + " " + parameter.unit } ?? "aucune valeur ce jour")
                            html.element("td", text: value.map { FrenchFormat.day($0.from) } ?? "—")
                            html.element("td") { html in
                                if let source = value?.source {
                                    html.element("a", [("href", source.url)], text: source.title)
                                } else {
                                    html.text(value?.unsourced.map { "Sans source : " + $0 } ?? "—")
                                }
                            }
                            html.element("td", text: parameter.reviewBy.map(FrenchFormat.day) ?? "—")
                        }
                    }
                }
            }
        }
    }
}

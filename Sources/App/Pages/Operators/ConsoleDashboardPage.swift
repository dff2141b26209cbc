import Eligibility
import Foundation

/// `/operateur`: the period's funnel, products, days and migrations, each chart drawn by the server
/// with its figures in a table beside it. The figures are `passerelle stats --json`'s `period`.
struct ConsoleDashboardPage {
    let figures: PeriodStatsDTO
    /// 7, 30 or 90 when the period is one of those ending today; nil for dates chosen.
    let preset: Int?
    var errors: [String: String] = [:]
    var typed: (from: String, to: String) = ("", "")

    func page(catalog: Catalog, csrf: String) -> Page {
        ConsolePage.page("Tableau de bord", section: .dashboard, status: errors.isEmpty ? .ok : .unprocessableEntity, csrf: csrf) { html in
            periodChoice(&html)
            html.element("p", [("class", "aide"), ("role", "status")]) { html in
                html.text("Du \(FrenchFormat.day(day(figures.from))) au \(FrenchFormat.day(day(figures.to))) inclus (jours UTC). ")
                html.text(
                    "Le parcours compte les sessions commencées pendant la période, chacune une fois, telles qu'elles sont aujourd'hui.")
            }
            funnel(&html)
            products(catalog: catalog, &html)
            daily(&html)
            migrations(&html)
        }
    }

    private func periodChoice(_ html: inout HTMLWriter) {
        html.element("h2", text: "Période")
        html.element("ul", [("class", "periodes")]) { html in
            for days in [7, 30, 90] {
                html.element("li") { html in
                    html.element(
                        "a", [("href", "/operateur?jours=\(days)"), ("aria-current", preset == days ? "true" : nil)],
                        text: "\(days) derniers jours")
                }
            }
        }
        FormFields.errorSummary(
            "La période n'a pas pu être lue", ["du", "au"].compactMap { field in errors[field].map { (field, $0) } }, &html)
        html.element("form", [("method", "get"), ("action", "/operateur"), ("class", "filtres")]) { html in
            FormFields.input(
                .init(name: "du", label: "Du", type: "date", value: errors.isEmpty ? figures.from : typed.from, error: errors["du"]), &html)
            FormFields.input(
                .init(name: "au", label: "Au (inclus)", type: "date", value: errors.isEmpty ? figures.to : typed.to, error: errors["au"]),
                &html)
            html.element("button", [("type", "submit")], text: "Afficher")
        }
    }

    private func funnel(_ html: inout HTMLWriter) {
        html.element("h2", [("id", "parcours")], text: "Parcours des visiteurs")
        html.element("p", [("class", "total")]) { html in
            html.text("Taux de conversion (migrées ÷ terminées) : ")
            html.element("strong", text: FrenchFormat.figure(figures.conversionRate) + " %")
        }
        let steps: [(String, Int)] = [
            ("Commencées", figures.startedSessions), ("Terminées", figures.completedSessions),
            ("Migrées", figures.migratedSessions), ("dont nouveaux clients", figures.migratedNewClients),
            ("dont clients existants", figures.migratedExistingClients),
        ]
        html.element("div", [("class", "graphique-et-tableau")]) { html in
            ConsoleCharts.horizontalBars(
                title: "Parcours des visiteurs : sessions commencées, terminées, migrées ; les chiffres sont dans le tableau.",
                id: "graphique-parcours", bars: steps, &html)
            html.table(label: "Parcours des visiteurs") { html in
                html.element("caption", text: "Sessions de la période")
                html.columnHeads(
                    ["Étape", "Sessions", "Part des commencées"], numeric: ["Sessions", "Part des commencées"])
                html.element("tbody") { html in
                    for (label, count) in steps {
                        html.element("tr") { html in
                            html.element("th", [("scope", "row")], text: label)
                            html.element("td", [("class", "nombre")], text: "\(count)")
                            html.element(
                                "td", [("class", "nombre")],
                                text: FrenchFormat.figure(SessionMigrationStatistics.rate(count, figures.startedSessions)) + " %")
                        }
                    }
                }
            }
        }
    }

    private func products(catalog: Catalog, _ html: inout HTMLWriter) {
        html.element("h2", text: "Par dispositif")
        html.table(label: "Par dispositif") { html in
            html.element("caption", text: "Sessions terminées de la période, par dispositif")
            let counts = ["Éligible", "Potentiellement éligible", "Devenu produit d'un client"]
            html.columnHeads(["Dispositif"] + counts, numeric: Set(counts))
            html.element("tbody") { html in
                for product in figures.byProduct {
                    html.element("tr") { html in
                        html.element(
                            "th", [("scope", "row")],
                            text: catalog.products.first { $0.code == product.productCode }?.name ?? product.productCode)
                        html.element("td", [("class", "nombre")], text: "\(product.eligibleSessions)")
                        html.element("td", [("class", "nombre")], text: "\(product.potentiallyEligibleSessions)")
                        html.element("td", [("class", "nombre")], text: "\(product.clientProducts)")
                    }
                }
            }
        }
    }

    private func daily(_ html: inout HTMLWriter) {
        html.element("h2", text: "Jour par jour")
        ConsoleCharts.dailyBars(
            title: "Sessions commencées et migrées par jour ; les chiffres sont dans le tableau.", id: "graphique-jours",
            days: figures.byDay.map { ($0.date, $0.startedSessions, $0.migratedSessions) }, &html)
        html.element("p", [("class", "legende")]) { html in
            html.element("span", [("class", "puce puce-commencees"), ("aria-hidden", "true")]) { _ in }
            html.text(" commencées ")
            html.element("span", [("class", "puce puce-migrees"), ("aria-hidden", "true")]) { _ in }
            html.text(" migrées")
        }
        html.table(label: "Jour par jour") { html in
            html.element("caption", text: "Sessions par jour de création")
            html.columnHeads(["Jour", "Commencées", "Terminées", "Migrées"], numeric: ["Commencées", "Terminées", "Migrées"])
            html.element("tbody") { html in
                for day in figures.byDay.reversed() {
                    html.element("tr") { html in
                        html.element("th", [("scope", "row")], text: FrenchFormat.day(self.day(day.date)))
                        html.element("td", [("class", "nombre")], text: "\(day.startedSessions)")
                        html.element("td", [("class", "nombre")], text: "\(day.completedSessions)")
                        html.element("td", [("class", "nombre")], text: "\(day.migratedSessions)")
                    }
                }
            }
        }
    }

    private func migrations(_ html: inout HTMLWriter) {
        let figures = figures.migrations
        html.element("h2", text: "Rattachements de la période")
        html.element("dl", [("class", "recapitulatif")]) { html in
            func item(_ term: String, _ value: String) {
                html.element("div") { html in
                    html.element("dt", text: term)
                    html.element("dd", text: value)
                }
            }
            item("Sessions rattachées", "\(figures.migrations)")
            item("Produits rattachés", "\(figures.products)")
            item("Économies estimées rattachées", FrenchFormat.euros(figures.estimatedSavings))
            item(
                "Délai médian entre fin de simulation et rattachement",
                figures.medianSecondsToMigration.map(FrenchFormat.duration) ?? "aucun rattachement")
            item("95e centile de ce délai", figures.p95SecondsToMigration.map(FrenchFormat.duration) ?? "aucun rattachement")
            item("Refus (demande non recevable)", "\(figures.refused) (\(FrenchFormat.figure(figures.refusalRate)) % des tentatives)")
            item("Échecs (côté serveur)", "\(figures.failed) (taux d'erreur \(FrenchFormat.figure(figures.errorRate)) %)")
        }
        guard !figures.byCode.isEmpty else { return }
        html.table(label: "Refus et échecs par code") { html in
            html.element("caption", text: "Refus et échecs par code")
            html.columnHeads(["Code", "Nature", "Nombre"], numeric: ["Nombre"])
            html.element("tbody") { html in
                for refusal in figures.byCode {
                    html.element("tr") { html in
                        html.element("th", [("scope", "row")]) { html in html.element("code", text: refusal.errorCode) }
                        html.element("td", text: refusal.outcome == "failed" ? "échec" : "refus")
                        html.element("td", [("class", "nombre")], text: "\(refusal.count)")
                    }
                }
            }
        }
    }

    private func day(_ text: String) -> CalendarDay {
        CalendarDay(text) ?? CalendarDay(Date())
    }
}

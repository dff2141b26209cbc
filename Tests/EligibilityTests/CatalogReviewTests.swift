import Eligibility
import Foundation
import Testing

@Suite("Revue du catalogue (sources et dates de revue)")
struct CatalogReviewTests {
    @Test func shippedCatalogIsUpToDateAndRestsOnPrimarySources() throws {
        let review = catalog.review(on: CalendarDay("2026-12-07")!)
        #expect(!review.isPastDue, "\(review.overdue)")
        #expect(review.withoutPrimarySource.isEmpty, "\(review.withoutPrimarySource)")
        #expect(review.productsWithoutPrimarySource.isEmpty)
        // Market prices and statistics say why they have no source, and are listed as estimates.
        let unsourced = Set(review.unsourced.map(\.parameter))
        #expect(unsourced.isSuperset(of: ["cee_prix_eur_mwh_cumac", "foncier_probabilite_erreur_industriels"]))
        #expect(review.unsourced.allSatisfy { !$0.detail.isEmpty })
        // Figures that could not be read on the text they cite are listed, with what remains to confirm.
        let toConfirm = Set(review.unconfirmed.map(\.parameter))
        #expect(
            toConfirm.isSuperset(of: [
                "ticpe_remboursement_trm_idf_eur_hl", "ticpe_remboursement_trm_corse_eur_hl",
                "msa_ja_plafond_annee_1",
            ]))
        #expect(!toConfirm.contains("cir_taux"))
        #expect(review.report.contains("Valeurs à confirmer sur leur source : \(review.unconfirmed.count)"))
        #expect(review.report.contains("Résultat : aucun paramètre en retard de revue."))
    }

    @Test func everyParameterPastItsReviewDateIsListed() throws {
        let review = catalog.review(on: CalendarDay("2030-01-01")!)
        #expect(review.isPastDue)
        #expect(review.overdue.count == catalog.parameters.count)
        let rate = try #require(review.overdue.first { $0.parameter == "cir_taux" })
        #expect(rate.reviewBy == CalendarDay("2027-02-28"))
        #expect(review.report.contains("cir_taux"))
        #expect(review.report.contains("à revoir au plus tard le 2027-02-28"))
    }

    @Test func secondarySourceAloneIsReported() throws {
        let directory = try catalogWithFloorSource(
            #"        source: { title: "Un blog de transporteurs", url: "https://blog.example.com/taux" }"#)
        let review = try Catalog.load(from: directory).review(on: CalendarDay("2026-12-07")!)
        let finding = try #require(review.withoutPrimarySource.first)
        #expect(finding.parameter == "ticpe_plancher_trm_eur_hl" && finding.from == CalendarDay("2024-01-01"))
        #expect(finding.detail.contains("blog.example.com"))
        #expect(!review.isPastDue, "a secondary source is reported, not a failure")
    }

    @Test func productWithOnlySecondarySourcesIsReported() throws {
        let directory = try mutatedCatalog(
            "products/DFS.yaml",
            replacing: """
                  - title: "BOSS (Bulletin officiel de la sécurité sociale) — Frais professionnels : déduction forfaitaire spécifique, taux et calendrier de sortie progressive"
                    url: "https://boss.gouv.fr/portail/accueil/autres-elements-de-remuneration/frais-professionnels.html"

                """, with: "")
        let review = try Catalog.load(from: directory).review(on: CalendarDay("2026-12-07")!)
        #expect(review.productsWithoutPrimarySource == ["DFS"])
    }

    @Test func primarySourcesAreRecognisedByTheirHost() {
        func primary(_ url: String) -> Bool { SourceDefinition(title: "t", url: url).isPrimary }
        #expect(primary("https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000044603743"))
        #expect(primary("https://bofip.impots.gouv.fr/bofip/4678-PGP"))
        #expect(primary("https://cotesnormandes.msa.fr/lfp/installation/exoneration-jeune-agriculteur"))
        #expect(primary("https://www.centre-val-de-loire.developpement-durable.gouv.fr/page.html"))
        #expect(!primary("https://www.pleinchamp.com/actualite"))
        #expect(!primary("https://notlegifrance.gouv.fr/x"))
        #expect(!primary("https://legifrance.gouv.fr.example.com/x"))
        #expect(!primary("pas une adresse"))
    }
}

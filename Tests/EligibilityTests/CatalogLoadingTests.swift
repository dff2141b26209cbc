import Eligibility
import Foundation
import Testing

/// A copy of the shipped catalog in a temporary folder, changed by one edit.
func mutatedCatalog(
    _ file: String, replacing old: String, with new: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: Catalog.bundledDirectory, to: directory)
    let url = directory.appendingPathComponent(file)
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(text.contains(old), "the edit must apply to \(file)", sourceLocation: sourceLocation)
    try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
    return directory
}

/// The shipped catalog with the source of `ticpe_plancher_trm_eur_hl`'s value replaced by `lines`
/// (`parameters.yaml`'s indentation: the value's fields at eight spaces).
func catalogWithFloorSource(_ lines: String) throws -> URL {
    let value = "      - from: \"2024-01-01\"\n        value: 45.19\n"
    return try mutatedCatalog("parameters.yaml", replacing: value + "        source: *cibs_tarifs", with: value + lines)
}

func loadError(_ directory: URL, on day: CalendarDay? = nil) -> CatalogError? {
    do {
        _ = try Catalog.load(from: directory, requiringParametersOn: day)
        return nil
    } catch {
        return error
    }
}

@Suite("Chargement du catalogue")
struct CatalogLoadingTests {
    @Test func shippedCatalogLoads() throws {
        let loaded = try Catalog.bundled(requiringParametersOn: CalendarDay(Date()))
        #expect(Set(loaded.products.map(\.code)).isSuperset(of: ["TICPE", "URSSAF", "DFS", "FONCIER", "CEE", "CIR", "MSA"]))
        #expect(loaded.question(id: "GENERAL_001")?.options.count == 14)
        #expect(loaded.products.allSatisfy { !$0.sources.isEmpty })
        #expect(loaded.ruleset.version == "2026.12.1")
        #expect(loaded.ruleset.contentHash.count == 64)
    }

    @Test func rulesetHashIsStableAndFollowsContent() throws {
        let first = try Catalog.bundled().ruleset
        let second = try Catalog.bundled().ruleset
        #expect(first == second)
        let changed = try mutatedCatalog("parameters.yaml", replacing: "value: 15.56", with: "value: 15.57")
        let third = try Catalog.load(from: changed).ruleset
        #expect(third.version == first.version)
        #expect(third.contentHash != first.contentHash)
    }

    @Test func duplicateQuestionID() throws {
        let directory = try mutatedCatalog("questions.yaml", replacing: "- id: GENERAL_002", with: "- id: GENERAL_001")
        let error = try #require(loadError(directory))
        #expect(error.file == "questions.yaml")
        #expect(error.item == "GENERAL_001")
        #expect(error.message.contains("double"))
    }

    @Test func unknownQuestionInProductCondition() throws {
        let directory = try mutatedCatalog(
            "products/CIR.yaml", replacing: "{ question: CIR_004, equals: false }",
            with: "{ question: CIR_404, equals: false }")
        let error = try #require(loadError(directory))
        #expect(error.file == "products/CIR.yaml")
        #expect(error.item.contains("pas_encore_declare"))
        #expect(error.message.contains("CIR_404"))
    }

    @Test func optionThatDoesNotExist() throws {
        let directory = try mutatedCatalog(
            "products/TICPE.yaml", replacing: "{ question: TICPE_005, equals: plus_50000 }",
            with: "{ question: TICPE_005, equals: plus_60000 }")
        let error = try #require(loadError(directory))
        #expect(error.file == "products/TICPE.yaml")
        #expect(error.item.contains("litres_plus_50000"))
        #expect(error.message.contains("plus_60000"))
    }

    @Test func formulaThatDoesNotParse() throws {
        let directory = try mutatedCatalog(
            "products/CIR.yaml", replacing: #"formula: "base * cir_taux""#,
            with: #"formula: "base * (cir_taux""#)
        let error = try #require(loadError(directory))
        #expect(error.file == "products/CIR.yaml")
        #expect(error.item.contains("credit"))
        #expect(error.message.contains("parenthèse"))
    }

    @Test func unknownParameterInFormula() throws {
        let directory = try mutatedCatalog(
            "products/CIR.yaml", replacing: #"formula: "base * cir_taux""#,
            with: #"formula: "base * cir_taux_majore""#)
        let error = try #require(loadError(directory))
        #expect(error.item.contains("credit"))
        #expect(error.message.contains("cir_taux_majore"))
    }

    @Test func parameterWithoutValueAtDate() throws {
        let error = try #require(loadError(Catalog.bundledDirectory, on: CalendarDay("2023-06-01")))
        #expect(error.file == "parameters.yaml")
        #expect(error.message.contains("2023-06-01"))
    }

    @Test func parameterWithoutSource() throws {
        let error = try #require(loadError(try catalogWithFloorSource("        note: \"sans source\"")))
        #expect(error.item == "ticpe_plancher_trm_eur_hl")
        #expect(error.message.contains("source"))
    }

    @Test func parameterWithoutReviewDate() throws {
        let directory = try mutatedCatalog(
            "parameters.yaml",
            replacing: """
                    label: "Tarif réduit de l'accise sur le gazole, transport routier de marchandises"
                    unit: "€/hl"
                    review_by: "2027-02-28"
                """,
            with: """
                    label: "Tarif réduit de l'accise sur le gazole, transport routier de marchandises"
                    unit: "€/hl"
                """)
        let error = try #require(loadError(directory))
        #expect(error.file == "parameters.yaml")
        #expect(error.message.contains("review_by"))
    }

    @Test func secondarySourceCannotStandAlone() throws {
        let directory = try catalogWithFloorSource(
            """
                    unsourced: "essai"
                    also:
                      - { title: "Un blog", url: "https://example.com/blog" }
            """)
        let error = try #require(loadError(directory))
        #expect(error.item == "ticpe_plancher_trm_eur_hl")
        #expect(error.message.contains("ne la remplace pas"))
    }

    @Test func parameterReadOnADayWithoutValue() throws {
        let directory = try mutatedCatalog(
            "products/CIR.yaml", replacing: #""cir_forfait_fonctionnement@2025-02-14""#,
            with: #""cir_forfait_fonctionnement@2023-06-01""#)
        let error = try #require(loadError(directory))
        #expect(error.file == "products/CIR.yaml")
        #expect(error.item.contains("forfait_personnel"))
        #expect(error.message.contains("2023-06-01"))
    }

    @Test func onlyParametersAreReadOnADay() throws {
        let directory = try mutatedCatalog(
            "products/CIR.yaml", replacing: #"formula: "base * cir_taux""#,
            with: #"formula: "base@2025-01-01 * cir_taux""#)
        let error = try #require(loadError(directory))
        #expect(error.message.contains("seul un paramètre"))
        let badDay = try mutatedCatalog(
            "products/CIR.yaml", replacing: #"formula: "base * cir_taux""#,
            with: #"formula: "base * cir_taux@2025-13-01""#)
        #expect(try #require(loadError(badDay)).message.contains("date invalide"))
    }

    @Test func visibilityMayOnlyReadEarlierQuestions() throws {
        let directory = try mutatedCatalog(
            "questions.yaml", replacing: "visible_when: { question: CEE_001, not_equals: non }\n    options:\n      - { id: isolation",
            with: "visible_when: { question: CIR_001, not_equals: non }\n    options:\n      - { id: isolation")
        let error = try #require(loadError(directory))
        #expect(error.item == "CEE_002")
        #expect(error.message.contains("CIR_001"))
    }

    @Test func unknownYAMLFieldTypeNamesThePath() throws {
        let directory = try mutatedCatalog("questions.yaml", replacing: "    order: 2\n", with: "    order: deux\n")
        let error = try #require(loadError(directory))
        #expect(error.file == "questions.yaml")
        #expect(error.item.contains("order"))
    }

    @Test func operatorNotFitForQuestionType() throws {
        let directory = try mutatedCatalog(
            "products/TICPE.yaml", replacing: "{ question: TICPE_006, includes: gazole }",
            with: "{ question: TICPE_006, equals: gazole }")
        let error = try #require(loadError(directory))
        #expect(error.item.contains("gazole"))
        #expect(error.message.contains("TICPE_006"))
    }

    @Test func duplicateProductCode() throws {
        let directory = try mutatedCatalog("products/MSA.yaml", replacing: "code: MSA", with: "code: CIR")
        let error = try #require(loadError(directory))
        #expect(error.file == "products/MSA.yaml")
        #expect(error.message.contains("double"))
    }
}

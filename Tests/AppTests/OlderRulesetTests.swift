import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// A session completed under an earlier version of the rules keeps the results it was given: the current
/// server reads them as they were stored and migrates them, without evaluating them again.
@Suite("Résultats d'une version antérieure du catalogue")
struct OlderRulesetTests {
    /// The catalog as it was in version 2026.11.1 (`Fixtures/`), before the review against the law.
    static let olderCatalog = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/catalog-2026.11.1")

    /// The haulier's answers as that version asked them (it had no fleet, region or URSSAF evidence question).
    nonisolated(unsafe) static let olderAnswers = haulierAnswers.filter { !["TICPE_017", "TICPE_018", "URSSAF_002"].contains($0.key) }

    @Test(arguments: TestDatabase.all)
    func resultsOfAnOlderRulesetStillReadAndMigrate(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock, settings: { $0.catalogPath = Self.olderCatalog.path }) { older in
            // Given a session completed by a server running the older rules…
            #expect(older.catalog.ruleset.version == "2026.11.1")
            let token = try await older.newSession()
            let put = try await older.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": Self.olderAnswers])
            #expect(put.status == .ok)
            #expect(try await older.send(.POST, "/api/simulator/sessions/\(token)/complete").status == .ok)
            let stored = try await older.send(.GET, "/api/simulator/sessions/\(token)/results")
            let olderVersion = try stored.decode(ResultsDTO.self).rulesetVersion
            #expect(olderVersion.hasPrefix("2026.11.1+"))

            // …when today's server starts on the same database with the current rules…
            var settings = older.settings
            settings.catalogPath = nil
            let current = try await Application.make(.testing)
            do {
                try await configure(current, settings: settings, clock: clock)
                #expect(current.catalog.ruleset.version != "2026.11.1")

                // …the results read as they were given, under their own version…
                let read = try await current.send(.GET, "/api/simulator/sessions/\(token)/results")
                #expect(read.status == .ok)
                let results = try read.decode(ResultsDTO.self)
                #expect(results.rulesetVersion == olderVersion)
                let ticpe = try #require(results.results.first { $0.productCode == "TICPE" })
                // 50 000 L × 15,56 €/hl ÷ 100 under the older rules' formula (no fleet check, no region).
                #expect(ticpe.estimatedSavings == 7780)
                let foncier = try #require(results.results.first { $0.productCode == "FONCIER" })
                // The older rules counted the amount if an error is found (12 000 × 10 % × 2), not an expectation.
                #expect(foncier.estimatedSavings == 2400)

                // …and the session migrates with them.
                let (clientID, _) = try await current.signUp(token: token)
                let simulation = try #require(try await Simulation.query(on: current.db).filter(\.$client.$id == clientID).first())
                #expect(simulation.rulesetVersion == olderVersion)
                let attached = try await ClientProduitEligible.query(on: current.db).filter(\.$client.$id == clientID).all()
                #expect(attached.count == 4)
                #expect(attached.allSatisfy { $0.metadata.rulesetVersion == olderVersion })
            } catch {
                try? await current.asyncShutdown()
                throw error
            }
            try await current.asyncShutdown()
        }
    }
}

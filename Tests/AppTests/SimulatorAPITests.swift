import Fluent
import Foundation
import Testing
import Vapor

@testable import App

@Suite("API du simulateur")
struct SimulatorAPITests {
    @Test(arguments: TestDatabase.all)
    func createSessionGivesTokenOnceAndStoresOnlyItsHash(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let response = try await app.send(.POST, "/api/simulator/sessions")
            #expect(response.status == .created)
            let token = try #require(response["session_token"] as? String)
            #expect(token.count == 43)
            #expect(response["status"] as? String == "in_progress")
            #expect(response["expires_at"] as? String == "2026-03-09T10:00:00Z")
            #expect((response["ruleset_version"] as? String)?.hasPrefix("2026.12.1+") == true)
            let sessions = try await TemporarySession.query(on: app.db).all()
            #expect(sessions.count == 1)
            #expect(sessions.first?.tokenHash == SecretToken.hash(token))
            #expect(sessions.first?.tokenHash != token)
            let other = try await app.send(.POST, "/api/simulator/sessions")
            #expect(other["session_token"] as? String != token)
        }
    }

    @Test(arguments: TestDatabase.all)
    func questionnaireListsEveryQuestionWithConditions(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let response = try await app.send(.GET, "/api/simulator/questions")
            #expect(response.status == .ok)
            let questions = try #require(response["questions"] as? [[String: Any]])
            #expect(questions.count == app.catalog.questions.count)
            let sector = try #require(questions.first { $0["id"] as? String == "GENERAL_001" })
            #expect((sector["options"] as? [[String: Any]])?.count == 14)
            let trucks = try #require(questions.first { $0["id"] as? String == "TICPE_002" })
            let condition = try #require(trucks["visible_when"] as? [String: Any])
            #expect(condition["question"] as? String == "TICPE_001")
            #expect(condition["equals"] as? Bool == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func unknownTokenIsNotFound(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for path in ["/api/simulator/sessions/unknown-token-0123456789abcdef", "/api/simulator/sessions/x"] {
                let response = try await app.send(.GET, path)
                #expect(response.status == .notFound)
                #expect(response["success"] as? Bool == false)
                #expect(response.errorCode == "SESSION_NOT_FOUND")
                #expect((response["error"] as? String)?.isEmpty == false)
            }
            let put = try await app.send(
                .PUT, "/api/simulator/sessions/unknown-token-0123456789abcdef/answers",
                json: #"{"answers": {"GENERAL_001": "btp"}}"#)
            #expect(put.status == .notFound)
            #expect(try await TemporaryResponse.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func answersAreSavedAndShapeTheQuestionnaire(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.newSession()
            let response = try await app.send(
                .PUT, "/api/simulator/sessions/\(token)/answers",
                object: ["answers": ["GENERAL_001": "transport_marchandises", "TICPE_001": true]])
            #expect(response.status == .ok)
            let visible = try #require(response["visible_questions"] as? [String])
            #expect(visible.contains("TICPE_003"))
            #expect(!visible.contains("MSA_001"))
            #expect((response["missing_required"] as? [String])?.contains("TICPE_003") == true)
            let next = try #require(response["next_questions"] as? [String])
            #expect(next.contains("GENERAL_003") && next.contains("TICPE_003"))
            #expect(!next.contains("GENERAL_001") && !next.contains("TICPE_001"), "answered questions are not asked again")
            #expect((response["answers"] as? [String: Any])?["TICPE_001"] as? Bool == true)
            #expect(try await TemporaryResponse.query(on: app.db).count() == 2)

            // Upsert: the same question again replaces its answer.
            _ = try await app.send(
                .PUT, "/api/simulator/sessions/\(token)/answers",
                object: ["answers": ["GENERAL_001": "btp"]])
            #expect(try await TemporaryResponse.query(on: app.db).count() == 2)
            let state = try await app.send(.GET, "/api/simulator/sessions/\(token)")
            #expect(state.status == .ok)
            #expect((state["answers"] as? [String: Any])?["GENERAL_001"] as? String == "btp")

            // null removes an answer.
            let removed = try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", json: #"{"answers": {"TICPE_001": null}}"#)
            #expect(removed.status == .ok)
            #expect((removed["answers"] as? [String: Any])?["TICPE_001"] == nil)
            #expect(try await TemporaryResponse.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func badAnswersAreRefusedWithDetailsAndNothingIsWritten(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.newSession()
            _ = try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": ["GENERAL_002": "moins_100k"]])
            let response = try await app.send(
                .PUT, "/api/simulator/sessions/\(token)/answers",
                object: [
                    "answers": [
                        "GENERAL_001": "boulangerie", "GENERAL_003": 4, "TICPE_001": "oui", "DFS_001": 2.5, "NOPE_001": "x",
                        "GENERAL_004": "oui",
                    ] as [String: Any]
                ])
            #expect(response.status == .unprocessableEntity)
            #expect(response.errorCode == "VALIDATION_FAILED")
            let details = try #require(response["details"] as? [[String: Any]])
            let byField = Dictionary(uniqueKeysWithValues: details.map { ($0["field"] as! String, $0["code"] as! String) })
            #expect(
                byField == [
                    "GENERAL_001": "unknown_option", "GENERAL_003": "wrong_type", "TICPE_001": "wrong_type",
                    "DFS_001": "not_integer", "NOPE_001": "unknown_question",
                ])
            #expect(details.allSatisfy { ($0["message"] as? String)?.isEmpty == false })
            // The valid answer in the same request was not written either.
            let rows = try await TemporaryResponse.query(on: app.db).all()
            #expect(rows.map(\.questionID) == ["GENERAL_002"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func malformedBodiesAreClientErrors(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.newSession()
            let path = "/api/simulator/sessions/\(token)/answers"
            for body in [
                #"{"answers": "#, #"{"answers": ["GENERAL_001"]}"#, #"{"reponses": {}}"#, "[]", "null",
                #"{"answers": {"GENERAL_001": {"a": 1}}}"#,
            ] {
                let response = try await app.send(.PUT, path, json: body)
                #expect(response.status == .badRequest, "body \(body)")
                #expect(response["success"] as? Bool == false)
                #expect(response.errorCode == "INVALID_JSON" || response.errorCode == "BAD_REQUEST", "body \(body)")
            }
            let text = try await app.send(.PUT, path, json: nil, headers: ["Content-Type": "text/plain"])
            #expect(text.status.code >= 400 && text.status.code < 500)
            #expect(try await TemporaryResponse.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func completeComputesEveryProductAndResultsCanBeRead(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.newSession()
            let early = try await app.send(.POST, "/api/simulator/sessions/\(token)/complete")
            #expect(early.status == .unprocessableEntity)
            #expect(early.errorCode == "MISSING_REQUIRED_ANSWERS")
            let missing = try #require(early["details"] as? [[String: Any]]).map { $0["field"] as? String }
            #expect(missing.contains("GENERAL_001"))
            #expect(try await TemporaryEligibility.query(on: app.db).count() == 0)

            let notYet = try await app.send(.GET, "/api/simulator/sessions/\(token)/results")
            #expect(notYet.status == .conflict)
            #expect(notYet.errorCode == "SESSION_NOT_COMPLETED")

            _ = try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": haulierAnswers])
            let done = try await app.send(.POST, "/api/simulator/sessions/\(token)/complete")
            #expect(done.status == .ok)
            #expect(done["status"] as? String == "completed")
            #expect(done["evaluated_on"] as? String == "2026-03-02")
            let results = try #require(done["results"] as? [[String: Any]])
            #expect(results.count == 7)
            let ticpe = try #require(results.first { $0["product_code"] as? String == "TICPE" })
            #expect(ticpe["status"] as? String == "eligible")
            #expect(ticpe["score"] as? Int == 100)
            #expect(ticpe["estimated_savings"] as? Double == 7780)
            #expect((ticpe["calculation_details"] as? [String: Any])?["savings"] != nil)
            // TICPE 7 780 + FONCIER 1 008 (expected value of 2 400 if an error is found, × 42 %)
            #expect(done["total_estimated_savings"] as? Double == 8788.0)

            let rows = try await TemporaryEligibility.query(on: app.db).all()
            #expect(rows.count == 7)
            #expect(rows.first { $0.productCode == "FONCIER" }?.estimatedSavings == 1008)
            let session = try #require(try await TemporarySession.query(on: app.db).first())
            #expect(session.status == .completed)
            #expect(session.rulesetVersion == app.catalog.ruleset.identifier)

            let read = try await app.send(.GET, "/api/simulator/sessions/\(token)/results")
            #expect(read.status == .ok)
            #expect(
                (read["results"] as? [[String: Any]])?.map { $0["product_code"] as? String }
                    == results.map { $0["product_code"] as? String })
            #expect(read["total_estimated_savings"] as? Double == done["total_estimated_savings"] as? Double)
        }
    }

    @Test(arguments: TestDatabase.all)
    func changingAnswersReopensAndRecompletingReplacesResults(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.newSession()
            _ = try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": haulierAnswers])
            _ = try await app.send(.POST, "/api/simulator/sessions/\(token)/complete")
            let changed = try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": ["FONCIER_001": 5000]])
            #expect(changed["status"] as? String == "in_progress")
            let reopened = try await app.send(.GET, "/api/simulator/sessions/\(token)/results")
            #expect(reopened.status == .conflict)
            let again = try await app.send(.POST, "/api/simulator/sessions/\(token)/complete")
            #expect(again.status == .ok)
            let rows = try await TemporaryEligibility.query(on: app.db).all()
            #expect(rows.count == 7)
            // 5 000 × 10 % × 2 = 1 000 if an error is found, × 42 % = 420
            #expect(rows.first { $0.productCode == "FONCIER" }?.estimatedSavings == 420)
        }
    }

    @Test(arguments: TestDatabase.all)
    func abandonedSessionRefusesWrites(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.newSession()
            let response = try await app.send(.POST, "/api/simulator/sessions/\(token)/abandon", object: ["reason": "trop long"])
            #expect(response.status == .ok)
            #expect(response["status"] as? String == "abandoned")
            let session = try #require(try await TemporarySession.query(on: app.db).first())
            #expect(session.abandonReason == "trop long")
            #expect(session.abandonedAt == testStart)
            let put = try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": ["GENERAL_001": "btp"]])
            #expect(put.status == .conflict)
            #expect(put.errorCode == "SESSION_ABANDONED")
            #expect(try await TemporaryResponse.query(on: app.db).count() == 0)
            let complete = try await app.send(.POST, "/api/simulator/sessions/\(token)/complete")
            #expect(complete.errorCode == "SESSION_ABANDONED")
            // Without a body, abandon works too.
            let other = try await app.newSession()
            #expect(try await app.send(.POST, "/api/simulator/sessions/\(other)/abandon").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func sessionExpiresAfterItsLifetimeWithoutActivity(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock) { app in
            let token = try await app.newSession()
            clock.advance(by: 6 * 24 * 3600)
            // Activity pushes the expiry back.
            let put = try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": haulierAnswers])
            #expect(put.status == .ok)
            #expect(put["expires_at"] as? String == "2026-03-15T10:00:00Z")
            clock.advance(by: 7 * 24 * 3600 + 1)
            for (method, path) in [(HTTPMethod.GET, ""), (.POST, "/complete"), (.GET, "/results")] {
                let response = try await app.send(method, "/api/simulator/sessions/\(token)\(path)")
                #expect(response.status == .gone, "\(method) \(path)")
                #expect(response.errorCode == "SESSION_EXPIRED")
            }
            let write = try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": ["GENERAL_001": "btp"]])
            #expect(write.status == .gone)
            #expect(try await TemporaryEligibility.query(on: app.db).count() == 0)
            #expect(
                try await TemporaryResponse.query(on: app.db).filter(\.$questionID == "GENERAL_001").first()?.responseValue.value
                    == .text("transport_marchandises"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func lifetimeIsConfigurable(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock, settings: { $0.sessionLifetime = 3600 }) { app in
            let token = try await app.newSession()
            clock.advance(by: 3601)
            #expect(try await app.send(.GET, "/api/simulator/sessions/\(token)").status == .gone)
        }
    }

    @Test(arguments: TestDatabase.all)
    func parallelAnswersToOneSessionAllLand(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.newSession()
            let bodies: [String] = try haulierAnswers.map { id, value in
                String(decoding: try JSONSerialization.data(withJSONObject: ["answers": [id: value]]), as: UTF8.self)
            }
            // Eight requests in flight at a time, each answer sent twice. All 54 at once only measured
            // how long the last one queues for a connection behind the session's lock, past the pool's
            // 30 s on a loaded machine.
            try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for (index, body) in (bodies + bodies).enumerated() {
                    if index >= 8, let status = try await group.next() { #expect(status == .ok) }
                    group.addTask {
                        try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", json: body).status
                    }
                }
                for try await status in group { #expect(status == .ok) }
            }
            #expect(try await TemporaryResponse.query(on: app.db).count() == haulierAnswers.count)
            #expect(try await app.send(.POST, "/api/simulator/sessions/\(token)/complete").status == .ok)
        }
    }
}

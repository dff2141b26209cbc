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
            // When a visitor opens a session
            let response = try await app.send(.POST, "/api/simulator/sessions")

            // Then they get a long token, once, and the database keeps only its hash
            #expect(response.status == .created)
            let created = try response.decode(SessionCreatedDTO.self)
            #expect(created.sessionToken.count == 43)
            #expect(created.status == .inProgress)
            #expect(created.expiresAt == testStart.addingTimeInterval(7 * 86_400))
            #expect(created.rulesetVersion.hasPrefix("2026.12.1+"))
            let sessions = try await TemporarySession.query(on: app.db).all()
            #expect(sessions.count == 1)
            #expect(sessions.first?.tokenHash == SecretToken.hash(created.sessionToken))
            #expect(sessions.first?.tokenHash != created.sessionToken)

            // And another visitor gets another token
            let other = try await app.send(.POST, "/api/simulator/sessions").decode(SessionCreatedDTO.self)
            #expect(other.sessionToken != created.sessionToken)
        }
    }

    @Test(arguments: TestDatabase.all)
    func questionnaireListsEveryQuestionWithConditions(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // When the questionnaire is asked for
            let response = try await app.send(.GET, "/api/simulator/questions")

            // Then every question comes with its options and the condition that shows it
            #expect(response.status == .ok)
            let questions = try response.decode(QuestionnaireDTO.self).questions
            #expect(questions.count == app.catalog.questions.count)
            #expect(questions.first { $0.id == "GENERAL_001" }?.options.count == 14)
            let trucks = try #require(questions.first { $0.id == "TICPE_002" })
            guard case .test(let question, .equals(let value))? = trucks.visibleWhen else {
                Issue.record("TICPE_002 is shown by a test on one answer: \(String(describing: trucks.visibleWhen))")
                return
            }
            #expect(question == "TICPE_001")
            #expect("\(value)".contains("true"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func unknownTokenIsNotFound(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            for path in ["/api/simulator/sessions/unknown-token-0123456789abcdef", "/api/simulator/sessions/x"] {
                // When a token no session has is used
                let response = try await app.send(.GET, path)

                // Then 404 with the error envelope, and nothing is written
                #expect(response.status == .notFound)
                let failure = try response.failure()
                #expect(!failure.success)
                #expect(failure.errorCode == "SESSION_NOT_FOUND")
                #expect(!failure.error.isEmpty)
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
            // Given a session
            let token = try await app.newSession()

            // When a haulier says they use fuel
            let response = try await app.send(
                .PUT, "/api/simulator/sessions/\(token)/answers",
                object: ["answers": ["GENERAL_001": "transport_marchandises", "TICPE_001": true]])

            // Then the fuel questions appear, the farm's do not, and answered questions are not asked again
            #expect(response.status == .ok)
            let shaped = try response.decode(SessionStateDTO.self)
            #expect(shaped.visibleQuestions.contains("TICPE_003"))
            #expect(!shaped.visibleQuestions.contains("MSA_001"))
            #expect(shaped.missingRequired.contains("TICPE_003"))
            #expect(shaped.nextQuestions.contains("GENERAL_003") && shaped.nextQuestions.contains("TICPE_003"))
            #expect(!shaped.nextQuestions.contains("GENERAL_001") && !shaped.nextQuestions.contains("TICPE_001"))
            #expect(shaped.answers["TICPE_001"] == .bool(true))
            #expect(try await TemporaryResponse.query(on: app.db).count() == 2)

            // When the same question is answered again, then its answer is replaced
            _ = try await app.send(
                .PUT, "/api/simulator/sessions/\(token)/answers",
                object: ["answers": ["GENERAL_001": "btp"]])
            #expect(try await TemporaryResponse.query(on: app.db).count() == 2)
            let state = try await app.send(.GET, "/api/simulator/sessions/\(token)")
            #expect(state.status == .ok)
            #expect(try state.decode(SessionStateDTO.self).answers["GENERAL_001"] == .text("btp"))

            // When an answer is sent as null, then it is removed
            let removed = try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", json: #"{"answers": {"TICPE_001": null}}"#)
            #expect(removed.status == .ok)
            #expect(try removed.decode(SessionStateDTO.self).answers["TICPE_001"] == nil)
            #expect(try await TemporaryResponse.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func badAnswersAreRefusedWithDetailsAndNothingIsWritten(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // Given a session with one answer
            let token = try await app.newSession()
            _ = try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": ["GENERAL_002": "moins_100k"]])

            // When answers of every wrong kind come with a valid one
            let response = try await app.send(
                .PUT, "/api/simulator/sessions/\(token)/answers",
                object: [
                    "answers": [
                        "GENERAL_001": "boulangerie", "GENERAL_003": 4, "TICPE_001": "oui", "DFS_001": 2.5, "NOPE_001": "x",
                        "GENERAL_004": "oui",
                    ] as [String: Any]
                ])
            // Then 422 names each field with its code and a French message, and nothing is written
            #expect(response.status == .unprocessableEntity)
            let failure = try response.failure()
            #expect(failure.errorCode == "VALIDATION_FAILED")
            let details = try #require(failure.details)
            let byField = Dictionary(uniqueKeysWithValues: details.map { ($0.field, $0.code) })
            #expect(
                byField == [
                    "GENERAL_001": "unknown_option", "GENERAL_003": "wrong_type", "TICPE_001": "wrong_type",
                    "DFS_001": "not_integer", "NOPE_001": "unknown_question",
                ])
            #expect(details.allSatisfy { !$0.message.isEmpty })
            // Not even the valid answer of the same request
            let rows = try await TemporaryResponse.query(on: app.db).all()
            #expect(rows.map(\.questionID) == ["GENERAL_002"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func malformedBodiesAreClientErrors(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // Given a session, when bodies that are not the expected JSON are sent, then each is 400
            let token = try await app.newSession()
            let path = "/api/simulator/sessions/\(token)/answers"
            for body in [
                #"{"answers": "#, #"{"answers": ["GENERAL_001"]}"#, #"{"reponses": {}}"#, "[]", "null",
                #"{"answers": {"GENERAL_001": {"a": 1}}}"#,
            ] {
                let response = try await app.send(.PUT, path, json: body)
                #expect(response.status == .badRequest, "body \(body)")
                let failure = try response.failure()
                #expect(!failure.success)
                #expect(failure.errorCode == "INVALID_JSON" || failure.errorCode == "BAD_REQUEST", "body \(body)")
            }
            let text = try await app.send(.PUT, path, json: nil, headers: ["Content-Type": "text/plain"])
            #expect(text.status.code >= 400 && text.status.code < 500)
            #expect(try await TemporaryResponse.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func completeComputesEveryProductAndResultsCanBeRead(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // Given a session without answers, when it is completed, then 422 lists what is missing
            let token = try await app.newSession()
            let early = try await app.send(.POST, "/api/simulator/sessions/\(token)/complete")
            #expect(early.status == .unprocessableEntity)
            #expect(try early.failure().errorCode == "MISSING_REQUIRED_ANSWERS")
            #expect(try early.failure().details?.map(\.field).contains("GENERAL_001") == true)
            #expect(try await TemporaryEligibility.query(on: app.db).count() == 0)

            let notYet = try await app.send(.GET, "/api/simulator/sessions/\(token)/results")
            #expect(notYet.status == .conflict)
            #expect(notYet.errorCode == "SESSION_NOT_COMPLETED")

            // When the haulier's answers are given and the session completed
            _ = try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": haulierAnswers])
            let done = try await app.send(.POST, "/api/simulator/sessions/\(token)/complete")

            // Then every product has a result, stored, with its trace
            #expect(done.status == .ok)
            let completed = try done.decode(ResultsDTO.self)
            #expect(completed.status == .completed)
            #expect(completed.evaluatedOn == "2026-03-02")
            #expect(completed.results.count == 7)
            let ticpe = try #require(completed.results.first { $0.productCode == "TICPE" })
            #expect(ticpe.status == "eligible")
            #expect(ticpe.score == 100)
            #expect(ticpe.estimatedSavings == 7780)
            #expect(ticpe.calculationDetails.savings.estimated)
            // TICPE 7 780 + FONCIER 1 008 (expected value of 2 400 if an error is found, × 42 %)
            #expect(completed.totalEstimatedSavings == 8788.0)

            let rows = try await TemporaryEligibility.query(on: app.db).all()
            #expect(rows.count == 7)
            #expect(rows.first { $0.productCode == "FONCIER" }?.estimatedSavings == 1008)
            let session = try #require(try await TemporarySession.query(on: app.db).first())
            #expect(session.status == .completed)
            #expect(session.rulesetVersion == app.catalog.ruleset.identifier)

            // And reading them again gives the same
            let read = try await app.send(.GET, "/api/simulator/sessions/\(token)/results")
            #expect(read.status == .ok)
            let stored = try read.decode(ResultsDTO.self)
            #expect(stored.results == completed.results)
            #expect(stored.totalEstimatedSavings == completed.totalEstimatedSavings)
        }
    }

    @Test(arguments: TestDatabase.all)
    func changingAnswersReopensAndRecompletingReplacesResults(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            // Given a completed session
            let token = try await app.completedSession()

            // When an answer changes, then the session is reopened and its results withheld
            let changed = try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": ["FONCIER_001": 5000]])
            #expect(try changed.decode(SessionStateDTO.self).status == .inProgress)
            let reopened = try await app.send(.GET, "/api/simulator/sessions/\(token)/results")
            #expect(reopened.status == .conflict)
            // When it is completed again, then its results are replaced
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
            // Given a session, when the visitor abandons it with a reason
            let token = try await app.newSession()
            let response = try await app.send(.POST, "/api/simulator/sessions/\(token)/abandon", object: ["reason": "trop long"])

            // Then it is abandoned with that reason, and refuses any write
            #expect(response.status == .ok)
            #expect(try response.decode(SessionStateDTO.self).status == .abandoned)
            let session = try #require(try await TemporarySession.query(on: app.db).first())
            #expect(session.abandonReason == "trop long")
            #expect(session.abandonedAt == testStart)
            let put = try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": ["GENERAL_001": "btp"]])
            #expect(put.status == .conflict)
            #expect(try put.failure().errorCode == "SESSION_ABANDONED")
            #expect(try await TemporaryResponse.query(on: app.db).count() == 0)
            let complete = try await app.send(.POST, "/api/simulator/sessions/\(token)/complete")
            #expect(try complete.failure().errorCode == "SESSION_ABANDONED")
            // Without a body, abandon works too.
            let other = try await app.newSession()
            #expect(try await app.send(.POST, "/api/simulator/sessions/\(other)/abandon").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func sessionExpiresAfterItsLifetimeWithoutActivity(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock) { app in
            // Given a session answered six days after it opened: activity pushes the expiry back
            let token = try await app.newSession()
            clock.advance(by: 6 * 24 * 3600)
            let put = try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", object: ["answers": haulierAnswers])
            #expect(put.status == .ok)
            #expect(try put.decode(SessionStateDTO.self).expiresAt == testStart.addingTimeInterval(13 * 86_400))

            // When a week and a second pass without activity, then every route says it expired, and nothing is written
            clock.advance(by: 7 * 24 * 3600 + 1)
            for (method, path) in [(HTTPMethod.GET, ""), (.POST, "/complete"), (.GET, "/results")] {
                let response = try await app.send(method, "/api/simulator/sessions/\(token)\(path)")
                #expect(response.status == .gone, "\(method) \(path)")
                #expect(try response.failure().errorCode == "SESSION_EXPIRED")
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
            // Given sessions that live an hour, when one is left an hour and a second, then it expired
            let token = try await app.newSession()
            clock.advance(by: 3601)
            #expect(try await app.send(.GET, "/api/simulator/sessions/\(token)").status == .gone)
        }
    }

    @Test(arguments: TestDatabase.all)
    func parallelAnswersToOneSessionAllLand(_ database: TestDatabase) async throws {
        // What is asserted is that no answer is lost or refused for contention, not how fast they
        // queue behind the session's lock: the pool waits as long as a loaded machine needs.
        try await withTestApp(database, settings: { $0.databasePoolTimeoutMilliseconds = 180_000 }) { app in
            // Given a session, when every answer is sent twice, eight requests at a time, then all land
            let token = try await app.newSession()
            let bodies: [String] = try haulierAnswers.map { id, value in
                String(decoding: try JSONSerialization.data(withJSONObject: ["answers": [id: value]]), as: UTF8.self)
            }
            try await withThrowingTaskGroup(of: JSONResponse.self) { group in
                for (index, body) in (bodies + bodies).enumerated() {
                    if index >= 8, let response = try await group.next() {
                        #expect(response.status == .ok, "\(response.errorCode ?? response.body)")
                    }
                    group.addTask {
                        try await app.send(.PUT, "/api/simulator/sessions/\(token)/answers", json: body)
                    }
                }
                for try await response in group { #expect(response.status == .ok, "\(response.errorCode ?? response.body)") }
            }
            #expect(try await TemporaryResponse.query(on: app.db).count() == haulierAnswers.count)
            #expect(try await app.send(.POST, "/api/simulator/sessions/\(token)/complete").status == .ok)
        }
    }
}

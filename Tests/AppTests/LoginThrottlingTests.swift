import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor

@testable import App

/// `POST /api/auth/login` after failed attempts: guesses are slowed down per address, known or not,
/// and the address is never kept in clear.
@Suite struct LoginThrottlingTests {
    private static let password = "motdepasse2026"

    @Test(arguments: TestDatabase.all)
    func fiveFailuresCloseTheAddressForAMinuteThenTwo(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock) { app in
            _ = try await app.signUp(token: try await app.completedSession(), email: "jeanne@example.fr")
            _ = try await app.signUp(token: try await app.completedSession(), email: "voisine@example.fr")
            func attempt(_ email: String, _ password: String) async throws -> JSONResponse {
                try await app.send(.POST, "/api/auth/login", object: ["email": email, "password": password])
            }

            for _ in 1...5 { #expect(try await attempt("jeanne@example.fr", "devine-0000").status == .unauthorized) }
            // Closed: even the right password is refused, so a guess learns nothing.
            for password in [Self.password, "devine-0001"] {
                let closed = try await attempt("Jeanne@Example.fr ", password)
                #expect(closed.status == .tooManyRequests)
                #expect(closed.errorCode == "TOO_MANY_LOGIN_ATTEMPTS")
                #expect(closed.headers.first(name: "Retry-After") == "60")
                #expect(try closed.failure().error.contains("réessayez dans 1 minute"))
            }
            // Another account is not concerned.
            #expect(try await attempt("voisine@example.fr", Self.password).status == .ok)

            clock.advance(by: 30)
            #expect(try await attempt("jeanne@example.fr", Self.password).headers.first(name: "Retry-After") == "30")
            clock.advance(by: 31)
            // Open again; one more failure closes it for twice as long.
            #expect(try await attempt("jeanne@example.fr", "devine-0002").status == .unauthorized)
            let longer = try await attempt("jeanne@example.fr", Self.password)
            #expect(longer.status == .tooManyRequests)
            #expect(longer.headers.first(name: "Retry-After") == "120")
            #expect(try longer.failure().error.contains("réessayez dans 2 minutes"))

            // A success starts the count again: five more failures before the next closing.
            clock.advance(by: 121)
            #expect(try await attempt("jeanne@example.fr", Self.password).status == .ok)
            for _ in 1...5 { #expect(try await attempt("jeanne@example.fr", "devine-0003").status == .unauthorized) }
            #expect(try await attempt("jeanne@example.fr", Self.password).status == .tooManyRequests)
        }
    }

    @Test(arguments: TestDatabase.all)
    func unknownAddressesAreTreatedAlikeAndNothingIsKeptInClearNorLonger(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock) { app in
            for _ in 1...5 {
                let refused = try await app.send(
                    .POST, "/api/auth/login", object: ["email": "personne@example.fr", "password": "devine-0000"])
                #expect(refused.status == .unauthorized)
                #expect(refused.errorCode == "INVALID_CREDENTIALS")
            }
            let closed = try await app.send(.POST, "/api/auth/login", object: ["email": "personne@example.fr", "password": "devine-0001"])
            #expect(closed.status == .tooManyRequests)
            #expect(closed.headers.first(name: "Retry-After") == "60")

            let rows = try await LoginThrottle.query(on: app.db).all()
            #expect(rows.count == 1)
            #expect(rows.first?.keyHash == SecretToken.hash("personne@example.fr"))
            #expect(rows.first?.failures == 5)

            // An hour later, any failure deletes the counts nobody needs any more.
            clock.advance(by: LoginThrottling.forgetAfter + 1)
            _ = try await app.send(.POST, "/api/auth/login", object: ["email": "autre@example.fr", "password": "devine-0000"])
            #expect(try await LoginThrottle.query(on: app.db).all().map(\.keyHash) == [SecretToken.hash("autre@example.fr")])
        }
    }

    @Test(arguments: TestDatabase.all)
    func failuresFarApartAreForgottenAndTheLongestClosingIsAQuarterOfAnHour(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock) { app in
            _ = try await app.signUp(token: try await app.completedSession(), email: "jeanne@example.fr")
            func fail() async throws -> JSONResponse {
                try await app.send(.POST, "/api/auth/login", object: ["email": "jeanne@example.fr", "password": "devine-0000"])
            }
            for _ in 1...4 { #expect(try await fail().status == .unauthorized) }
            clock.advance(by: LoginThrottling.forgetAfter + 1)
            // The fifth failure comes after an hour: it counts as the first, nothing closes.
            #expect(try await fail().status == .unauthorized)
            #expect(try await fail().status == .unauthorized)

            // Failures in a row: 1, 2, 4, 8 minutes, then never more than 15.
            for _ in 1...3 { #expect(try await fail().status == .unauthorized) }
            var waits: [String?] = []
            for _ in 1...6 {
                let closed = try await fail()
                #expect(closed.status == .tooManyRequests)
                let wait = closed.headers.first(name: "Retry-After")
                waits.append(wait)
                clock.advance(by: TimeInterval(Int(wait ?? "0") ?? 0))
                #expect(try await fail().status == .unauthorized)
            }
            #expect(waits == ["60", "120", "240", "480", "900", "900"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func failuresSentTogetherAreAllCounted(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await app.send(.POST, "/api/auth/login", object: ["email": "cible@example.fr", "password": "devine-\(index)"])
                            .status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Every attempt answered 401 was counted, none lost to another counted at the same time.
            #expect(statuses.allSatisfy { $0 == .unauthorized || $0 == .tooManyRequests })
            let row = try #require(try await LoginThrottle.query(on: app.db).first())
            #expect(row.failures == statuses.filter { $0 == .unauthorized }.count)
            #expect(row.failures >= LoginThrottling.freeFailures)
            #expect(row.blockedUntil != nil)
        }
    }

    @Test func closingGrowsFromOneMinuteToAQuarterOfAnHour() {
        #expect((0...4).map(LoginThrottling.block(afterFailures:)) == [nil, nil, nil, nil, nil])
        #expect((5...10).map(LoginThrottling.block(afterFailures:)) == [60, 120, 240, 480, 900, 900])
        #expect(LoginThrottling.block(afterFailures: 1_000) == 900)
    }

    @Test(arguments: TestDatabase.all)
    func anUnknownAddressCostsTheSameBcryptWorkAsAKnownOne(_ database: TestDatabase) async throws {
        try await withTestApp(database, settings: { $0.bcryptCost = 5 }) { app in
            // bcrypt writes its cost in the hash: $2b$05$…
            let decoy = try await app.accounts.decoyHash()
            let real = try await app.accounts.hashPassword("x")
            #expect(decoy.split(separator: "$").dropFirst().first == "05")
            #expect(real.split(separator: "$").dropFirst().first == "05")
        }
    }

    /// bcrypt runs on the application's thread pool, not on the threads that serve requests: with
    /// more sign-ins stuck inside their password check than Swift's cooperative pool has threads, the
    /// questionnaire is still answered. Were the check done in place, they would hold every one of
    /// those threads and the request would wait until the watchdog lets them go.
    @Test(arguments: TestDatabase.all)
    func signInsBusyWithBcryptDoNotHoldUpOtherRequests(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signUp(token: try await app.completedSession(), email: "jeanne@example.fr")
            let stuck = DispatchSemaphore(value: 0)
            let entered = DispatchSemaphore(value: 0)
            app.migrationHooks.onPasswordThread = {
                entered.signal()
                stuck.wait()
            }
            let signIns = System.coreCount + 1
            let watchdog = NIOLockedValueBox(false)
            DispatchQueue.global().asyncAfter(deadline: .now() + 20) {
                watchdog.withLockedValue { $0 = true }
                for _ in 0..<signIns { stuck.signal() }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<signIns {
                    group.addTask {
                        _ = try await app.send(
                            .POST, "/api/auth/login",
                            object: ["email": "jeanne@example.fr", "password": "motdepasse2026"])
                    }
                }
                // As many checks under way as there are cores: the application's pool is full (one
                // sign-in queues behind it); done in place, they would fill the cooperative pool.
                for _ in 0..<System.coreCount { entered.wait() }
                let questions = try await app.send(.GET, "/api/simulator/questions")
                #expect(questions.status == .ok)
                #expect(watchdog.withLockedValue { $0 } == false, "the questionnaire waited for the password checks")
                app.migrationHooks.onPasswordThread = nil
                for _ in 0..<signIns { stuck.signal() }
                try await group.waitForAll()
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSignUpSentAgainIsASignInAndCountsAsOne(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock) { app in
            let token = try await app.completedSession()
            let (clientID, _) = try await app.signUp(token: token, email: "jeanne@example.fr")
            func resend(_ password: String) async throws -> JSONResponse {
                try await app.send(
                    .POST, "/api/session-migration/migrate",
                    object: ["session_token": token, "client_data": signupForm(email: "jeanne@example.fr", password: password)])
            }
            // With its password: the first outcome again, and an access token.
            let again = try await resend(Self.password)
            #expect(again.status == .ok)
            let answer = try again.decode(SessionMigrationResponseDTO.self)
            #expect(answer.clientID == clientID)
            #expect(answer.accessToken?.isEmpty == false)

            for guess in 1...5 {
                let wrong = try await resend("devine-\(guess)-motdepasse")
                #expect(wrong.status == .conflict)
                #expect(wrong.errorCode == "SESSION_ALREADY_MIGRATED")
            }
            // The guesses closed the address for sign-in by both routes, even with the right password.
            let closed = try await resend(Self.password)
            #expect(closed.status == .tooManyRequests)
            #expect(closed.errorCode == "TOO_MANY_LOGIN_ATTEMPTS")
            #expect(closed.headers.first(name: "Retry-After") == "60")
            #expect(closed["access_token"] == nil)
            let login = try await app.send(.POST, "/api/auth/login", object: ["email": "jeanne@example.fr", "password": Self.password])
            #expect(login.status == .tooManyRequests)

            clock.advance(by: 60)
            #expect(try await resend(Self.password).status == .ok)
            // That success forgot the failures: the next wrong guess is the first again.
            #expect(try await resend("devine-6-motdepasse").status == .conflict)
            #expect(
                try await app.send(.POST, "/api/auth/login", object: ["email": "jeanne@example.fr", "password": Self.password]).status
                    == .ok)
        }
    }
}

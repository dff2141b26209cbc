import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// Access tokens: stored as SHA-256 only, refused once expired, deleted at the next sign-in, and
/// revoked by signing out, one or all of an account's.
@Suite struct AccessTokenTests {
    @Test(arguments: TestDatabase.all)
    func aTokenSignsInUntilItExpiresAndIsThenDeleted(_ database: TestDatabase) async throws {
        let clock = ManualClock(testStart)
        try await withTestApp(database, clock: clock, settings: { $0.accessTokenLifetime = 3_600 }) { app in
            let (clientID, signupToken) = try await app.signUp(token: try await app.completedSession(), email: "jeanne@example.fr")
            let access = try await app.login("jeanne@example.fr", "motdepasse2026")
            let stored = try await AccessToken.query(on: app.db).all()
            #expect(Set(stored.map(\.tokenHash)) == [SecretToken.hash(signupToken), SecretToken.hash(access)])

            #expect(try await app.get("/api/client/me", bearer: access).status == .ok)
            clock.advance(by: 3_599)
            #expect(try await app.get("/api/client/me", bearer: access).decode(ClientProfileDTO.self).id == clientID)
            clock.advance(by: 1)
            let expired = try await app.get("/api/client/me", bearer: access)
            #expect(expired.status == .unauthorized)
            #expect(expired.errorCode == "AUTHENTICATION_REQUIRED")

            // Someone else's sign-in deletes every expired token; the new one is all that is left.
            _ = try await app.runCommand(["create-operator", "--email", "ops@passerelle.fr", "--password", "operateur-secret-1"])
            let operatorAccess = try await app.login("ops@passerelle.fr", "operateur-secret-1")
            #expect(try await AccessToken.query(on: app.db).all().map(\.tokenHash) == [SecretToken.hash(operatorAccess)])
            #expect(try await app.get("/api/client/me", bearer: operatorAccess).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func signingOutRevokesTheTokenSentAndNoOther(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (_, signupToken) = try await app.signUp(token: try await app.completedSession(), email: "jeanne@example.fr")
            let laptop = try await app.login("jeanne@example.fr", "motdepasse2026")

            let out = try await app.send(.POST, "/api/auth/logout", headers: ["Authorization": "Bearer \(laptop)"])
            #expect(out.status == .ok)
            let signedOut = try out.decode(SignedOutDTO.self)
            #expect(signedOut.revokedTokens == 1)
            #expect(signedOut.message == "Vous êtes déconnecté.")
            #expect(try await app.get("/api/client/me", bearer: laptop).errorCode == "AUTHENTICATION_REQUIRED")
            #expect(try await app.get("/api/client/me", bearer: signupToken).status == .ok)
            #expect(try await AccessToken.query(on: app.db).all().map(\.tokenHash) == [SecretToken.hash(signupToken)])

            // The same token again, or none: 401, and nothing else is deleted.
            let again = try await app.send(.POST, "/api/auth/logout", headers: ["Authorization": "Bearer \(laptop)"])
            #expect(again.status == .unauthorized)
            #expect(again.errorCode == "AUTHENTICATION_REQUIRED")
            let anonymous = try await app.send(.POST, "/api/auth/logout")
            #expect(anonymous.status == .unauthorized)
            #expect(try await AccessToken.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func signingOutEverywhereRevokesEveryTokenOfTheAccountOnly(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (_, signupToken) = try await app.signUp(token: try await app.completedSession(), email: "jeanne@example.fr")
            let laptop = try await app.login("jeanne@example.fr", "motdepasse2026")
            let (_, someoneElse) = try await app.signUp(token: try await app.completedSession(), email: "paul@example.fr")

            let out = try await app.send(.POST, "/api/auth/logout-everywhere", headers: ["Authorization": "Bearer \(laptop)"])
            #expect(out.status == .ok)
            #expect(try out.decode(SignedOutDTO.self).revokedTokens == 2)
            for token in [signupToken, laptop] {
                #expect(try await app.get("/api/client/me", bearer: token).errorCode == "AUTHENTICATION_REQUIRED")
            }
            #expect(try await app.get("/api/client/me", bearer: someoneElse).status == .ok)
            #expect(try await AccessToken.query(on: app.db).all().map(\.tokenHash) == [SecretToken.hash(someoneElse)])
            // Signing in again works as before.
            let back = try await app.login("jeanne@example.fr", "motdepasse2026")
            #expect(try await app.get("/api/client/me", bearer: back).status == .ok)
        }
    }
}

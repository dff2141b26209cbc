@testable import App
import Fluent
import Foundation
import Testing
import Vapor

/// Access tokens: stored as SHA-256 only, refused once expired, and deleted at the next sign-in.
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
            #expect(try await app.get("/api/client/me", bearer: access)["id"] as? String == clientID.uuidString)
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
}

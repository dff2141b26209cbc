import Fluent
import Foundation

/// A client's sign-in: random, given once, stored as SHA-256, expiring.
final class AccessToken: Model, @unchecked Sendable {
    static let schema = "AccessToken"

    @ID(key: .id) var id: UUID?
    @Parent(key: "clientId") var client: Client
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(clientID: UUID, tokenHash: String, expiresAt: Date, now: Date) {
        self.$client.id = clientID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
        self.createdAt = now
    }
}

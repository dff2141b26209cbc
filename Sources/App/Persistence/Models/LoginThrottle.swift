import Fluent
import Foundation

/// Failed sign-ins of one email address, counted so that passwords cannot be guessed at speed.
/// The address is kept only as SHA-256, whether an account has it or not.
final class LoginThrottle: Model, @unchecked Sendable {
    static let schema = "LoginThrottle"

    @ID(key: .id) var id: UUID?
    @Field(key: "key_hash") var keyHash: String
    @Field(key: "failures") var failures: Int
    @OptionalField(key: "blocked_until") var blockedUntil: Date?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

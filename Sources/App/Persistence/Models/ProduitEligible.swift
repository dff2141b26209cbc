import Fluent
import Foundation

/// A product of the catalog, kept in step with it at start-up so other tables can reference it.
final class ProduitEligible: Model, @unchecked Sendable {
    static let schema = "ProduitEligible"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "nom") var name: String
    @Field(key: "description") var description: String
    @Field(key: "categorie") var category: String
    @Field(key: "active") var isActive: Bool
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

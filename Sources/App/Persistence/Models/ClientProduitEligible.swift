import Fluent
import Foundation

/// A product a client is eligible to, with its follow-up; one row per (`clientId`, `produitId`).
final class ClientProduitEligible: Model, @unchecked Sendable {
    static let schema = "ClientProduitEligible"

    @ID(key: .id) var id: UUID?
    @Parent(key: "clientId") var client: Client
    @Parent(key: "produitId") var product: ProduitEligible
    @Field(key: "statut") var statut: String
    /// Score ÷ 100: a rate between 0 and 1.
    @Field(key: "tauxFinal") var tauxFinal: Double
    @Field(key: "montantFinal") var montantFinal: Double
    @Field(key: "dureeFinale") var dureeFinale: Int
    @OptionalParent(key: "simulationId") var simulation: Simulation?
    @Field(key: "metadata") var metadata: ProductMetadata
    @OptionalField(key: "notes") var notes: String?
    @Field(key: "priorite") var priorite: Int
    @OptionalField(key: "dateEligibilite") var dateEligibilite: Date?
    @Field(key: "current_step") var currentStep: Int
    @Field(key: "progress") var progress: Int
    @OptionalField(key: "expert_id") var expertID: UUID?
    @Field(key: "charte_signed") var charteSigned: Bool
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

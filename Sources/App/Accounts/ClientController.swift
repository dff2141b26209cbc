import Fluent
import Vapor

/// `/api/client/*`: what a signed-in client sees of its account.
struct ClientController {
    func me(request: Request) async throws -> ClientProfileDTO {
        ClientProfileDTO(try request.signedIn())
    }

    func products(request: Request) async throws -> ClientProductsDTO {
        let client = try request.signedIn()
        let rows = try await ClientProduitEligible.all(of: client, on: request.db)
        let products = rows.map { row in
            ClientProductDTO(
                id: row.id!, productCode: row.product.code, productName: row.product.name, statut: row.statut,
                tauxFinal: row.tauxFinal, montantFinal: row.montantFinal, priorite: row.priorite,
                currentStep: row.currentStep, progress: row.progress, confidenceLevel: row.metadata.confidenceLevel,
                recommendations: row.metadata.recommendations, riskFactors: row.metadata.riskFactors,
                migratedFromSimulator: row.metadata.migratedFromSimulator, dateEligibilite: row.dateEligibilite)
        }
        return ClientProductsDTO(products: products, totalMontantFinal: (products.map(\.montantFinal).reduce(0, +) * 100).rounded() / 100)
    }

    func simulations(request: Request) async throws -> SimulationsDTO {
        let client = try request.signedIn()
        let rows = try await Simulation.all(of: client, on: request.db)
        return SimulationsDTO(
            simulations: rows.map {
                SimulationSummaryDTO(
                    id: $0.id!, createdAt: $0.createdAt, rulesetVersion: $0.rulesetVersion, source: $0.source,
                    answers: $0.answers, results: $0.results.map(ProductResultDTO.init))
            })
    }
}

extension ClientProduitEligible {
    /// A client's products with their product, first priority first, then the larger amount.
    static func all(of client: Client, on database: any Database) async throws -> [ClientProduitEligible] {
        try await query(on: database)
            .filter(\.$client.$id == client.id!)
            .with(\.$product)
            .sort(\.$priorite).sort(\.$montantFinal, .descending)
            .all()
    }
}

extension Simulation {
    /// A client's simulations, the most recent first.
    static func all(of client: Client, on database: any Database) async throws -> [Simulation] {
        try await query(on: database).filter(\.$client.$id == client.id!).sort(\.$createdAt, .descending).all()
    }
}

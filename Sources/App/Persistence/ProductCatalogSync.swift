import Eligibility
import Fluent
import Foundation

/// Keeps `ProduitEligible` in step with the catalog: one row per product code, updated in place,
/// and products that left the catalog marked inactive (client rows may still point to them).
enum ProductCatalogSync {
    static func run(_ catalog: Catalog, on database: any Database, now: Date) async throws {
        try await database.transaction { transaction in
            let existing = try await ProduitEligible.query(on: transaction).all()
            let byCode = Dictionary(existing.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
            for product in catalog.products {
                let row = byCode[product.code] ?? ProduitEligible()
                if row.id == nil {
                    row.code = product.code
                    row.createdAt = now
                }
                if row.id == nil || row.name != product.name || row.description != product.description
                    || row.category != product.category || !row.isActive {
                    row.name = product.name
                    row.description = product.description
                    row.category = product.category
                    row.isActive = true
                    row.updatedAt = now
                    try await row.save(on: transaction)
                }
            }
            let codes = Set(catalog.products.map(\.code))
            for row in existing where !codes.contains(row.code) && row.isActive {
                row.isActive = false
                row.updatedAt = now
                try await row.save(on: transaction)
            }
        }
    }
}

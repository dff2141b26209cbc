import Eligibility
import Fluent
import Foundation

/// Keeps `ProduitEligible` and `QuestionnaireQuestion` in step with the catalog at start-up: one row
/// per product code, updated in place, and products that left the catalog marked inactive (client
/// rows may still point to them); questions are upserted by id.
enum CatalogSync {
    static func run(_ catalog: Catalog, on database: any Database, now: Date) async throws {
        try await database.transaction { transaction in
            try await syncQuestions(catalog, on: transaction)
            let existing = try await ProduitEligible.query(on: transaction).all()
            let byCode = Dictionary(existing.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
            for product in catalog.products {
                let row = byCode[product.code] ?? ProduitEligible()
                if row.id == nil {
                    row.code = product.code
                    row.createdAt = now
                }
                if row.id == nil || row.name != product.name || row.description != product.description
                    || row.category != product.category || !row.isActive
                {
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

    private static func syncQuestions(_ catalog: Catalog, on database: any Database) async throws {
        let existing = try await QuestionnaireQuestion.query(on: database).all()
        let byID = Dictionary(existing.map { ($0.questionID, $0) }, uniquingKeysWith: { first, _ in first })
        for question in catalog.questions {
            let row = byID[question.id] ?? QuestionnaireQuestion()
            if row.id != nil, row.order == question.order, row.text == question.text, row.type == question.type.rawValue,
                row.section == question.section
            {
                continue
            }
            row.questionID = question.id
            row.order = question.order
            row.text = question.text
            row.type = question.type.rawValue
            row.section = question.section
            try await row.save(on: database)
        }
    }
}

import Vapor

/// `passerelle migrate-batch --file pairs.csv`: migrates (token, email) pairs, each in its own
/// transaction, in chunks of `MIGRATION_BATCH_SIZE`, and reports every row.
struct MigrateBatchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "file", help: "Fichier CSV : session_token,client_email (en-tête facultatif)")
        var file: String?
        init() {}
    }

    var help: String { "Rattache des simulations en lot depuis un fichier CSV." }

    struct Row: Sendable, Equatable {
        let line: Int
        let token: String
        let email: String
    }

    enum RowResult: Sendable, Equatable {
        case migrated(products: Int)
        case alreadyMigrated
        case refused(String)
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let path = signature.file else { throw CommandFailure(description: "--file est obligatoire.") }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CommandFailure(description: "Fichier illisible : \(path)")
        }
        let (rows, malformed) = Self.parse(text)
        let app = context.application
        let size = app.settings.migrationBatchSize
        var report: [(Int, RowResult)] = malformed.map { ($0, .refused("ligne mal formée (attendu : jeton,e-mail)")) }
        let chunks = stride(from: 0, to: rows.count, by: size).map { Array(rows[$0..<min($0 + size, rows.count)]) }
        for (index, chunk) in chunks.enumerated() {
            context.console.print("Lot \(index + 1)/\(chunks.count) : \(chunk.count) ligne(s)…")
            for row in chunk { report.append((row.line, await Self.migrate(row, app: app))) }
        }
        report.sort { $0.0 < $1.0 }
        var counts = (migrated: 0, already: 0, refused: 0)
        for (line, result) in report {
            switch result {
            case .migrated(let products):
                counts.migrated += 1
                context.console.print("ligne \(line) : migrée (\(products) produit(s))")
            case .alreadyMigrated:
                counts.already += 1
                context.console.print("ligne \(line) : déjà migrée")
            case .refused(let reason):
                counts.refused += 1
                context.console.print("ligne \(line) : refusée — \(reason)")
            }
        }
        context.console.print("Bilan : \(counts.migrated) migrée(s), \(counts.already) déjà migrée(s), \(counts.refused) refusée(s).")
        if counts.refused > 0 { throw CommandFailure(description: "\(counts.refused) ligne(s) refusée(s).") }
    }

    static func migrate(_ row: Row, app: Application, operatorID: UUID? = nil) async -> RowResult {
        do {
            guard let client = try await app.accounts.findClient(email: row.email, on: app.db), client.role == .client else {
                return .refused(AppError.clientNotFound.message)
            }
            let completed = try await app.sessionMigration.migrate(
                token: row.token, to: .existingClient(client), actor: .batch(operatorID: operatorID), on: app.db)
            return completed.alreadyMigrated ? .alreadyMigrated : .migrated(products: completed.outcome.migratedProductsCount)
        } catch {
            return .refused(commandLineMessage(for: error))
        }
    }

    /// Rows of `token,email`; a first line naming the columns is skipped; blank lines are ignored.
    static func parse(_ text: String) -> (rows: [Row], malformed: [Int]) {
        var rows: [Row] = []
        var malformed: [Int] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let fields = BatchFile.fields(of: line)
            if offset == 0, fields.first?.lowercased().contains("token") == true { continue }
            guard fields.count == 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                malformed.append(offset + 1)
                continue
            }
            rows.append(Row(line: offset + 1, token: fields[0], email: fields[1]))
        }
        return (rows, malformed)
    }
}

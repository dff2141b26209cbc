import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Runs the console's CSV batches in the background, one row after the other, each in its own
/// migration transaction (as `migrate-batch` does) with the operator as the actor: every row is in
/// the audit trail with the operator's id. The progress is written after each row and the report
/// after each chunk of `MIGRATION_BATCH_SIZE` rows, so any server process shows them. Shutting down
/// stops between rows and marks the batch interrupted: the rows not in its report were not attempted.
final class OperatorBatchRunner: LifecycleHandler, Sendable {
    private let running = NIOLockedValueBox<[UUID: Task<Void, Never>]>([:])

    /// Records the batch, then starts it; returns its id at once.
    func start(rows: [MigrateBatchCommand.Row], fileName: String, operatorID: UUID, app: Application) async throws -> UUID {
        let batch = try OperatorBatch(operatorID: operatorID, fileName: fileName, totalRows: rows.count, report: [], now: app.clock.now())
        try await batch.create(on: app.db)
        let id = batch.id!
        let task = Task {
            await Self.run(batch, rows: rows, app: app)
            _ = self.running.withLockedValue { $0.removeValue(forKey: id) }
        }
        running.withLockedValue { $0[id] = task }
        return id
    }

    /// Waits for a batch this process runs (the tests follow one to its end).
    func wait(for id: UUID) async {
        await running.withLockedValue { $0[id] }?.value
    }

    func shutdown(_ app: Application) {
        for task in running.withLockedValue({ Array($0.values) }) { task.cancel() }
    }

    func shutdownAsync(_ app: Application) async {
        let tasks = running.withLockedValue { Array($0.values) }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    private static func run(_ batch: OperatorBatch, rows: [MigrateBatchCommand.Row], app: Application) async {
        var report: [BatchReportRow] = []
        let chunk = max(1, app.settings.migrationBatchSize)
        do {
            for (index, row) in rows.enumerated() {
                try Task.checkCancellation()
                let result = await MigrateBatchCommand.migrate(row, app: app, operatorID: batch.operatorID)
                report.append(BatchReportRow(row, result))
                batch.doneRows = index + 1
                if (index + 1) % chunk == 0 || index + 1 == rows.count { batch.report = try BatchReportRow.encode(report) }
                if index + 1 == rows.count { batch.status = .done }
                batch.updatedAt = app.clock.now()
                try await batch.save(on: app.db)
            }
        } catch {
            // Stopped (shutdown) or the database failed: what was done is in the report.
            batch.status = .interrupted
            batch.report = (try? BatchReportRow.encode(report)) ?? "[]"
            batch.doneRows = report.count
            batch.updatedAt = app.clock.now()
            do {
                try await batch.save(on: app.db)
            } catch {
                app.logger.warning("Lot CSV interrompu non enregistré : \(String(reflecting: type(of: error)))")
            }
        }
    }
}

extension BatchReportRow {
    init(_ row: MigrateBatchCommand.Row, _ result: MigrateBatchCommand.RowResult) {
        switch result {
        case .migrated(let products):
            self.init(line: row.line, email: row.email, outcome: "migrated", detail: "\(products) produit(s) rattaché(s)")
        case .alreadyMigrated:
            self.init(line: row.line, email: row.email, outcome: "already_migrated", detail: "Déjà rattachée : rien n'a été écrit.")
        case .refused(let reason):
            self.init(line: row.line, email: row.email, outcome: "refused", detail: reason)
        }
    }

    /// The outcome in French, as the report says it: `rattachée`, `déjà rattachée`, `refusée`.
    var outcomeWords: String {
        ["migrated": "rattachée", "already_migrated": "déjà rattachée", "refused": "refusée"][outcome] ?? outcome
    }

    /// The report as a spreadsheet opens it: a header, then one line per row, fields quoted.
    static func csv(_ rows: [BatchReportRow]) -> String {
        func quoted(_ field: String) -> String {
            // A leading =, +, - or @ would be a formula in a spreadsheet: written as text.
            let safe = field.first.map { "=+-@".contains($0) } == true ? "'" + field : field
            return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var text = "ligne,email_client,resultat,detail\r\n"
        for row in rows {
            text += [String(row.line), quoted(row.email), quoted(row.outcomeWords), quoted(row.detail)].joined(separator: ",") + "\r\n"
        }
        return text
    }
}

extension Application {
    var operatorBatches: OperatorBatchRunner {
        if let runner = storage[OperatorBatchRunnerKey.self] { return runner }
        let runner = OperatorBatchRunner()
        storage[OperatorBatchRunnerKey.self] = runner
        return runner
    }
}

private struct OperatorBatchRunnerKey: StorageKey {
    typealias Value = OperatorBatchRunner
}

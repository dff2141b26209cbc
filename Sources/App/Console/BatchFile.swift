import Foundation

/// A CSV file an operator uploads for a batch, in the format of `passerelle migrate-batch`
/// (`session_token,client_email`, a header line allowed; `;` accepted too, as French spreadsheets
/// write it). Checked whole before anything runs: a file refused changes nothing.
enum BatchFile {
    static let maxBytes = 1_048_576

    static func rows(of data: [UInt8]) -> Result<[MigrateBatchCommand.Row], BatchFileError> {
        guard !data.isEmpty else { return .failure(.init("Choisissez un fichier CSV.")) }
        guard data.count <= maxBytes else {
            return .failure(.init("Le fichier dépasse 1 Mo : découpez-le en plusieurs fichiers."))
        }
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self), !text.contains("\0") else {
            return .failure(.init("Le fichier n'est pas un texte UTF-8 : enregistrez-le au format « CSV UTF-8 » et recommencez."))
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let separator: Character = (lines.first?.contains(";") == true && lines.first?.contains(",") == false) ? ";" : ","
        var rows: [MigrateBatchCommand.Row] = []
        for (offset, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let fields = Self.fields(of: line, separator: separator)
            guard fields.count == 2 else {
                return .failure(
                    .init("Ligne \(offset + 1) : \(fields.count) colonne(s) au lieu de 2 (jeton de session, e-mail du client)."))
            }
            if offset == 0, fields[0].lowercased().contains("token") || fields[0].lowercased().contains("jeton") { continue }
            guard !fields[0].isEmpty, !fields[1].isEmpty else {
                return .failure(.init("Ligne \(offset + 1) : le jeton de session et l'e-mail du client sont tous deux obligatoires."))
            }
            rows.append(MigrateBatchCommand.Row(line: offset + 1, token: fields[0], email: fields[1]))
        }
        guard !rows.isEmpty else { return .failure(.init("Le fichier ne contient aucune ligne à traiter.")) }
        return .success(rows)
    }
}

extension BatchFile {
    /// A line's fields, each trimmed of spaces and of the quotes a spreadsheet puts around it.
    static func fields(of line: String, separator: Character = ",") -> [String] {
        line.split(separator: separator, omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
    }
}

struct BatchFileError: Error, Sendable, Equatable {
    let message: String
    init(_ message: String) { self.message = message }
}

import Vapor

extension Request {
    /// The JSON body as `Body`. A body that does not decode is the client's mistake, 400 `INVALID_JSON`;
    /// only this one: any other `DecodingError` (a stored document, say) is the server's, a 500.
    func decodeBody<Body: Decodable>(_ type: Body.Type) throws -> Body {
        // JSON only, whatever Vapor could decode (a form, a multipart body): the contract says JSON.
        if let type = headers.contentType, type.type != "application" || (type.subType != "json" && !type.subType.hasSuffix("+json")) {
            throw AppError.unsupportedMediaType
        }
        do {
            return try content.decode(type)
        } catch let error as DecodingError {
            throw AppError(status: .badRequest, code: "INVALID_JSON", message: "Corps de requête invalide : \(error.frenchDescription)")
        }
    }
}

extension DecodingError {
    /// What is wrong with the body, in French, naming the field when there is one.
    var frenchDescription: String {
        func path(_ context: Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "" : " (champ « \(text) »)"
        }
        switch self {
        case .keyNotFound(let key, let context): return "champ obligatoire « \(key.stringValue) » manquant\(path(context))."
        case .typeMismatch(_, let context): return "type de valeur inattendu\(path(context))."
        case .valueNotFound(_, let context): return "valeur manquante\(path(context))."
        case .dataCorrupted(let context): return "JSON mal formé ou valeur illisible\(path(context))."
        @unknown default: return "JSON illisible."
        }
    }
}

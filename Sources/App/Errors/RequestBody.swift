import Vapor

extension Request {
    /// The JSON body as `Body`. A body that does not decode is the client's mistake, 400 `INVALID_JSON`;
    /// only this one: any other `DecodingError` (a stored document, say) is the server's, a 500.
    func decodeBody<Body: Decodable>(_ type: Body.Type) throws -> Body {
        do {
            return try content.decode(type)
        } catch let error as DecodingError {
            throw AppError(status: .badRequest, code: "INVALID_JSON", message: "Corps de requête invalide : \(error.frenchDescription)")
        }
    }
}

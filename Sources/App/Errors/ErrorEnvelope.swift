import Vapor

/// The body of every API error: `{"success": false, "error": "…", "error_code": "…", "details": […]}`.
struct ErrorEnvelope: Content {
    var success = false
    let error: String
    let errorCode: String
    let details: [FieldError]?

    enum CodingKeys: String, CodingKey {
        case success, error, details
        case errorCode = "error_code"
    }
}

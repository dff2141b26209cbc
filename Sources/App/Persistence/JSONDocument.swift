import Foundation
import PostgresKit

/// A JSON text bound to a query as is: `jsonb` on PostgreSQL, text on SQLite.
///
/// The documents a migration copies are built once, when the session is completed
/// (`SessionMigrationDocuments`), and the SQLite migration copies their stored text into new rows. Going
/// through `Codable` would decode and re-encode every trace, and Fluent's PostgreSQL encoder tries
/// several encodings of a nested value before it settles on JSON; a document built once and bound
/// directly costs one encoding.
struct JSONDocument: Sendable, Encodable, PostgresArrayEncodable {
    let text: String

    init(text: String) {
        self.text = text
    }

    /// `value` encoded as JSON, the way Fluent would store it.
    init<Value: Encodable>(encoding value: Value) throws {
        text = String(decoding: try Self.encoder.encode(value), as: UTF8.self)
    }

    /// One JSON array of `documents`.
    static func array(_ documents: [JSONDocument]) -> JSONDocument {
        JSONDocument(text: "[" + documents.map(\.text).joined(separator: ",") + "]")
    }

    /// Shared: `JSONEncoder` is safe to use from several tasks once configured.
    private static let encoder = JSONEncoder()

    // SQLite and any other `Encoder`: the text itself.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    // PostgreSQL: jsonb in binary format (version byte 1, then the text).
    static var psqlType: PostgresDataType { .jsonb }
    static var psqlFormat: PostgresFormat { .binary }
    static var psqlArrayType: PostgresDataType { .jsonbArray }

    func encode<Encoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<Encoder>) throws {
        byteBuffer.writeInteger(UInt8(1))
        byteBuffer.writeString(text)
    }
}

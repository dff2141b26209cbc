/// Why a catalog refused to load: the file, the item in it, and what is wrong, in French.
public struct CatalogError: Error, CustomStringConvertible, Sendable, Equatable {
    public let file: String
    public let item: String
    public let message: String

    public var description: String { "\(file) — \(item) : \(message)" }
}

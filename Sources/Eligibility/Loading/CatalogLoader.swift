import Crypto
import Foundation
import Yams

extension Catalog {
    /// The catalog shipped with the library (`catalog/` at the root of the repository).
    public static var bundledDirectory: URL {
        Bundle.module.url(forResource: "Catalog", withExtension: nil)!
    }

    /// Loads the catalog shipped with the library.
    public static func bundled(requiringParametersOn day: CalendarDay? = nil) throws(CatalogError) -> Catalog {
        try load(from: bundledDirectory, requiringParametersOn: day)
    }

    /// Loads and checks a catalog folder: `catalog.yaml`, `questions.yaml`, `parameters.yaml` and `products/*.yaml`.
    /// Formulas are parsed here, once. With `day`, every parameter must have a value in force that day.
    public static func load(from directory: URL, requiringParametersOn day: CalendarDay? = nil) throws(CatalogError) -> Catalog {
        var files = CatalogFiles(directory: directory)
        let manifest = try files.decode(ManifestDefinition.self, "catalog.yaml")
        let questionFile = try files.decode(QuestionFile.self, "questions.yaml")
        let parameterFile = try files.decode(ParameterFile.self, "parameters.yaml")
        var productDefinitions: [(file: String, definition: ProductDefinition)] = []
        for name in try files.list("products") where name.hasSuffix(".yaml") {
            let file = "products/\(name)"
            productDefinitions.append((file, try files.decode(ProductDefinition.self, file)))
        }
        guard !productDefinitions.isEmpty else {
            throw CatalogError(file: "products/", item: "produits", message: "aucun fichier de produit")
        }

        var compiler = CatalogCompiler()
        try compiler.compileQuestions(questionFile)
        try compiler.compileParameters(parameterFile, requiredOn: day)
        for (file, definition) in productDefinitions {
            try compiler.compileProduct(definition, file: file)
        }
        let ruleset = RulesetVersion(version: manifest.version, contentHash: files.contentHash())
        return compiler.catalog(title: manifest.title, ruleset: ruleset)
    }
}

/// Reads the catalog files and hashes what it read, in a stable order.
struct CatalogFiles {
    let directory: URL
    private var hashed: [(name: String, data: Data)] = []

    init(directory: URL) { self.directory = directory }

    mutating func decode<T: Decodable>(_ type: T.Type, _ name: String) throws(CatalogError) -> T {
        let url = directory.appendingPathComponent(name)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CatalogError(file: name, item: "fichier", message: "illisible ou absent (\(url.path))")
        }
        hashed.append((name, data))
        guard let text = String(data: data, encoding: .utf8) else {
            throw CatalogError(file: name, item: "fichier", message: "n'est pas du texte UTF-8")
        }
        do {
            return try YAMLReader.decode(T.self, from: text)
        } catch let error as DecodingError {
            throw CatalogError(file: name, item: error.itemPath, message: error.frenchMessage)
        } catch {
            throw CatalogError(file: name, item: "syntaxe YAML", message: "\(error)")
        }
    }

    func list(_ folder: String) throws(CatalogError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(folder).path).sorted()
        } catch {
            throw CatalogError(file: "\(folder)/", item: "dossier", message: "illisible ou absent")
        }
    }

    func contentHash() -> String {
        var hasher = SHA256()
        for (name, data) in hashed.sorted(by: { $0.name < $1.name }) {
            hasher.update(data: Data(name.utf8))
            hasher.update(data: Data([0]))
            hasher.update(data: data)
            hasher.update(data: Data([0]))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

extension DecodingError {
    var itemPath: String {
        let path: [CodingKey]
        switch self {
        case .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        @unknown default:
            path = []
        }
        return path.isEmpty ? "racine" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    var frenchMessage: String {
        switch self {
        case .keyNotFound(let key, _): return "champ obligatoire « \(key.stringValue) » manquant"
        case .typeMismatch(let type, let context): return "type attendu \(type) (\(context.debugDescription))"
        case .valueNotFound(let type, _): return "valeur manquante (\(type))"
        case .dataCorrupted(let context): return context.debugDescription
        @unknown default: return "\(self)"
        }
    }
}

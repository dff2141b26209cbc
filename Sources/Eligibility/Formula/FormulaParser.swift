/// Parses formulas such as `litres * taux / 100` or `min(base * 0.3, plafond)` once, at catalog load.
///
/// Grammar: sum := product (('+'|'-') product)* ; product := unary (('*'|'/') unary)* ;
/// unary := '-' unary | primary ; primary := number | name | name '(' sum (',' sum)* ')' | '(' sum ')'.
/// Numbers use a dot; `_` may group digits (`50_000`).
struct FormulaParser {
    enum Symbol { case parameter(Int), local(Int) }

    struct Failure: Error { let message: String }

    private let characters: [Character]
    private var position = 0
    private let resolve: (String) -> Symbol?

    init(_ text: String, resolve: @escaping (String) -> Symbol?) {
        self.characters = Array(text)
        self.resolve = resolve
    }

    static func parse(_ text: String, resolve: @escaping (String) -> Symbol?) throws(Failure) -> Expression {
        var parser = FormulaParser(text, resolve: resolve)
        let expression = try parser.sum()
        parser.skipSpaces()
        guard parser.position == parser.characters.count else {
            throw Failure(message: "caractère inattendu « \(parser.characters[parser.position]) » en position \(parser.position + 1)")
        }
        return expression
    }

    private mutating func skipSpaces() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    private mutating func peek() -> Character? {
        skipSpaces()
        return position < characters.count ? characters[position] : nil
    }

    private mutating func sum() throws(Failure) -> Expression {
        var expression = try product()
        while let next = peek(), next == "+" || next == "-" {
            position += 1
            let rhs = try product()
            expression = .binary(next == "+" ? .add : .subtract, expression, rhs)
        }
        return expression
    }

    private mutating func product() throws(Failure) -> Expression {
        var expression = try unary()
        while let next = peek(), next == "*" || next == "/" {
            position += 1
            let rhs = try unary()
            expression = .binary(next == "*" ? .multiply : .divide, expression, rhs)
        }
        return expression
    }

    private mutating func unary() throws(Failure) -> Expression {
        if peek() == "-" {
            position += 1
            return .negate(try unary())
        }
        return try primary()
    }

    private mutating func primary() throws(Failure) -> Expression {
        guard let next = peek() else { throw Failure(message: "formule incomplète") }
        if next == "(" {
            position += 1
            let inner = try sum()
            guard peek() == ")" else { throw Failure(message: "parenthèse fermante manquante") }
            position += 1
            return inner
        }
        if next.isNumber {
            var text = ""
            while position < characters.count, characters[position].isNumber || characters[position] == "." || characters[position] == "_" {
                if characters[position] != "_" { text.append(characters[position]) }
                position += 1
            }
            guard let value = Double(text) else { throw Failure(message: "nombre invalide « \(text) »") }
            return .constant(value)
        }
        if next.isLetter || next == "_" {
            var name = ""
            while position < characters.count, characters[position].isLetter || characters[position].isNumber || characters[position] == "_" {
                name.append(characters[position])
                position += 1
            }
            if peek() == "(" {
                guard let function = Expression.Function(rawValue: name) else {
                    throw Failure(message: "fonction inconnue « \(name) » (connues : \(Expression.Function.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                position += 1
                var arguments = [try sum()]
                while peek() == "," {
                    position += 1
                    arguments.append(try sum())
                }
                guard peek() == ")" else { throw Failure(message: "parenthèse fermante manquante après les arguments de \(name)") }
                position += 1
                guard function.arity.contains(arguments.count) else {
                    throw Failure(message: "\(name) attend \(function.arity.lowerBound == function.arity.upperBound ? "\(function.arity.lowerBound)" : "au moins \(function.arity.lowerBound)") argument(s), \(arguments.count) donné(s)")
                }
                return .call(function, arguments)
            }
            switch resolve(name) {
            case .parameter(let index)?: return .parameter(index)
            case .local(let index)?: return .local(index)
            case nil: throw Failure(message: "nom inconnu « \(name) » (ni paramètre, ni variable, ni étape précédente)")
            }
        }
        throw Failure(message: "caractère inattendu « \(next) » en position \(position + 1)")
    }
}

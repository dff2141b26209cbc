/// Parses formulas such as `litres * taux / 100` or `min(base * 0.3, plafond)` once, at catalog load.
///
/// Grammar: sum := product (('+'|'-') product)* ; product := unary (('*'|'/') unary)* ;
/// unary := '-' unary | primary ; primary := number | name | name '@' date | name '(' sum (',' sum)* ')' | '(' sum ')'.
/// Numbers use a dot; `_` may group digits (`50_000`). `taux@2025-02-14` reads a parameter's value in force on
/// that day rather than on the evaluation's (a rate set by the date of an expense, not of the simulation).
struct FormulaParser {
    enum Symbol {
        case parameter(Int)
        case local(Int)
        /// A parameter read at a fixed day: its index, the position of the value in force then, and that value.
        case parameterOn(Int, position: Int, value: Double)
        /// The name or the day cannot be read this way; says why.
        case refused(String)
    }

    struct Failure: Error { let message: String }

    private let characters: [Character]
    private var position = 0
    private let resolve: (String, CalendarDay?) -> Symbol?

    init(_ text: String, resolve: @escaping (String, CalendarDay?) -> Symbol?) {
        self.characters = Array(text)
        self.resolve = resolve
    }

    static func parse(_ text: String, resolve: @escaping (String, CalendarDay?) -> Symbol?) throws(Failure) -> Expression {
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
            while position < characters.count, characters[position].isLetter || characters[position].isNumber || characters[position] == "_"
            {
                name.append(characters[position])
                position += 1
            }
            if peek() == "(" {
                guard let function = Expression.Function(rawValue: name) else {
                    throw Failure(
                        message:
                            "fonction inconnue « \(name) » (connues : \(Expression.Function.allCases.map(\.rawValue).joined(separator: ", ")))"
                    )
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
                    throw Failure(
                        message:
                            "\(name) attend \(function.arity.lowerBound == function.arity.upperBound ? "\(function.arity.lowerBound)" : "au moins \(function.arity.lowerBound)") argument(s), \(arguments.count) donné(s)"
                    )
                }
                return .call(function, arguments)
            }
            var day: CalendarDay?
            if position < characters.count, characters[position] == "@" {
                position += 1
                let start = position
                while position < characters.count, characters[position].isNumber || characters[position] == "-" { position += 1 }
                let text = String(characters[start..<position])
                guard let parsed = CalendarDay(text) else {
                    throw Failure(message: "date invalide « \(text) » après « \(name)@ » (attendu AAAA-MM-JJ)")
                }
                day = parsed
            }
            switch resolve(name, day) {
            case .parameter(let index)?: return .parameter(index)
            case .local(let index)?: return .local(index)
            case .parameterOn(let index, let position, let value)?: return .parameterOn(index, position: position, value: value)
            case .refused(let message)?: throw Failure(message: message)
            case nil: throw Failure(message: "nom inconnu « \(name) » (ni paramètre, ni variable, ni étape précédente)")
            }
        }
        throw Failure(message: "caractère inattendu « \(next) » en position \(position + 1)")
    }
}

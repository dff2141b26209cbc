/// A compiled arithmetic formula. Names are resolved at load to parameter or local slots.
indirect enum Expression: Sendable {
    case constant(Double)
    case parameter(Int)
    /// A parameter's value in force on a fixed day, resolved at load: its index, the value's position, the value.
    case parameterOn(Int, position: Int, value: Double)
    case local(Int)
    case negate(Expression)
    case binary(Operator, Expression, Expression)
    case call(Function, [Expression])

    enum Operator: Character, Sendable { case add = "+", subtract = "-", multiply = "*", divide = "/" }

    enum Function: String, Sendable, CaseIterable {
        case min, max, round, floor, ceil
        var arity: ClosedRange<Int> {
            switch self {
            case .min, .max: return 2...16
            case .round, .floor, .ceil: return 1...1
            }
        }
    }

    /// nil when a local it reads is unknown or a division by zero happens.
    /// Locals are read from `locals`, local `i` at `base + i`.
    func value(parameters: [Double], locals: TraceSlots, base: Int) -> Double? {
        switch self {
        case .constant(let value): return value
        case .parameter(let index): return parameters[index]
        case .parameterOn(_, _, let value): return value
        case .local(let index): return locals[base + index].number
        case .negate(let operand):
            return operand.value(parameters: parameters, locals: locals, base: base).map { -$0 }
        case .binary(let op, let lhs, let rhs):
            guard let left = lhs.value(parameters: parameters, locals: locals, base: base),
                let right = rhs.value(parameters: parameters, locals: locals, base: base)
            else { return nil }
            switch op {
            case .add: return left + right
            case .subtract: return left - right
            case .multiply: return left * right
            case .divide: return right == 0 ? nil : left / right
            }
        case .call(let function, let arguments):
            var values: [Double] = []
            values.reserveCapacity(arguments.count)
            for argument in arguments {
                guard let value = argument.value(parameters: parameters, locals: locals, base: base) else { return nil }
                values.append(value)
            }
            switch function {
            case .min: return values.min()
            case .max: return values.max()
            case .round: return values[0].rounded()
            case .floor: return values[0].rounded(.down)
            case .ceil: return values[0].rounded(.up)
            }
        }
    }

    /// Parameters the formula reads, in order of appearance.
    var parameters: [ParameterRead] {
        switch self {
        case .constant, .local: return []
        case .parameter(let index): return [ParameterRead(index: index, position: nil)]
        case .parameterOn(let index, let position, _): return [ParameterRead(index: index, position: position)]
        case .negate(let operand): return operand.parameters
        case .binary(_, let lhs, let rhs): return lhs.parameters + rhs.parameters
        case .call(_, let arguments): return arguments.flatMap(\.parameters)
        }
    }
}

/// A parameter a formula reads: the value in force on the evaluation's day (`position` nil) or a fixed one.
struct ParameterRead: Hashable, Sendable {
    let index: Int
    let position: Int?
}

/// Conditions laid out flat, in prefix order, as plain data in memory owned by this object: checking
/// one reads nodes through a pointer, with no reference counting and no allocation. A node's children
/// follow it; each node records where its subtree ends, which is where its next sibling starts.
/// Each condition is known by the index of its root node, returned by `init`.
final class ConditionProgram: @unchecked Sendable {
    // @unchecked: the nodes are written once, in `init`, and only read afterwards.

    private enum Kind: UInt8 {
        case all, any, not, option, includesAll, includesAny, includesNone, bool, number, text, answered
    }

    private struct Node {
        var kind: Kind
        var comparison: Condition.Comparison = .equal
        var flag = false
        var question: Int = 0
        /// Index of the first node after this node's subtree.
        var end: Int = 0
        var mask: UInt64 = 0
        var value: Double = 0
        /// Position in `texts`, for `.text`.
        var text: Int = 0
    }

    private let nodes: UnsafeMutableBufferPointer<Node>
    private let texts: [String]

    /// The position of each condition's root node, in the order given.
    let roots: [Int]

    init(_ trees: [Condition]) {
        var list: [Node] = []
        var texts: [String] = []
        func append(_ tree: Condition) {
            let position = list.count
            switch tree {
            case .all(let children), .any(let children):
                if case .all = tree { list.append(Node(kind: .all)) } else { list.append(Node(kind: .any)) }
                for child in children { append(child) }
            case .not(let child):
                list.append(Node(kind: .not))
                append(child)
            case .option(let question, let mask):
                list.append(Node(kind: .option, question: question, mask: mask))
            case .includes(let question, let mask, let mode):
                let kind: Kind =
                    switch mode {
                    case .all: .includesAll
                    case .any: .includesAny
                    case .none: .includesNone
                    }
                list.append(Node(kind: kind, question: question, mask: mask))
            case .bool(let question, let value):
                list.append(Node(kind: .bool, flag: value, question: question))
            case .number(let question, let comparison, let value):
                list.append(Node(kind: .number, comparison: comparison, question: question, value: value))
            case .text(let question, let value):
                list.append(Node(kind: .text, question: question, text: texts.count))
                texts.append(value)
            case .answered(let question):
                list.append(Node(kind: .answered, question: question))
            }
            list[position].end = list.count
        }
        var roots: [Int] = []
        for tree in trees {
            roots.append(list.count)
            append(tree)
        }
        self.roots = roots
        nodes = .allocate(capacity: max(1, list.count))
        _ = nodes.initialize(from: list)
        self.texts = texts
    }

    deinit {
        nodes.deallocate()
    }

    /// The truth of the condition whose root node is at `root`.
    func truth(root: Int, _ answers: AnswerSheet) -> Truth {
        answers.values.withUnsafeBufferPointer { values in truth(at: root, values, answers) }
    }

    private func truth(at index: Int, _ values: UnsafeBufferPointer<StoredAnswer?>, _ answers: AnswerSheet) -> Truth {
        let node = nodes[index]
        switch node.kind {
        case .all:
            var result = Truth.true
            var child = index + 1
            while child < node.end {
                switch truth(at: child, values, answers) {
                case .false: return .false
                case .unknown: result = .unknown
                case .true: break
                }
                child = nodes[child].end
            }
            return result
        case .any:
            var result = Truth.false
            var child = index + 1
            while child < node.end {
                switch truth(at: child, values, answers) {
                case .true: return .true
                case .unknown: result = .unknown
                case .false: break
                }
                child = nodes[child].end
            }
            return result
        case .not:
            switch truth(at: index + 1, values, answers) {
            case .true: return .false
            case .false: return .true
            case .unknown: return .unknown
            }
        case .answered:
            return values[node.question] == nil ? .false : .true
        case .option:
            guard case .option(let chosen)? = values[node.question] else { return .unknown }
            return Truth(node.mask & (1 << UInt64(chosen)) != 0)
        case .includesAll, .includesAny, .includesNone:
            guard case .options(let chosen)? = values[node.question] else { return .unknown }
            switch node.kind {
            case .includesAll: return Truth(chosen & node.mask == node.mask)
            case .includesAny: return Truth(chosen & node.mask != 0)
            default: return Truth(chosen & node.mask == 0)
            }
        case .bool:
            guard case .bool(let given)? = values[node.question] else { return .unknown }
            return Truth(given == node.flag)
        case .number:
            guard case .number(let given)? = values[node.question] else { return .unknown }
            switch node.comparison {
            case .equal: return Truth(given == node.value)
            case .atLeast: return Truth(given >= node.value)
            case .atMost: return Truth(given <= node.value)
            case .greaterThan: return Truth(given > node.value)
            case .lessThan: return Truth(given < node.value)
            }
        case .text:
            guard let given = answers.text(node.question) else { return .unknown }
            return Truth(given == texts[node.text])
        }
    }
}

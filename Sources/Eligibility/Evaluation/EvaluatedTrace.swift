/// What the traces of one evaluation share: the catalog, the answers as given, which questions they
/// make visible, and the parameter values in force. One object per evaluation.
final class EvaluationInputs: Sendable {
    let catalog: Catalog
    /// Every answer as given, hidden ones included: read only where `visible` says visible.
    let given: [AnswerValue?]
    let visible: [Bool]
    /// Whether a hidden question may still become visible.
    let undecided: [Bool]
    /// Per parameter, the index of its value in force.
    let parametersInForce: [Int]
    let day: CalendarDay
    let rulesetVersion: String

    init(catalog: Catalog, given: [AnswerValue?], visibility: Visibility, parametersInForce: [Int], day: CalendarDay) {
        self.catalog = catalog
        self.given = given
        self.visible = visibility.visible
        self.undecided = visibility.undecided
        self.parametersInForce = parametersInForce
        self.day = day
        self.rulesetVersion = catalog.rulesetIdentifier
    }
}

/// One computed value of a trace, plain data: a condition's outcome, or a formula local's value and,
/// for a choice, the position of the case taken (`cases.count` for `otherwise`, -1 for none).
struct TraceSlot: Sendable {
    var truth = Truth.unknown
    var hasValue = false
    var choice: Int16 = -1
    var value = 0.0

    var number: Double? { hasValue ? value : nil }
}

/// The slots of one product's trace in a single allocation of plain data.
final class TraceSlots: ManagedBuffer<Int, TraceSlot> {
    static func make(count: Int) -> TraceSlots {
        let slots = unsafeDowncast(TraceSlots.create(minimumCapacity: count) { _ in count }, to: TraceSlots.self)
        slots.withUnsafeMutablePointerToElements { $0.initialize(repeating: TraceSlot(), count: count) }
        return slots
    }

    subscript(position: Int) -> TraceSlot {
        get { withUnsafeMutablePointerToElements { $0[position] } }
        set { withUnsafeMutablePointerToElements { $0[position] = newValue } }
    }
}

/// Slots the evaluation has finished writing: from then on only read, so safe to share.
/// (`ManagedBuffer` cannot be declared `Sendable` itself.)
struct BuiltSlots: @unchecked Sendable {
    private let slots: TraceSlots
    init(_ slots: TraceSlots) { self.slots = slots }
    subscript(position: Int) -> TraceSlot { slots[position] }
}

/// A product's trace as the evaluation records it: the outcomes and values it computed, in one array of
/// plain data, beside references to the product and to the evaluation's inputs. The entries people
/// read (answers used, missing inputs, conditions, contributions, formula) are built from these on
/// demand, by the same rules the evaluation applied.
struct EvaluatedTrace: Sendable {
    let inputs: EvaluationInputs
    let product: Product
    /// One per gate; then one per contribution when every gate holds; then one per local of the savings
    /// formula when it was computed.
    let slots: BuiltSlots
    let contributionCount: Int
    let localCount: Int
    let gatesTruth: Truth
    let rawScore: Int
    let answeredWeight: Int
    let relevantWeight: Int

    var share: Double { relevantWeight == 0 ? 0 : Double(answeredWeight) / Double(relevantWeight) }

    /// A product whose conditions already fail depends only on the questions of those conditions.
    private var relevantQuestions: [Int] { gatesTruth == .false ? product.gateQuestions : product.relevantQuestions }

    var answers: [AnswerUsed] {
        let ids = inputs.catalog.questionIDs
        return relevantQuestions.compactMap { question in
            guard inputs.visible[question], let answer = inputs.given[question] else { return nil }
            return AnswerUsed(question: ids[question], answer: answer)
        }
    }

    var missingInputs: [String] {
        let ids = inputs.catalog.questionIDs
        var missing: [String] = []
        for question in relevantQuestions {
            if inputs.visible[question] {
                if inputs.given[question] == nil { missing.append(ids[question]) }
            } else if inputs.undecided[question] {
                for parent in inputs.catalog.visibilityParents[question]
                where inputs.visible[parent] && inputs.given[parent] == nil && !missing.contains(ids[parent]) {
                    missing.append(ids[parent])
                }
            }
        }
        return missing
    }

    var conditions: [ConditionTrace] {
        product.gates.enumerated().map { ConditionTrace(label: $1.label, outcome: slots[$0].truth) }
    }

    var contributions: [ContributionTrace] {
        let base = product.gates.count
        return product.contributions.prefix(contributionCount).enumerated().map {
            ContributionTrace(label: $1.label, outcome: slots[base + $0].truth)
        }
    }

    var confidence: ConfidenceTrace {
        ConfidenceTrace(answeredWeight: answeredWeight, relevantWeight: relevantWeight, share: (share * 1000).rounded() / 1000)
    }

    var savings: SavingsTrace {
        guard gatesTruth == .true else {
            return SavingsTrace(
                estimated: false, value: nil,
                reason: gatesTruth == .false
                    ? "Conditions d'éligibilité non remplies : aucune économie estimée."
                    : "Éligibilité à confirmer : répondez aux questions manquantes pour chiffrer l'économie.",
                note: nil, variables: [], steps: [], parameters: [])
        }
        switch product.savings {
        case .notEstimated(let reason):
            return SavingsTrace(estimated: false, value: nil, reason: reason, note: nil, variables: [], steps: [], parameters: [])
        case .formula(let formula):
            return savings(of: formula)
        }
    }

    private func savings(of formula: Product.SavingsFormula) -> SavingsTrace {
        let catalog = inputs.catalog
        let base = product.gates.count + contributionCount
        var variables: [VariableTrace] = []
        var steps: [StepTrace] = []
        var usedParameters: [ParameterRead] = []
        var problems: [String] = []
        func use(_ parameters: [ParameterRead]) {
            for parameter in parameters where !usedParameters.contains(parameter) { usedParameters.append(parameter) }
        }
        for (position, local) in formula.locals.enumerated() {
            let slot = slots[base + position]
            switch local.kind {
            case .answer(let question), .optionValues(let question, _, _), .boolValues(let question, _, _):
                variables.append(
                    VariableTrace(
                        wording: local.wording, value: slot.number, question: catalog.questionIDs[question],
                        answer: inputs.visible[question] ? inputs.given[question] : nil, formula: nil))
            case .choose(let cases, let otherwise):
                var formulaText: String?
                if slot.choice >= 0 {
                    let choice = Int(slot.choice)
                    formulaText = choice < cases.count ? cases[choice].formula : otherwise?.formula
                    use(local.parameterReads[choice])
                }
                variables.append(
                    VariableTrace(
                        wording: local.wording, value: slot.number, question: nil, answer: nil,
                        formula: formulaText))
            case .step(_, let text):
                use(local.parameterReads[0])
                steps.append(StepTrace(wording: local.wording, formula: text, value: slot.number))
            }
            if case .step = local.kind {
            } else if !slot.hasValue {
                problems.append(
                    local.questions.isEmpty
                        ? local.label
                        : local.questions.map { catalog.questionIDs[$0] }.joined(separator: ", "))
            }
        }
        let parameters = usedParameters.map { read in
            ParameterTrace(
                parameter: catalog.parameters[read.index],
                position: read.position ?? inputs.parametersInForce[read.index])
        }
        let result = slots[base + formula.result].number
        let reason: String? =
            result != nil
            ? nil
            : problems.isEmpty
                ? "Calcul impossible (division par zéro)."
                : "Montant non calculable : réponse manquante ou inconnue pour \(problems.joined(separator: " ; "))."
        return SavingsTrace(
            estimated: result != nil, value: result, reason: reason, note: formula.note,
            variables: variables, steps: steps, parameters: parameters)
    }
}

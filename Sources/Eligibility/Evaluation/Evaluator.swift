extension Catalog {
    /// Evaluates every product for `answers` with the parameter values in force on `day`.
    /// Answers to questions the other answers hide are ignored.
    public func evaluate(_ answers: ValidatedAnswers, on day: CalendarDay) throws(EvaluationError) -> Evaluation {
        var values = [Double](repeating: 0, count: parameters.count)
        var inForce = [Int](repeating: 0, count: parameters.count)
        for (index, parameter) in parameters.enumerated() {
            guard let valueIndex = parameter.valueIndex(on: day) else {
                throw .parameterUnavailable(name: parameter.name, day: day)
            }
            values[index] = parameter.values[valueIndex].value
            inForce[index] = valueIndex
        }
        let visibility = Visibility(catalog: self, answers: answers)
        let context = EvaluationContext(
            catalog: self, visibility: visibility, given: answers.given, parameterValues: values, parametersInForce: inForce,
            day: day, rulesetVersion: rulesetIdentifier, answers: visibility.effective)
        var results: [ProductResult] = []
        results.reserveCapacity(products.count)
        var total = 0.0
        for product in products {
            let result = context.evaluate(product)
            total += result.estimatedSavings
            results.append(result)
        }
        return Evaluation(rulesetVersion: rulesetIdentifier, evaluatedOn: day, results: results,
                          totalEstimatedSavings: total.roundedToCents)
    }
}

struct EvaluationContext {
    let catalog: Catalog
    let visibility: Visibility    /// Every answer as given, hidden ones included: read only where `visibility` says visible.
    let given: [AnswerValue?]
    let parameterValues: [Double]
    /// Per parameter, the index of its value in force.
    let parametersInForce: [Int]
    let day: CalendarDay
    let rulesetVersion: String

    /// The answers that count (hidden ones removed), read by every condition and formula.
    let answers: AnswerSheet

    func evaluate(_ product: Product) -> ProductResult {
        var conditionTraces: [ConditionTrace] = []
        conditionTraces.reserveCapacity(product.gates.count)
        var gatesTruth = Truth.true
        let program = product.program
        for (position, gate) in product.gates.enumerated() {
            let truth = program.truth(root: product.gateRoots[position], answers)
            switch truth {
            case .true: break
            case .false: gatesTruth = .false
            case .unknown: if gatesTruth == .true { gatesTruth = .unknown }
            }
            conditionTraces.append(ConditionTrace(label: gate.label, outcome: truth))
        }

        var rawScore = 0
        var contributionTraces: [ContributionTrace] = []
        if gatesTruth == .true {
            contributionTraces.reserveCapacity(product.contributions.count)
            for (position, contribution) in product.contributions.enumerated() {
                let root = product.contributionRoots[position]
                let truth = root < 0 ? .true : program.truth(root: root, answers)
                let points = truth == .true ? contribution.points : 0
                rawScore += points
                contributionTraces.append(ContributionTrace(label: contribution.label, outcome: truth))
            }
        }
        let score = gatesTruth == .true ? min(100, max(0, rawScore)) : 0
        let status = EligibilityStatus(score: score)

        let savings = gatesTruth == .true ? computeSavings(product.savings) : SavingsTrace(
            estimated: false, value: nil,
            reason: gatesTruth == .false ? "Conditions d'éligibilité non remplies : aucune économie estimée."
                                         : "Éligibilité à confirmer : répondez aux questions manquantes pour chiffrer l'économie.",
            note: nil, variables: [], steps: [], parameters: [])
        let amount = max(0, savings.value ?? 0).roundedToCents

        // A product whose conditions already fail depends only on the questions of those conditions.
        let relevant = gatesTruth == .false ? product.gateQuestions : product.relevantQuestions
        var answeredWeight = 0
        var relevantWeight = 0
        var missing: [String] = []
        var used: [AnswerUsed] = []
        used.reserveCapacity(relevant.count)
        let importances = catalog.importances
        let ids = catalog.questionIDs
        for question in relevant {
            let weight = importances[question]
            if visibility.visible[question] {
                relevantWeight += weight
                if answers[question] != nil {
                    answeredWeight += weight
                    used.append(AnswerUsed(question: ids[question], answer: given[question]))
                } else {
                    missing.append(ids[question])
                }
            } else if visibility.undecided[question] {
                relevantWeight += weight
                for parent in catalog.visibilityParents[question]
                where visibility.visible[parent] && answers[parent] == nil {
                    let id = ids[parent]
                    if !missing.contains(id) { missing.append(id) }
                }
            }
        }
        let share = relevantWeight == 0 ? 0 : Double(answeredWeight) / Double(relevantWeight)

        return ProductResult(
            productCode: product.code, productName: product.name, score: score, status: status,
            estimatedSavings: amount, savingsEstimated: savings.estimated,
            confidenceLevel: ConfidenceLevel(answeredShare: share),
            recommendations: advice(product.recommendations, product.recommendationRoots, product.program, status),
            riskFactors: advice(product.riskFactors, product.riskFactorRoots, product.program, status),
            calculationDetails: CalculationDetails(
                rulesetVersion: rulesetVersion, evaluatedOn: day, answers: used, conditions: conditionTraces,
                contributions: contributionTraces, rawScore: rawScore, savings: savings,
                confidence: ConfidenceTrace(answeredWeight: answeredWeight, relevantWeight: relevantWeight,
                                            share: (share * 1000).rounded() / 1000)),
            missingInputs: missing)
    }

    private func advice(_ list: Product.AdviceList, _ roots: [[Int]], _ program: ConditionProgram,
                        _ status: EligibilityStatus) -> [String] {
        let forStatus = list.statuses[status.position]
        if !forStatus.lists.isEmpty {
            var held = 0
            for (position, root) in roots[status.position].enumerated() where program.truth(root: root, answers) == .true {
                held |= 1 << position
            }
            return forStatus.lists[held]
        }
        var texts: [String] = []
        for item in forStatus.items {
            if let condition = item.condition, condition.truth(answers) != .true { continue }
            texts.append(item.text)
        }
        return texts
    }

    private func computeSavings(_ savings: Product.Savings) -> SavingsTrace {
        guard case .formula(let formula) = savings else {
            if case .notEstimated(let reason) = savings {
                return SavingsTrace(estimated: false, value: nil, reason: reason, note: nil, variables: [], steps: [], parameters: [])
            }
            fatalError("unreachable")
        }
        var locals = [Double?](repeating: nil, count: formula.locals.count)
        var variables: [VariableTrace] = []
        var steps: [StepTrace] = []
        var usedParameters: [Int] = []
        var problems: [String] = []
        for (slot, local) in formula.locals.enumerated() {
            switch local.kind {
            case .answer(let question):
                if case .number(let number)? = answers[question] { locals[slot] = number }
                variables.append(variableTrace(local, value: locals[slot], question: question, formula: nil))
            case .optionValues(let question, let table, let aggregate):
                locals[slot] = optionValue(answers[question], table, aggregate)
                variables.append(variableTrace(local, value: locals[slot], question: question, formula: nil))
            case .boolValues(let question, let ifTrue, let ifFalse):
                if case .bool(let flag)? = answers[question] { locals[slot] = flag ? ifTrue : ifFalse }
                variables.append(variableTrace(local, value: locals[slot], question: question, formula: nil))
            case .choose(let cases, let otherwise):
                var chosen: (expression: Expression, formula: String)?
                var undecided = false
                var reads = local.parameterReads.count - 1
                for (position, candidate) in cases.enumerated() {
                    let truth = candidate.condition.truth(answers)
                    if truth == .unknown { undecided = true; break }
                    if truth == .true { chosen = (candidate.expression, candidate.formula); reads = position; break }
                }
                if chosen == nil, !undecided { chosen = otherwise }
                if let chosen {
                    locals[slot] = chosen.expression.value(parameters: parameterValues, locals: locals)
                    for parameter in local.parameterReads[reads] where !usedParameters.contains(parameter) { usedParameters.append(parameter) }
                }
                variables.append(VariableTrace(wording: local.wording, value: locals[slot], question: nil,
                                               answer: nil, formula: chosen?.formula))
            case .step(let expression, let text):
                locals[slot] = expression.value(parameters: parameterValues, locals: locals)
                for parameter in local.parameterReads[0] where !usedParameters.contains(parameter) { usedParameters.append(parameter) }
                steps.append(StepTrace(wording: local.wording, formula: text, value: locals[slot]))
            }
            if case .step = local.kind {} else if locals[slot] == nil {
                problems.append(local.questions.isEmpty
                    ? local.label
                    : local.questions.map { catalog.questions[$0].id }.joined(separator: ", "))
            }
        }
        let parameters = usedParameters.map { index in
            ParameterTrace(parameter: catalog.parameters[index], position: parametersInForce[index])
        }
        let result = locals[formula.result]
        let reason: String? = result != nil ? nil : problems.isEmpty
            ? "Calcul impossible (division par zéro)."
            : "Montant non calculable : réponse manquante ou inconnue pour \(problems.joined(separator: " ; "))."
        return SavingsTrace(estimated: result != nil, value: result, reason: reason, note: formula.note,
                            variables: variables, steps: steps, parameters: parameters)
    }

    private func variableTrace(_ local: Product.Local, value: Double?, question: Int, formula: String?) -> VariableTrace {
        VariableTrace(wording: local.wording, value: value, question: catalog.questionIDs[question],
                      answer: visibility.visible[question] ? given[question] : nil, formula: formula)
    }

    private func optionValue(_ answer: StoredAnswer?, _ table: [Double?], _ aggregate: VariableDefinition.Aggregate) -> Double? {
        switch answer {
        case .option(let position)?:
            return table[position]
        case .options(let mask)?:
            var picked: [Double] = []
            for position in table.indices where mask & (1 << UInt64(position)) != 0 {
                guard let value = table[position] else { return nil }
                picked.append(value)
            }
            guard !picked.isEmpty else { return aggregate == .sum ? 0 : nil }
            switch aggregate {
            case .sum: return picked.reduce(0, +)
            case .max: return picked.max()
            case .min: return picked.min()
            }
        default:
            return nil
        }
    }
}

extension Double {
    var roundedToCents: Double { (self * 100).rounded() / 100 }
}

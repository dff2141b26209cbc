extension Catalog {
    /// Evaluates every product for `answers` with the parameter values in force on `day`.
    /// Answers to questions the other answers hide are ignored.
    public func evaluate(_ answers: ValidatedAnswers, on day: CalendarDay) throws(EvaluationError) -> Evaluation {
        let period = parameterPeriods.period(on: day)
        if let unavailable = period.unavailable {
            throw .parameterUnavailable(name: parameters[unavailable].name, day: day)
        }
        let visibility = Visibility(catalog: self, answers: answers)
        let context = EvaluationContext(
            inputs: EvaluationInputs(
                catalog: self, given: answers.given, visibility: visibility, parametersInForce: period.inForce, day: day),
            parameterValues: period.values, answers: visibility.effective)
        var results: [ProductResult] = []
        results.reserveCapacity(products.count)
        var total = 0.0
        for product in products {
            let result = context.evaluate(product)
            total += result.estimatedSavings
            results.append(result)
        }
        return Evaluation(
            rulesetVersion: rulesetIdentifier, evaluatedOn: day, results: results,
            totalEstimatedSavings: total.roundedToCents)
    }
}

struct EvaluationContext {
    let inputs: EvaluationInputs
    let parameterValues: [Double]
    /// The answers that count (hidden ones removed), read by every condition and formula.
    let answers: AnswerSheet

    func evaluate(_ product: Product) -> ProductResult {
        let gateCount = product.gates.count
        let contributionCount = product.contributions.count
        let formula: Product.SavingsFormula?
        if case .formula(let savingsFormula) = product.savings { formula = savingsFormula } else { formula = nil }
        // Room for every outcome and value this product can record; the counts below say what was used.
        let slots = TraceSlots.make(count: gateCount + contributionCount + (formula?.locals.count ?? 0))
        var gatesTruth = Truth.true
        let program = product.program
        for position in 0..<gateCount {
            let truth = program.truth(root: product.gateRoots[position], answers)
            switch truth {
            case .true: break
            case .false: gatesTruth = .false
            case .unknown: if gatesTruth == .true { gatesTruth = .unknown }
            }
            slots[position].truth = truth
        }

        var rawScore = 0
        var contributionsRecorded = 0
        var localsRecorded = 0
        var savings: Double?
        if gatesTruth == .true {
            for position in 0..<contributionCount {
                let root = product.contributionRoots[position]
                let truth = root < 0 ? .true : program.truth(root: root, answers)
                if truth == .true { rawScore += product.contributions[position].points }
                slots[gateCount + position].truth = truth
            }
            contributionsRecorded = contributionCount
            if let formula {
                savings = compute(formula, into: slots, from: gateCount + contributionCount)
                localsRecorded = formula.locals.count
            }
        }
        let score = gatesTruth == .true ? min(100, max(0, rawScore)) : 0
        let status = EligibilityStatus(score: score)
        let amount = max(0, savings ?? 0).roundedToCents

        // A product whose conditions already fail depends only on the questions of those conditions.
        let relevant = gatesTruth == .false ? product.gateQuestions : product.relevantQuestions
        var answeredWeight = 0
        var relevantWeight = 0
        let importances = inputs.catalog.importances
        let visible = inputs.visible
        let undecided = inputs.undecided
        for question in relevant {
            if visible[question] {
                relevantWeight += importances[question]
                if answers[question] != nil { answeredWeight += importances[question] }
            } else if undecided[question] {
                relevantWeight += importances[question]
            }
        }
        let trace = EvaluatedTrace(
            inputs: inputs, product: product, slots: BuiltSlots(slots), contributionCount: contributionsRecorded,
            localCount: localsRecorded, gatesTruth: gatesTruth, rawScore: rawScore,
            answeredWeight: answeredWeight, relevantWeight: relevantWeight)

        return ProductResult(
            productCode: product.code, productName: product.name, score: score, status: status,
            estimatedSavings: amount, savingsEstimated: savings != nil,
            confidenceLevel: ConfidenceLevel(answeredShare: trace.share),
            recommendations: advice(product.recommendations, product.recommendationRoots, product.program, status),
            riskFactors: advice(product.riskFactors, product.riskFactorRoots, product.program, status),
            calculationDetails: CalculationDetails(trace))
    }

    private func advice(
        _ list: Product.AdviceList, _ roots: [[Int]], _ program: ConditionProgram,
        _ status: EligibilityStatus
    ) -> [String] {
        let position = status.position
        // Read through the arrays in place: binding `list.statuses[position]` would copy (and retain) its arrays.
        if !list.statuses[position].lists.isEmpty {
            var held = 0
            for item in 0..<roots[position].count where program.truth(root: roots[position][item], answers) == .true {
                held |= 1 << item
            }
            return list.statuses[position].lists[held]
        }
        var texts: [String] = []
        for item in list.statuses[position].items {
            if let condition = item.condition, condition.truth(answers) != .true { continue }
            texts.append(item.text)
        }
        return texts
    }

    /// Computes the locals of `formula` in order into `slots` (from `base`) and returns its result.
    private func compute(_ formula: Product.SavingsFormula, into slots: TraceSlots, from base: Int) -> Double? {
        for (position, local) in formula.locals.enumerated() {
            var value: Double?
            var choice: Int16 = -1
            switch local.kind {
            case .answer(let question):
                if case .number(let number)? = answers[question] { value = number }
            case .optionValues(let question, let table, let aggregate):
                value = optionValue(answers[question], table, aggregate)
            case .boolValues(let question, let ifTrue, let ifFalse):
                if case .bool(let flag)? = answers[question] { value = flag ? ifTrue : ifFalse }
            case .choose(let cases, let otherwise):
                var chosen: Expression?
                var undecided = false
                for (index, candidate) in cases.enumerated() {
                    let truth = candidate.condition.truth(answers)
                    if truth == .unknown {
                        undecided = true
                        break
                    }
                    if truth == .true {
                        chosen = candidate.expression
                        choice = Int16(index)
                        break
                    }
                }
                if chosen == nil, !undecided, let otherwise {
                    chosen = otherwise.expression
                    choice = Int16(cases.count)
                }
                value = chosen?.value(parameters: parameterValues, locals: slots, base: base)
            case .step(let expression, _):
                value = expression.value(parameters: parameterValues, locals: slots, base: base)
            }
            slots[base + position].choice = choice
            if let value {
                slots[base + position].hasValue = true
                slots[base + position].value = value
            }
        }
        return slots[base + formula.result].number
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

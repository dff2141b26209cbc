/// Turns the decoded catalog files into a checked ``Catalog``; every refusal names the file and the item.
struct CatalogCompiler {
    private var sections: [Section] = []
    private var questions: [Question] = []
    private var questionIndex: [String: Int] = [:]
    private var parameters: [Parameter] = []
    private var parameterIndex: [String: Int] = [:]
    private var products: [Product] = []

    private static let questionsFile = "questions.yaml"
    private static let parametersFile = "parameters.yaml"

    func catalog(title: String, ruleset: RulesetVersion) -> Catalog {
        Catalog(
            title: title, ruleset: ruleset, sections: sections, questions: questions, parameters: parameters,
            products: products, questionIndex: questionIndex, influence: influenceTable())
    }

    // MARK: Questions

    mutating func compileQuestions(_ file: QuestionFile) throws(CatalogError) {
        let file_ = Self.questionsFile
        var sectionIDs = Set<String>()
        for section in file.sections {
            guard sectionIDs.insert(section.id).inserted else {
                throw CatalogError(file: file_, item: "section \(section.id)", message: "identifiant de section en double")
            }
            sections.append(Section(id: section.id, title: section.title))
        }
        var seenOrders: [Int: String] = [:]
        for definition in file.questions {
            if questionIndex[definition.id] != nil {
                throw CatalogError(file: file_, item: definition.id, message: "identifiant de question en double")
            }
            if let other = seenOrders[definition.order] {
                throw CatalogError(file: file_, item: definition.id, message: "ordre \(definition.order) déjà utilisé par \(other)")
            }
            seenOrders[definition.order] = definition.id
            questionIndex[definition.id] = -1
        }
        questionIndex = [:]
        let sorted = file.questions.sorted { $0.order < $1.order }
        for definition in sorted {
            let question = try compileQuestion(definition, index: questions.count, sectionIDs: sectionIDs)
            questionIndex[question.id] = questions.count
            questions.append(question)
        }
    }

    private func compileQuestion(_ definition: QuestionDefinition, index: Int, sectionIDs: Set<String>) throws(CatalogError) -> Question {
        func refuse(_ message: String) -> CatalogError {
            CatalogError(file: Self.questionsFile, item: definition.id, message: message)
        }
        guard sectionIDs.contains(definition.section) else { throw refuse("section inconnue « \(definition.section) »") }
        let importance = definition.importance ?? 3
        guard (1...5).contains(importance) else { throw refuse("importance \(importance) hors de 1 à 5") }
        let options = (definition.options ?? []).map { Question.Option(id: $0.id, label: $0.label) }
        var optionIndex: [String: Int] = [:]
        for (position, option) in options.enumerated() {
            guard optionIndex[option.id] == nil else { throw refuse("option « \(option.id) » en double") }
            optionIndex[option.id] = position
        }
        switch definition.type {
        case .singleChoice, .multipleChoice:
            guard options.count >= 2 else { throw refuse("un choix demande au moins deux options") }
            guard options.count <= 64 else { throw refuse("au plus 64 options") }
        case .number, .yesNo, .text:
            guard options.isEmpty else { throw refuse("les options ne valent que pour les questions à choix") }
        }
        if definition.type == .multipleChoice {
            let minimum = definition.minChoices ?? 0
            let maximum = definition.maxChoices ?? options.count
            guard minimum >= 0, maximum >= max(1, minimum), maximum <= options.count else {
                throw refuse("min_choices \(minimum) / max_choices \(maximum) incohérents avec \(options.count) options")
            }
        } else if definition.minChoices != nil || definition.maxChoices != nil {
            throw refuse("min_choices et max_choices ne valent que pour un choix multiple")
        }
        if let minimum = definition.minimum, let maximum = definition.maximum, minimum > maximum {
            throw refuse("minimum \(minimum.formatted) supérieur au maximum \(maximum.formatted)")
        }
        if definition.type != .number, definition.minimum != nil || definition.maximum != nil || definition.unit != nil {
            throw refuse("unité et bornes ne valent que pour une question numérique")
        }
        var visibility: Condition?
        if let visibleWhen = definition.visibleWhen {
            visibility = try compileCondition(visibleWhen, file: Self.questionsFile, item: definition.id, before: index)
        }
        return Question(
            id: definition.id, text: definition.text, help: definition.help, type: definition.type,
            section: definition.section, order: definition.order, importance: importance,
            isRequired: definition.required ?? true, options: options,
            minChoices: definition.type == .multipleChoice ? (definition.minChoices ?? 0) : nil,
            maxChoices: definition.type == .multipleChoice ? (definition.maxChoices ?? options.count) : nil,
            unit: definition.unit, minimum: definition.minimum, maximum: definition.maximum,
            isInteger: definition.integer ?? false, maxLength: definition.maxLength ?? 500,
            visibleWhen: definition.visibleWhen, visibility: visibility, optionIndex: optionIndex)
    }

    // MARK: Conditions

    /// `before`: a question's visibility may only read questions asked before it, so visibility is
    /// computed in one pass and can never loop.
    func compileCondition(_ definition: ConditionDefinition, file: String, item: String, before: Int? = nil) throws(CatalogError)
        -> Condition
    {
        func refuse(_ message: String) -> CatalogError { CatalogError(file: file, item: item, message: message) }
        switch definition {
        case .all(let parts):
            guard !parts.isEmpty else { throw refuse("« all » vide") }
            var compiled: [Condition] = []
            for part in parts { compiled.append(try compileCondition(part, file: file, item: item, before: before)) }
            return .all(compiled)
        case .any(let parts):
            guard !parts.isEmpty else { throw refuse("« any » vide") }
            var compiled: [Condition] = []
            for part in parts { compiled.append(try compileCondition(part, file: file, item: item, before: before)) }
            return .any(compiled)
        case .not(let part):
            return .not(try compileCondition(part, file: file, item: item, before: before))
        case .test(let questionID, let test):
            guard let index = questionIndex[questionID] else { throw refuse("question inconnue « \(questionID) »") }
            if let before, index >= before {
                throw refuse("la condition lit \(questionID), qui n'est pas posée avant")
            }
            let question = questions[index]
            func option(_ scalar: ScalarDefinition) throws(CatalogError) -> Int {
                guard case .text(let id) = scalar, let position = question.optionIndex[id] else {
                    throw refuse(
                        "option « \(scalar) » inexistante pour \(questionID) (options : \(question.options.map(\.id).joined(separator: ", ")))"
                    )
                }
                return position
            }
            func mask(_ scalars: [ScalarDefinition]) throws(CatalogError) -> UInt64 {
                var mask: UInt64 = 0
                for scalar in scalars { mask |= 1 << UInt64(try option(scalar)) }
                return mask
            }
            func mask(_ ids: [String]) throws(CatalogError) -> UInt64 { try mask(ids.map(ScalarDefinition.text)) }
            func unsupported() -> CatalogError {
                refuse("opérateur non applicable à \(questionID) (question de type \(question.type.rawValue))")
            }
            if case .answered(let expected) = test {
                return expected ? .answered(question: index) : .not(.answered(question: index))
            }
            switch question.type {
            case .singleChoice:
                switch test {
                case .equals(let value): return .option(question: index, mask: try mask([value]))
                case .notEquals(let value): return .not(.option(question: index, mask: try mask([value])))
                case .isIn(let values): return .option(question: index, mask: try mask(values))
                case .notIn(let values): return .not(.option(question: index, mask: try mask(values)))
                default: throw unsupported()
                }
            case .multipleChoice:
                switch test {
                case .includes(let value): return .includes(question: index, mask: try mask([value]), mode: .all)
                case .includesAny(let values): return .includes(question: index, mask: try mask(values), mode: .any)
                case .includesNone(let values): return .includes(question: index, mask: try mask(values), mode: .none)
                default: throw unsupported()
                }
            case .yesNo:
                switch test {
                case .equals(.bool(let value)): return .bool(question: index, value: value)
                case .notEquals(.bool(let value)): return .bool(question: index, value: !value)
                case .equals, .notEquals: throw refuse("\(questionID) attend true ou false")
                default: throw unsupported()
                }
            case .number:
                switch test {
                case .equals(.number(let value)): return .number(question: index, comparison: .equal, value: value)
                case .notEquals(.number(let value)): return .not(.number(question: index, comparison: .equal, value: value))
                case .atLeast(let value): return .number(question: index, comparison: .atLeast, value: value)
                case .atMost(let value): return .number(question: index, comparison: .atMost, value: value)
                case .greaterThan(let value): return .number(question: index, comparison: .greaterThan, value: value)
                case .lessThan(let value): return .number(question: index, comparison: .lessThan, value: value)
                case .equals, .notEquals: throw refuse("\(questionID) attend un nombre")
                default: throw unsupported()
                }
            case .text:
                switch test {
                case .equals(.text(let value)): return .text(question: index, value: value)
                case .notEquals(.text(let value)): return .not(.text(question: index, value: value))
                default: throw unsupported()
                }
            }
        }
    }

    // MARK: Parameters

    mutating func compileParameters(_ file: ParameterFile, requiredOn day: CalendarDay?) throws(CatalogError) {
        for definition in file.parameters {
            func refuse(_ message: String) -> CatalogError {
                CatalogError(file: Self.parametersFile, item: definition.name, message: message)
            }
            guard parameterIndex[definition.name] == nil else { throw refuse("paramètre en double") }
            guard definition.name.first?.isLetter == true,
                definition.name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
            else {
                throw refuse("nom invalide : lettres, chiffres et _ seulement")
            }
            guard !definition.values.isEmpty else { throw refuse("aucune valeur") }
            var values: [Parameter.Value] = []
            for value in definition.values {
                let label = "valeur au \(value.from)"
                if let previous = values.last, previous.from >= value.from {
                    throw refuse("\(label) : les valeurs doivent être rangées par date de début croissante")
                }
                if let until = value.until, until < value.from { throw refuse("\(label) : fin avant le début") }
                guard value.value.isFinite else { throw refuse("\(label) : nombre invalide") }
                switch (value.source, value.unsourced) {
                case (nil, nil), (nil, ""?):
                    throw refuse("\(label) : ni source ni mention « unsourced » expliquant pourquoi il n'y en a pas")
                case (let source?, _):
                    guard source.url.hasPrefix("https://") || source.url.hasPrefix("http://") else {
                        throw refuse("\(label) : l'URL de la source doit commencer par https://")
                    }
                default: break
                }
                for other in value.also ?? [] where !(other.url.hasPrefix("https://") || other.url.hasPrefix("http://")) {
                    throw refuse("\(label) : URL invalide « \(other.url) » dans « also »")
                }
                if value.source == nil, value.also?.isEmpty == false {
                    throw refuse("\(label) : une source secondaire (« also ») accompagne une source, elle ne la remplace pas")
                }
                values.append(
                    Parameter.Value(
                        from: value.from, until: value.until, value: value.value,
                        source: value.source, unsourced: value.unsourced, note: value.note,
                        also: value.also ?? [], unconfirmed: value.unconfirmed))
            }
            let parameter = Parameter(
                name: definition.name, label: definition.label, unit: definition.unit,
                index: definition.index, reviewBy: definition.reviewBy, values: values)
            if let day, parameter.value(on: day) == nil {
                throw refuse("aucune valeur en vigueur le \(day)")
            }
            parameterIndex[definition.name] = parameters.count
            parameters.append(parameter)
        }
    }

    // MARK: Products

    mutating func compileProduct(_ definition: ProductDefinition, file: String) throws(CatalogError) {
        let code = definition.code
        func refuse(_ item: String, _ message: String) -> CatalogError {
            CatalogError(file: file, item: "\(code) › \(item)", message: message)
        }
        guard !products.contains(where: { $0.code == code }) else { throw refuse("code", "code de produit en double") }
        guard !definition.sources.isEmpty else { throw refuse("sources", "au moins une source publique est exigée") }
        for source in definition.sources where !(source.url.hasPrefix("https://") || source.url.hasPrefix("http://")) {
            throw refuse("sources", "URL invalide « \(source.url) »")
        }

        var ids = Set<String>()
        var gates: [Product.Gate] = []
        for gate in definition.eligibility {
            guard ids.insert(gate.id).inserted else { throw refuse("eligibility \(gate.id)", "identifiant en double") }
            let condition = try compileCondition(gate.when, file: file, item: "\(code) › eligibility \(gate.id)")
            gates.append(
                .init(
                    id: gate.id, description: gate.description, unmet: gate.unmet, condition: condition,
                    questions: condition.questions,
                    label: TraceLabel(
                        id: gate.id, text: gate.description, questions: condition.questions.map { questions[$0].id },
                        unmet: gate.unmet, points: 0)))
        }
        var contributions: [Product.Contribution] = []
        for contribution in definition.score {
            guard ids.insert(contribution.id).inserted else { throw refuse("score \(contribution.id)", "identifiant en double") }
            guard (-100...100).contains(contribution.points) else { throw refuse("score \(contribution.id)", "points hors de -100 à 100") }
            let condition = try contribution.when.map { (definition) throws(CatalogError) in
                try compileCondition(definition, file: file, item: "\(code) › score \(contribution.id)")
            }
            contributions.append(
                .init(
                    id: contribution.id, points: contribution.points, reason: contribution.reason,
                    condition: condition, questions: condition?.questions ?? [],
                    label: TraceLabel(
                        id: contribution.id, text: contribution.reason,
                        questions: (condition?.questions ?? []).map { questions[$0].id },
                        unmet: nil, points: contribution.points)))
        }

        let savings = try compileSavings(definition.savings, file: file, code: code)
        var savingsQuestions: [Int] = []
        if case .formula(let formula) = savings {
            for local in formula.locals { savingsQuestions.append(contentsOf: local.questions) }
        }

        func advice(_ list: [AdviceDefinition]?, _ kind: String) throws(CatalogError) -> [Product.Advice] {
            var result: [Product.Advice] = []
            for (position, item) in (list ?? []).enumerated() {
                let condition = try item.when.map { (definition) throws(CatalogError) in
                    try compileCondition(definition, file: file, item: "\(code) › \(kind)[\(position)]")
                }
                result.append(
                    .init(text: item.text, condition: condition, statuses: item.statuses.map { $0.reduce(0) { $0 | $1.bit } } ?? 7))
            }
            return result
        }

        let gateQuestions = unique(gates.flatMap(\.questions))
        let relevant = unique(gateQuestions + contributions.flatMap(\.questions) + savingsQuestions).sorted()
        products.append(
            Product(
                code: code, name: definition.name, category: definition.category, description: definition.description,
                sources: definition.sources, gates: gates, contributions: contributions, savings: savings,
                recommendations: try advice(definition.recommendations, "recommendations"),
                riskFactors: try advice(definition.riskFactors, "risk_factors"),
                relevantQuestions: relevant, gateQuestions: gateQuestions.sorted(),
                savingsQuestions: unique(savingsQuestions).sorted()))
    }

    private func compileSavings(_ definition: SavingsDefinition, file: String, code: String) throws(CatalogError) -> Product.Savings {
        func refuse(_ item: String, _ message: String) -> CatalogError {
            CatalogError(file: file, item: "\(code) › savings\(item.isEmpty ? "" : " › \(item)")", message: message)
        }
        if let reason = definition.notEstimated {
            guard definition.variables == nil, definition.steps == nil, definition.result == nil else {
                throw refuse("", "« not_estimated » exclut variables, étapes et résultat")
            }
            return .notEstimated(reason: reason)
        }
        guard let steps = definition.steps, !steps.isEmpty, let resultName = definition.result else {
            throw refuse("", "il faut des étapes (steps) et un résultat (result), ou « not_estimated » avec la raison")
        }
        var locals: [Product.Local] = []
        var localIndex: [String: Int] = [:]
        let parameterIndex = self.parameterIndex
        func declare(_ name: String, _ item: String) throws(CatalogError) {
            guard localIndex[name] == nil, parameterIndex[name] == nil else {
                throw refuse(item, "le nom « \(name) » est déjà pris (paramètre, variable ou étape)")
            }
        }
        func parse(_ formula: String, _ item: String) throws(CatalogError) -> Expression {
            let known = localIndex
            do {
                return try FormulaParser.parse(formula) { name, day in
                    if let day {
                        guard let index = parameterIndex[name] else {
                            return .refused("« \(name)@\(day) » : seul un paramètre se lit à une date donnée")
                        }
                        guard let position = parameters[index].valueIndex(on: day) else {
                            return .refused("le paramètre « \(name) » n'a pas de valeur en vigueur le \(day)")
                        }
                        return .parameterOn(index, position: position, value: parameters[index].values[position].value)
                    }
                    if let index = known[name] { return .local(index) }
                    if let index = parameterIndex[name] { return .parameter(index) }
                    return nil
                }
            } catch {
                throw refuse(item, "formule « \(formula) » : \(error.message)")
            }
        }

        for variable in definition.variables ?? [] {
            let item = "variable \(variable.name)"
            try declare(variable.name, item)
            let kind: Product.Local.Kind
            var questionsRead: [Int] = []
            if let questionID = variable.question {
                guard variable.choose == nil, variable.otherwise == nil else {
                    throw refuse(item, "« question » exclut « choose » et « otherwise »")
                }
                guard let index = questionIndex[questionID] else { throw refuse(item, "question inconnue « \(questionID) »") }
                let question = questions[index]
                questionsRead = [index]
                switch question.type {
                case .number:
                    guard variable.values == nil else {
                        throw refuse(item, "une question numérique donne sa valeur directement (pas de « values »)")
                    }
                    kind = .answer(question: index)
                case .singleChoice, .multipleChoice:
                    guard let values = variable.values else { throw refuse(item, "« values » attendu : une valeur par option") }
                    var table = [Double?](repeating: nil, count: question.options.count)
                    for (optionID, value) in values {
                        guard let position = question.optionIndex[optionID] else {
                            throw refuse(item, "option « \(optionID) » inexistante pour \(questionID)")
                        }
                        table[position] = value
                    }
                    kind = .optionValues(question: index, values: table, aggregate: variable.aggregate ?? .sum)
                case .yesNo:
                    guard let values = variable.values, Set(values.keys).isSubset(of: ["true", "false"]) else {
                        throw refuse(item, "« values » attendu avec les clés true et/ou false")
                    }
                    kind = .boolValues(question: index, ifTrue: values["true"], ifFalse: values["false"])
                case .text:
                    throw refuse(item, "une question texte ne peut pas servir de nombre")
                }
            } else if let choose = variable.choose, !choose.isEmpty {
                var cases: [(condition: Condition, expression: Expression, formula: String)] = []
                for (position, choice) in choose.enumerated() {
                    let condition = try compileCondition(choice.when, file: file, item: "\(code) › savings › \(item) › choose[\(position)]")
                    questionsRead += condition.questions
                    cases.append((condition, try parse(choice.formula, "\(item) › choose[\(position)]"), choice.formula))
                }
                let otherwise = try variable.otherwise.map { (formula) throws(CatalogError) in
                    (expression: try parse(formula, "\(item) › otherwise"), formula: formula)
                }
                kind = .choose(cases: cases, otherwise: otherwise)
            } else {
                throw refuse(item, "une variable lit une question (« question ») ou choisit selon les réponses (« choose »)")
            }
            localIndex[variable.name] = locals.count
            locals.append(
                .init(name: variable.name, label: variable.label, kind: kind, note: variable.note, questions: unique(questionsRead)))
        }
        for step in steps {
            let item = "étape \(step.name)"
            try declare(step.name, item)
            let expression = try parse(step.formula, item)
            localIndex[step.name] = locals.count
            locals.append(
                .init(
                    name: step.name, label: step.label, kind: .step(expression: expression, formula: step.formula), note: nil, questions: []
                ))
        }
        guard let result = localIndex[resultName] else { throw refuse("result", "« \(resultName) » n'est ni une variable ni une étape") }
        return .formula(.init(locals: locals, result: result, note: definition.note))
    }

    // MARK: Influence

    /// For each question and product, how much the product's outcome can move with it: an eligibility
    /// condition can flip everything (100), a score contribution moves by its points, a savings input by 25.
    private func influenceTable() -> [[Int]] {
        var table = [[Int]](repeating: [Int](repeating: 0, count: products.count), count: questions.count)
        for (productIndex, product) in products.enumerated() {
            for question in product.gateQuestions { table[question][productIndex] += 100 }
            for contribution in product.contributions {
                for question in contribution.questions {
                    table[question][productIndex] += abs(contribution.points)
                }
            }
            for question in product.savingsQuestions { table[question][productIndex] += 25 }
        }
        return table
    }
}

func unique<Value: Hashable>(_ values: [Value]) -> [Value] {
    var seen = Set<Value>()
    return values.filter { seen.insert($0).inserted }
}

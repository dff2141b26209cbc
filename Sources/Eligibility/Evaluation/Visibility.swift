/// Which questions the answers make visible, and the answers that count (hidden ones are ignored).
struct Visibility {
    let visible: [Bool]
    /// Whether a hidden question may still become visible: its condition cannot be decided yet.
    let undecided: [Bool]
    let effective: AnswerSheet

    init(catalog: Catalog, answers: ValidatedAnswers) {
        let count = catalog.questions.count
        var visible = [Bool](repeating: false, count: count)
        var undecided = [Bool](repeating: false, count: count)
        var effective = AnswerSheet(values: [StoredAnswer?](repeating: nil, count: count), texts: answers.stored.texts)
        // Conditions only read earlier questions, so one pass in questionnaire order settles everything.
        let program = catalog.visibilityProgram
        let roots = catalog.visibilityRoots
        for index in 0..<count {
            let truth = roots[index] < 0 ? .true : program.truth(root: roots[index], effective)
            visible[index] = truth == .true
            undecided[index] = truth == .unknown
            if truth == .true { effective.values[index] = answers.stored[index] }
        }
        self.visible = visible
        self.undecided = undecided
        self.effective = effective
    }
}

/// The parameter values in force between two dates at which some parameter's value starts or ends,
/// built once when the catalog loads: an evaluation picks its period instead of looking up each
/// parameter, and shares the period's arrays.
struct ParameterPeriod: Sendable {
    /// First day of the period, as ``CalendarDay/ordinal``; the period lasts until the next one starts.
    let start: Int
    /// Per parameter, its value in force and the index of that value in ``Parameter/values``.
    let values: [Double]
    let inForce: [Int]
    /// A parameter with no value in force during the period, if any: evaluations refuse such a day.
    let unavailable: Int?

    /// Periods covering every day, sorted by start (the first starts before any date).
    static func periods(of parameters: [Parameter]) -> [ParameterPeriod] {
        var starts: Set<Int> = [Int.min]
        for parameter in parameters {
            for value in parameter.values {
                starts.insert(value.from.ordinal)
                // Ordinals are only compared, so the day after `until` may be written as `until + 1`.
                if let until = value.until { starts.insert(until.ordinal + 1) }
            }
        }
        return starts.sorted().map { start in
            var values = [Double](repeating: 0, count: parameters.count)
            var inForce = [Int](repeating: 0, count: parameters.count)
            var unavailable: Int?
            for (index, parameter) in parameters.enumerated() {
                if let valueIndex = parameter.valueIndex(onOrdinal: start) {
                    values[index] = parameter.values[valueIndex].value
                    inForce[index] = valueIndex
                } else if unavailable == nil {
                    unavailable = index
                }
            }
            return ParameterPeriod(start: start, values: values, inForce: inForce, unavailable: unavailable)
        }
    }
}

extension [ParameterPeriod] {
    /// The period `day` falls in.
    func period(on day: CalendarDay) -> ParameterPeriod {
        let ordinal = day.ordinal
        var low = 0
        var high = count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if self[middle].start <= ordinal { low = middle } else { high = middle - 1 }
        }
        return self[low]
    }
}

import Foundation

/// Whole UTC days, `from` to `to` inclusive: the period the operators' figures cover. Chosen as the
/// last 7, 30 or 90 days, or as two dates, in the console, the API (`?from=&to=`) and
/// `passerelle stats --from --to`.
struct ConversionPeriod: Sendable, Equatable {
    /// The first instant of the first day, and of the day after the last.
    let bounds: (start: Date, end: Date)

    /// `2026-12-01`.
    var from: String { bounds.start.iso8601Day }
    var to: String { bounds.end.addingTimeInterval(-86_400).iso8601Day }

    private init(first: Date, last: Date) {
        bounds = (first, last.addingTimeInterval(86_400))
    }

    static func == (left: Self, right: Self) -> Bool { left.bounds == right.bounds }

    static let longest = 366

    /// The last `days` days, today included.
    static func last(_ days: Int, now: Date) -> ConversionPeriod {
        let today = utc.startOfDay(for: now)
        return ConversionPeriod(first: today.addingTimeInterval(-Double(days - 1) * 86_400), last: today)
    }

    /// From two dates as a person types them (`AAAA-MM-JJ`); either missing (nil; an empty text is a
    /// wrong date) is today's or 29 days before `to`; at most `longest` days (nil: no bound). A French
    /// sentence for what is wrong.
    static func parse(from: String?, to: String?, now: Date, longest: Int? = longest) -> Result<ConversionPeriod, PeriodError> {
        let end: Date
        if let to {
            guard let day = day(to.trimmingCharacters(in: .whitespaces)) else {
                return .failure(PeriodError(field: "to", message: "Date de fin invalide : attendu AAAA-MM-JJ."))
            }
            end = day
        } else {
            end = utc.startOfDay(for: now)
        }
        let start: Date
        if let from {
            guard let day = day(from.trimmingCharacters(in: .whitespaces)) else {
                return .failure(PeriodError(field: "from", message: "Date de début invalide : attendu AAAA-MM-JJ."))
            }
            start = day
        } else {
            start = end.addingTimeInterval(-29 * 86_400)
        }
        guard start <= end else {
            return .failure(PeriodError(field: "from", message: "La date de début doit précéder la date de fin."))
        }
        if let longest, end.timeIntervalSince(start) / 86_400 >= Double(longest) {
            return .failure(PeriodError(field: "from", message: "La période ne peut pas dépasser \(longest) jours."))
        }
        return .success(ConversionPeriod(first: start, last: end))
    }

    /// A list's date filter: either date may be left empty (no lower bound; today); nil when both are.
    static func filter(from: String, to: String, now: Date) -> Result<(start: Date, end: Date)?, PeriodError> {
        guard !from.isEmpty || !to.isEmpty else { return .success(nil) }
        return parse(from: from.nilIfEmpty ?? "2000-01-01", to: to.nilIfEmpty, now: now, longest: nil).map { $0.bounds }
    }

    /// Every day of the period, in order.
    var days: [String] {
        let (start, end) = bounds
        return stride(from: start.timeIntervalSince1970, to: end.timeIntervalSince1970, by: 86_400).map {
            Date(timeIntervalSince1970: $0).iso8601Day
        }
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    private static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (2000...2100).contains(year)
        else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: utc), let date = utc.date(from: components) else { return nil }
        return date
    }
}

struct PeriodError: Error, Sendable {
    /// `from` or `to`.
    let field: String
    let message: String

    /// The console's name of the field: `du` or `au`.
    var formField: String { field == "from" ? "du" : "au" }

    var appError: AppError {
        .validation([FieldError(field: field, code: "invalid_date", message: message)], message: message)
    }
}

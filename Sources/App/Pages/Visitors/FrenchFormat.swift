import Eligibility
import Foundation

/// Numbers, amounts and dates as a French reader writes them.
enum FrenchFormat {
    /// `7 780,00 €`.
    static func euros(_ amount: Double) -> String {
        grouped(amount, decimals: 2) + "\u{00A0}€"
    }

    /// `12`, `12,5`, `1 000 000` (no trailing zeros).
    static func plainNumber(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value).replacingOccurrences(of: ".", with: ",")
    }

    /// A number with grouped thousands and `decimals` decimals: `1 234,50`.
    static func grouped(_ value: Double, decimals: Int) -> String {
        let negative = value < 0
        let scaled = (abs(value) * pow(10, Double(decimals))).rounded()
        let whole = Int64(scaled / pow(10, Double(decimals)))
        let fraction = Int64(scaled) - whole * Int64(pow(10, Double(decimals)))
        var digits = String(whole)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        var text = (negative ? "-" : "") + groups.joined(separator: "\u{202F}")
        if decimals > 0 {
            let padded = String(fraction)
            text += "," + String(repeating: "0", count: max(0, decimals - padded.count)) + padded
        }
        return text
    }

    /// A figure from a catalog parameter or a formula: up to two decimals, grouped.
    static func figure(_ value: Double) -> String {
        value == value.rounded() ? grouped(value, decimals: 0) : grouped(value, decimals: 2)
    }

    /// `12`, `12,5`, `12.5`, `1 000`: what a person types for a number; nil when it is not one.
    static func parseNumber(_ text: String) -> Double? {
        let cleaned = text.replacingOccurrences(of: "\u{202F}", with: "").replacingOccurrences(of: "\u{00A0}", with: "")
            .replacingOccurrences(of: " ", with: "").replacingOccurrences(of: ",", with: ".")
        guard !cleaned.isEmpty, cleaned.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) else { return nil }
        return Double(cleaned)
    }

    private static let months = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ]

    /// `2 mars 2026`.
    static func day(_ day: CalendarDay) -> String {
        "\(day.day == 1 ? "1er" : String(day.day)) \(months[day.month - 1]) \(day.year)"
    }

    static func day(_ date: Date) -> String {
        day(CalendarDay(date))
    }

    /// `7 décembre 2026, 14 h 05`: when something happened, to the minute, in Paris time (as `day`).
    static func moment(_ date: Date) -> String {
        var paris = Calendar(identifier: .gregorian)
        paris.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        let parts = paris.dateComponents([.hour, .minute], from: date)
        return day(date) + ", " + String(format: "%02d h %02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    /// A duration in seconds as a person reads it: `45 s`, `12 min`, `3 h 20 min`, `2 j 4 h`.
    static func duration(_ seconds: Int) -> String {
        switch seconds {
        case ..<60: return "\(seconds) s"
        case ..<3600: return "\(seconds / 60) min"
        case ..<86_400: return "\(seconds / 3600) h \(seconds % 3600 / 60) min"
        default: return "\(seconds / 86_400) j \(seconds % 86_400 / 3600) h"
        }
    }
}

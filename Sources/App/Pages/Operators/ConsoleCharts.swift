/// The console's charts, inline SVG drawn by the server: an image with a title for screen readers,
/// who read the same figures in the table beside it.
enum ConsoleCharts {
    /// One bar per step, its count at its end (the funnel).
    static func horizontalBars(title: String, id: String, bars: [(String, Int)], _ html: inout HTMLWriter) {
        let rowHeight = 30
        let largest = Double(max(1, bars.map(\.1).max() ?? 1))
        html.element(
            "svg",
            [
                ("class", "graphique"), ("viewBox", "0 0 640 \(rowHeight * bars.count + 10)"), ("role", "img"),
                ("aria-labelledby", "\(id)-titre"), ("focusable", "false"),
            ]
        ) { html in
            html.element("title", [("id", "\(id)-titre")], text: title)
            for (index, bar) in bars.enumerated() {
                let y = 5 + index * rowHeight
                let width = bar.1 == 0 ? 0 : max(2, Int(360 * Double(bar.1) / largest))
                html.element("text", [("x", "0"), ("y", "\(y + 20)")], text: bar.0)
                html.shape("rect", [("class", "barre"), ("x", "190"), ("y", "\(y + 4)"), ("width", "\(width)"), ("height", "22")])
                html.element("text", [("x", "\(196 + width)"), ("y", "\(y + 20)")], text: "\(bar.1)")
            }
        }
    }

    /// Per day, two bars side by side: sessions started and migrated, the largest day's count on the axis.
    static func dailyBars(title: String, id: String, days: [(date: String, started: Int, migrated: Int)], _ html: inout HTMLWriter) {
        let height = 160
        let left = 40
        let width = 600
        let largest = max(1, days.map(\.started).max() ?? 1)
        let slot = Double(width) / Double(max(1, days.count))
        html.element(
            "svg",
            [
                ("class", "graphique"), ("viewBox", "0 0 \(left + width) \(height + 40)"), ("role", "img"),
                ("aria-labelledby", "\(id)-titre"), ("focusable", "false"),
            ]
        ) { html in
            html.element("title", [("id", "\(id)-titre")], text: title)
            html.element("text", [("x", "0"), ("y", "14")], text: "\(largest)")
            html.element("text", [("x", "0"), ("y", "\(height)")], text: "0")
            html.shape("line", [("class", "axe"), ("x1", "\(left)"), ("y1", "\(height)"), ("x2", "\(left + width)"), ("y2", "\(height)")])
            for (index, day) in days.enumerated() {
                let x = Double(left) + Double(index) * slot
                let bar = max(1, slot / 2 - 1)
                for (offset, count, kind) in [(0.0, day.started, "commencees"), (bar, day.migrated, "migrees")] where count > 0 {
                    let barHeight = max(1, Int(Double(height - 10) * Double(count) / Double(largest)))
                    html.shape(
                        "rect",
                        [
                            ("class", "barre-\(kind)"), ("x", format(x + offset)), ("y", "\(height - barHeight)"),
                            ("width", format(bar)), ("height", "\(barHeight)"),
                        ])
                }
            }
            if let first = days.first, let last = days.last {
                html.element("text", [("x", "\(left)"), ("y", "\(height + 20)")], text: label(first.date))
                html.element("text", [("x", "\(left + width)"), ("y", "\(height + 20)"), ("text-anchor", "end")], text: label(last.date))
            }
        }
    }

    private static func format(_ value: Double) -> String {
        String(Double((value * 10).rounded()) / 10)
    }

    /// `2026-12-07` → `07/12`.
    private static func label(_ date: String) -> String {
        let parts = date.split(separator: "-")
        return parts.count == 3 ? "\(parts[2])/\(parts[1])" : date
    }
}

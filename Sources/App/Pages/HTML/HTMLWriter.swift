/// Writes HTML text: every text and attribute value escaped on the way in, so a page cannot carry
/// markup it did not mean to. Pages are functions that write into one of these (`PageLayout`);
/// no template engine, no tree of nodes: one string grows as the page is written.
struct HTMLWriter {
    private(set) var text = ""

    init() {
        text.reserveCapacity(16_384)
    }

    /// `<tag attributes>` … `</tag>` around what `content` writes.
    mutating func element(_ tag: String, _ attributes: [(String, String?)] = [], _ content: (inout HTMLWriter) -> Void) {
        open(tag, attributes)
        content(&self)
        text += "</\(tag)>"
    }

    /// `<tag attributes>text</tag>`.
    mutating func element(_ tag: String, _ attributes: [(String, String?)] = [], text content: String) {
        open(tag, attributes)
        escape(content)
        text += "</\(tag)>"
    }

    /// An element without content (`<input>`, `<meta>`, `<link>`).
    mutating func void(_ tag: String, _ attributes: [(String, String?)] = []) {
        open(tag, attributes)
    }

    /// An SVG shape (`<rect/>`, `<line/>`): inside `<svg>` a tag is not closed by itself, so without
    /// the slash what follows would become its content, and not be drawn.
    mutating func shape(_ tag: String, _ attributes: [(String, String?)]) {
        open(tag, attributes, selfClosing: true)
    }

    mutating func text(_ content: String) {
        escape(content)
    }

    /// Markup this code wrote itself (a constant), never anything from a person or the database.
    mutating func raw(_ markup: StaticString) {
        text += markup.description
    }

    /// An attribute with a nil value is left out; an empty string writes it alone (`required`).
    private mutating func open(_ tag: String, _ attributes: [(String, String?)], selfClosing: Bool = false) {
        text += "<" + tag
        for (name, value) in attributes {
            guard let value else { continue }
            text += " " + name
            if !value.isEmpty {
                text += "=\""
                escape(value, attribute: true)
                text += "\""
            }
        }
        text += selfClosing ? "/>" : ">"
    }

    private mutating func escape(_ content: String, attribute: Bool = false) {
        for character in content.unicodeScalars {
            switch character {
            case "&": text += "&amp;"
            case "<": text += "&lt;"
            case ">": text += "&gt;"
            case "\"" where attribute: text += "&quot;"
            default: text.unicodeScalars.append(character)
            }
        }
    }
}

extension HTMLWriter {
    /// A data table in a region that scrolls sideways when the screen is narrower than the table
    /// (WCAG lets data tables keep their columns); focusable, so the keyboard can scroll it too.
    mutating func table(label: String, _ content: (inout HTMLWriter) -> Void) {
        element("div", [("class", "tableau"), ("role", "region"), ("aria-label", label), ("tabindex", "0")]) { html in
            html.element("table", [], content)
        }
    }

    /// A table's `<thead>`: one column heading per title, those in `numeric` aligned as figures.
    mutating func columnHeads(_ titles: [String], numeric: Set<String> = []) {
        element("thead") { html in
            html.element("tr") { html in
                for title in titles {
                    html.element("th", [("scope", "col"), ("class", numeric.contains(title) ? "nombre" : nil)], text: title)
                }
            }
        }
    }
}

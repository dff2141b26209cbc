/// The parts the forms share (the questionnaire's and the account pages'): a labelled field with its hint and its error next to it,
/// and the summary at the top that links to each refused field.
enum FormFields {
    struct Field {
        let name: String
        let label: String
        var type = "text"
        var autocomplete: String?
        var inputMode: String?
        var hint: String?
        var value = ""
        var error: String?
    }

    /// `<label>`, the hint and the error before the control (so they are read before typing), the
    /// control pointing at both with `aria-describedby`.
    static func input(_ field: Field, _ html: inout HTMLWriter) {
        labelled(field, &html) { html, describedBy, invalid in
            html.void(
                "input",
                [
                    ("type", field.type), ("id", field.name), ("name", field.name),
                    ("value", field.type == "password" ? "" : field.value), ("autocomplete", field.autocomplete ?? "off"),
                    ("inputmode", field.inputMode), ("aria-describedby", describedBy), ("aria-invalid", invalid),
                ])
        }
    }

    /// A `<select>` of `options` (value, label) with a first empty choice "Non précisé".
    static func select(_ field: Field, options: [(value: String, label: String)], _ html: inout HTMLWriter) {
        labelled(field, &html) { html, describedBy, invalid in
            html.element(
                "select", [("id", field.name), ("name", field.name), ("aria-describedby", describedBy), ("aria-invalid", invalid)]
            ) { html in
                html.element("option", [("value", ""), ("selected", field.value.isEmpty ? "" : nil)], text: "Non précisé")
                for option in options {
                    html.element(
                        "option", [("value", option.value), ("selected", option.value == field.value ? "" : nil)], text: option.label)
                }
            }
        }
    }

    /// The field's block: its label, notes, then the control `control` writes, given the
    /// `aria-describedby` and `aria-invalid` values.
    private static func labelled(
        _ field: Field, _ html: inout HTMLWriter, control: (inout HTMLWriter, String?, String?) -> Void
    ) {
        html.element("div", [("class", field.error == nil ? "question" : "question champ-erreur")]) { html in
            html.element("label", [("for", field.name)], text: field.label)
            notes(name: field.name, hint: field.hint, error: field.error, &html)
            control(&html, describedBy(name: field.name, hint: field.hint, error: field.error), field.error == nil ? nil : "true")
        }
    }

    /// The ids of a field's hint and error, for `aria-describedby`; nil when it has neither.
    static func describedBy(name: String, hint: String?, error: String?) -> String? {
        [hint.map { _ in "\(name)-aide" }, error.map { _ in "\(name)-erreur" }].compactMap { $0 }.joined(separator: " ").nilIfEmpty
    }

    /// A field's hint and its error, with the ids `describedBy` names.
    static func notes(name: String, hint: String?, error: String?, _ html: inout HTMLWriter) {
        if let hint { html.element("p", [("class", "aide"), ("id", "\(name)-aide")], text: hint) }
        if let error { html.element("p", [("class", "message-erreur"), ("id", "\(name)-erreur")], text: "Erreur : " + error) }
    }

    /// The list of what to correct, each linking to its field; `items` in the form's order.
    static func errorSummary(_ title: String, _ items: [(anchor: String, text: String)], _ html: inout HTMLWriter) {
        guard !items.isEmpty else { return }
        html.element(
            "div", [("class", "resume-erreurs"), ("role", "alert"), ("tabindex", "-1"), ("aria-labelledby", "resume-erreurs-titre")]
        ) { html in
            html.element("h2", [("id", "resume-erreurs-titre")], text: title)
            html.element("ul") { html in
                for item in items { html.element("li") { html in html.element("a", [("href", "#\(item.anchor)")], text: item.text) } }
            }
        }
    }

    /// The hidden field every form that changes something carries.
    static func csrf(_ token: String, _ html: inout HTMLWriter) {
        html.void("input", [("type", "hidden"), ("name", CSRF.field), ("value", token)])
    }

    /// A form of one button (`POST action`), with its CSRF token.
    static func button(_ label: String, action: String, csrf token: String, secondary: Bool = false, _ html: inout HTMLWriter) {
        html.element("form", [("method", "post"), ("action", action)]) { html in
            csrf(token, &html)
            html.element("button", [("type", "submit"), ("class", secondary ? "second" : nil)], text: label)
        }
    }
}

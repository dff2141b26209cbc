import Foundation

/// The sign-up form of a new client, as posted.
struct ClientSignupInput: Codable, Sendable {
    let email: String?
    let password: String?
    let name: String?
    let companyName: String?
    let phoneNumber: String?
    let siren: String?
    let address: String?
    let city: String?
    let postalCode: String?

    enum CodingKeys: String, CodingKey {
        case email, password, name, siren, address, city
        case companyName = "company_name"
        case phoneNumber = "phone_number"
        case postalCode = "postal_code"
    }
}

/// The sector, headcount band and turnover band as option labels of the simulator's questions
/// (`GENERAL_001`, `GENERAL_003`, `GENERAL_002`); nil when not given.
struct ClientProfileBands: Sendable, Equatable {
    var sector: String?
    var headcountBand: String?
    var turnoverBand: String?
}

/// A sign-up form that passed every check, normalised (lower-cased email, digits only).
struct ClientSignup: Sendable {
    let email: String
    let password: String
    let name: String
    let companyName: String
    let phoneNumber: String
    let siren: String
    let address: String
    let city: String
    let postalCode: String
    /// The bands the person confirmed or changed on the sign-up page; nil (the API) takes them from
    /// the simulation's answers.
    var profile: ClientProfileBands?

    /// Checks every field and reports all problems at once, in French, under `client_data.<field>`.
    static func validate(_ input: ClientSignupInput) -> Result<ClientSignup, AppError> {
        var errors: [FieldError] = []
        func text(_ value: String?, _ field: String, minimum: Int, maximum: Int = 200, label: String) -> String {
            let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.containsControlCharacters {
                errors.append(
                    FieldError(
                        field: "client_data.\(field)", code: "invalid_characters",
                        message: "\(label) contient des caractères invisibles non autorisés."))
                return ""
            }
            if trimmed.isEmpty {
                errors.append(FieldError(field: "client_data.\(field)", code: "required", message: "\(label) est obligatoire."))
            } else if trimmed.count < minimum || trimmed.count > maximum {
                errors.append(
                    FieldError(
                        field: "client_data.\(field)", code: "invalid_length",
                        message: "\(label) doit compter entre \(minimum) et \(maximum) caractères."))
            }
            return trimmed
        }
        let email = text(input.email, "email", minimum: 3, maximum: 254, label: "L'adresse e-mail").lowercased()
        if !email.isEmpty, !isEmail(email) {
            errors.append(FieldError(field: "client_data.email", code: "invalid_email", message: "Adresse e-mail invalide."))
        }
        let password = input.password ?? ""
        if password.containsControlCharacters {
            errors.append(
                FieldError(
                    field: "client_data.password", code: "invalid_characters",
                    message: "Le mot de passe contient des caractères invisibles non autorisés."))
        } else if password.isEmpty {
            errors.append(FieldError(field: "client_data.password", code: "required", message: "Le mot de passe est obligatoire."))
        } else if password.count < 10 || password.count > 128 || !password.contains(where: \.isLetter)
            || !password.contains(where: \.isNumber)
        {
            errors.append(
                FieldError(
                    field: "client_data.password", code: "weak_password",
                    message: "Le mot de passe doit compter au moins 10 caractères, dont au moins une lettre et un chiffre."))
        } else if password.lowercased() == email {
            errors.append(
                FieldError(
                    field: "client_data.password", code: "weak_password",
                    message: "Le mot de passe ne peut pas être votre adresse e-mail."))
        }
        let name = text(input.name, "name", minimum: 2, label: "Le nom")
        let company = text(input.companyName, "company_name", minimum: 2, label: "La raison sociale")
        let phoneRaw = text(input.phoneNumber, "phone_number", minimum: 10, maximum: 20, label: "Le téléphone")
        let phone = phoneRaw.filter { !" .-()".contains($0) }
        if !phoneRaw.isEmpty, !isFrenchPhone(phone) {
            errors.append(
                FieldError(
                    field: "client_data.phone_number", code: "invalid_phone",
                    message: "Numéro de téléphone français invalide (ex. 01 23 45 67 89 ou +33 1 23 45 67 89)."))
        }
        let sirenRaw = text(input.siren, "siren", minimum: 9, maximum: 11, label: "Le SIREN")
        let siren = sirenRaw.filter { $0 != " " }
        if !sirenRaw.isEmpty, !isSIREN(siren) {
            errors.append(
                FieldError(
                    field: "client_data.siren", code: "invalid_siren",
                    message: "SIREN invalide : 9 chiffres dont le dernier est une clé de contrôle."))
        }
        let address = text(input.address, "address", minimum: 5, label: "L'adresse")
        let city = text(input.city, "city", minimum: 2, maximum: 100, label: "La ville")
        let postal = text(input.postalCode, "postal_code", minimum: 5, maximum: 5, label: "Le code postal")
        if postal.count == 5, !isFrenchPostalCode(postal) {
            errors.append(
                FieldError(
                    field: "client_data.postal_code", code: "invalid_postal_code",
                    message: "Code postal français invalide (5 chiffres)."))
        }
        guard errors.isEmpty else { return .failure(.validation(errors, message: "Le formulaire d'inscription contient des erreurs.")) }
        let normalizedPhone = phone.hasPrefix("+33") ? "0" + phone.dropFirst(3) : phone
        return .success(
            ClientSignup(
                email: email, password: password, name: name, companyName: company,
                phoneNumber: String(normalizedPhone), siren: siren, address: address, city: city,
                postalCode: postal))
    }

    static func isEmail(_ value: String) -> Bool {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !value.contains(where: { $0.isWhitespace || $0 == "," || $0 == ";" })
        else { return false }
        return parts[1].split(separator: ".").allSatisfy { !$0.isEmpty }
    }

    static func isFrenchPhone(_ digits: String) -> Bool {
        let national = digits.hasPrefix("+33") ? "0" + digits.dropFirst(3) : Substring(digits)
        guard national.count == 10, national.allSatisfy(\.isASCIIDigit), national.first == "0" else { return false }
        return national.dropFirst().first != "0"
    }

    /// 9 digits whose Luhn checksum is valid (the INSEE key).
    static func isSIREN(_ value: String) -> Bool {
        guard value.count == 9, value.allSatisfy(\.isASCIIDigit) else { return false }
        var sum = 0
        for (position, character) in value.reversed().enumerated() {
            var digit = Int(String(character))!
            if position % 2 == 1 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return sum % 10 == 0
    }

    /// Metropolitan (01–95, Corsica 20) and overseas (97, 98) départements.
    static func isFrenchPostalCode(_ value: String) -> Bool {
        guard value.count == 5, value.allSatisfy(\.isASCIIDigit), let department = Int(value.prefix(2)) else { return false }
        return (1...95).contains(department) || department == 97 || department == 98
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension String {
    /// Control characters (NUL, line feeds inside a field…): never part of a name, an address or a password.
    var containsControlCharacters: Bool {
        unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// An email address as accounts are found by it: without surrounding spaces, lower-cased.
    var normalizedEmail: String {
        trimmingCharacters(in: .whitespaces).lowercased()
    }
}

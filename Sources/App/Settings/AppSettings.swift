import Foundation

/// Everything the server reads from its environment, read once at start-up.
public struct AppSettings: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String, searchPath: [String]?)
    }

    public var host = "127.0.0.1"
    public var port = 8080
    public var database = DatabaseChoice.sqlite(path: "passerelle.sqlite")
    /// PostgreSQL connections the server may open; one per core when nil. More connections than the
    /// cores can serve only queue inside the database server, where they hold locks while they wait
    /// (`docs/benchmarks.md`).
    public var databaseMaxConnections: Int?

    /// Fluent keeps one pool per event loop: `databaseMaxConnections` spread over `loops`, rounded up,
    /// and one per loop by default.
    public func databaseConnectionsPerLoop(loops: Int) -> Int {
        databaseMaxConnections.map { max(1, ($0 + loops - 1) / loops) } ?? 1
    }
    /// Milliseconds a request waits for a free database connection before it is answered 503
    /// `DATABASE_BUSY` with `Retry-After`.
    public var databasePoolTimeoutMilliseconds = 30_000
    /// A session expires this long after its last activity.
    public var sessionLifetime: TimeInterval = 7 * 24 * 3600
    /// An expired session that was never migrated is deleted this long after it expired.
    public var sessionRetention: TimeInterval = 30 * 24 * 3600
    /// The retentions accepted, in days, from `SESSION_RETENTION_DAYS` or `purge-sessions --retention-days`.
    static let sessionRetentionDays = 0...3_650
    /// How often the server deletes such sessions; never when nil (the command `purge-sessions` still can).
    public var sessionPurgeInterval: TimeInterval? = 3600
    /// Catalog folder; the one bundled with the engine when nil.
    public var catalogPath: String?
    public var migrationEnabled = true
    /// Whether a start applies the pending schema changes itself; when false, a server whose database
    /// is behind refuses to start, and `passerelle migrate` (a deploy step) applies them.
    public var autoMigrate = true
    /// The address people reach the pages at (`PUBLIC_URL`); cookies are `Secure` when it is https.
    public var publicURL: String?
    var publicURLIsHTTPS: Bool { publicURL?.lowercased().hasPrefix("https://") == true }
    /// Milliseconds a migration may take before it is rolled back.
    public var migrationTimeoutMilliseconds = 30_000
    public var migrationBatchSize = 10
    public var accessTokenLifetime: TimeInterval = 24 * 3600
    /// bcrypt work factor for passwords.
    public var bcryptCost = 12
    /// Requests a minute from one client address on the routes that run bcrypt (sign-in, sign-up);
    /// no limit when nil. 30 lets an office behind one address sign in all morning, and holds one
    /// address to half a bcrypt a second, an eighth of a core at cost 12.
    public var passwordAttemptsPerMinute: Int? = 30
    /// Simulator sessions a minute one client address may open; no limit when nil. A visitor opens
    /// one; 60 leaves room for an office of them, and keeps one address from filling the database.
    public var sessionsPerMinute: Int? = 60
    /// The bearer token Prometheus sends to `GET /metrics`; nil: the route answers 404.
    public var metricsToken: String?
    /// The reverse proxies whose header (`proxyHeader`) is believed, to find the client's address.
    public var trustedProxies: [AddressBlock] = []
    /// The header those proxies write the client's address in.
    public var proxyHeader: ProxyHeader = .xForwardedFor
    /// On SIGTERM, how long requests in flight may take to finish before the databases close.
    public var shutdownGracePeriod: TimeInterval = 10
    /// A connection with nothing read or written for this long is closed: an idle keep-alive, or a
    /// client that opened a connection and sends nothing. Nil: never.
    public var idleConnectionTimeout: TimeInterval? = 30

    public init() {}

    /// Reads the variables; a wrong value stops start-up with a message naming the variable.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(SettingsError)
        -> AppSettings
    {
        var settings = AppSettings()
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        func integer(_ name: String, _ range: ClosedRange<Int>) throws(SettingsError) -> Int? {
            guard let raw = value(name) else { return nil }
            guard let number = Int(raw), range.contains(number) else {
                throw SettingsError(variable: name, value: raw, expected: "un entier entre \(range.lowerBound) et \(range.upperBound)")
            }
            return number
        }
        func boolean(_ name: String) throws(SettingsError) -> Bool? {
            guard let raw = value(name) else { return nil }
            switch raw.lowercased() {
            case "true", "1", "yes", "oui", "on": return true
            case "false", "0", "no", "non", "off": return false
            default: throw SettingsError(variable: name, value: raw, expected: "true ou false")
            }
        }
        if let host = value("HOST") { settings.host = host }
        if let port = try integer("PORT", 1...65_535) { settings.port = port }
        if let url = value("DATABASE_URL") {
            guard let components = URLComponents(string: url),
                ["postgres", "postgresql"].contains(components.scheme ?? ""), components.host?.isEmpty == false
            else {
                throw SettingsError(
                    variable: "DATABASE_URL", value: "(masquée)", expected: "une URL postgres://utilisateur:motdepasse@hôte:port/base")
            }
            settings.database = .postgres(url: url, searchPath: nil)
        } else if let path = value("SQLITE_PATH") {
            settings.database = .sqlite(path: path)
        }
        if let connections = try integer("DATABASE_MAX_CONNECTIONS", 1...1_000) { settings.databaseMaxConnections = connections }
        if let timeout = try integer("DATABASE_POOL_TIMEOUT", 100...600_000) { settings.databasePoolTimeoutMilliseconds = timeout }
        if let hours = try integer("SESSION_LIFETIME_HOURS", 1...(24 * 365)) { settings.sessionLifetime = TimeInterval(hours) * 3600 }
        if let days = try integer("SESSION_RETENTION_DAYS", Self.sessionRetentionDays) {
            settings.sessionRetention = TimeInterval(days) * 86_400
        }
        if let minutes = try integer("SESSION_PURGE_INTERVAL_MINUTES", 0...10_080) {
            settings.sessionPurgeInterval = minutes == 0 ? nil : TimeInterval(minutes) * 60
        }
        if let path = value("CATALOG_PATH") {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw SettingsError(variable: "CATALOG_PATH", value: path, expected: "un dossier de catalogue existant")
            }
            settings.catalogPath = path
        }
        if let enabled = try boolean("MIGRATION_ENABLED") { settings.migrationEnabled = enabled }
        if let auto = try boolean("AUTO_MIGRATE") { settings.autoMigrate = auto }
        if let url = value("PUBLIC_URL") {
            guard url.lowercased().hasPrefix("https://") || url.lowercased().hasPrefix("http://") else {
                throw SettingsError(variable: "PUBLIC_URL", value: url, expected: "une adresse http:// ou https://")
            }
            settings.publicURL = url
        }
        if let timeout = try integer("MIGRATION_TIMEOUT", 100...600_000) { settings.migrationTimeoutMilliseconds = timeout }
        if let size = try integer("MIGRATION_BATCH_SIZE", 1...10_000) { settings.migrationBatchSize = size }
        if let hours = try integer("ACCESS_TOKEN_LIFETIME_HOURS", 1...(24 * 90)) {
            settings.accessTokenLifetime = TimeInterval(hours) * 3600
        }
        if let cost = try integer("BCRYPT_COST", 4...16) { settings.bcryptCost = cost }
        if let attempts = try integer("PASSWORD_ATTEMPTS_PER_MINUTE", 0...100_000) {
            settings.passwordAttemptsPerMinute = attempts == 0 ? nil : attempts
        }
        if let sessions = try integer("SESSIONS_PER_MINUTE", 0...100_000) {
            settings.sessionsPerMinute = sessions == 0 ? nil : sessions
        }
        if let proxies = value("TRUSTED_PROXIES") {
            settings.trustedProxies = try proxies.split(separator: ",").map { (text) throws(SettingsError) -> AddressBlock in
                guard let block = AddressBlock(String(text)) else {
                    throw SettingsError(
                        variable: "TRUSTED_PROXIES", value: proxies,
                        expected: "des adresses IP ou des blocs (10.0.0.0/8) séparés par des virgules")
                }
                return block
            }
        }
        if let seconds = try integer("SHUTDOWN_GRACE_SECONDS", 0...600) { settings.shutdownGracePeriod = TimeInterval(seconds) }
        if let seconds = try integer("IDLE_CONNECTION_TIMEOUT_SECONDS", 0...3_600) {
            settings.idleConnectionTimeout = seconds == 0 ? nil : TimeInterval(seconds)
        }
        if let token = value("METRICS_TOKEN") {
            guard token.count >= 24, token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                // The token is a secret: never repeated in a message.
                throw SettingsError(variable: "METRICS_TOKEN", value: "(masqué)", expected: "au moins 24 caractères ASCII sans espace")
            }
            settings.metricsToken = token
        }
        if let header = value("PROXY_HEADER") {
            guard let proxyHeader = ProxyHeader(setting: header) else {
                throw SettingsError(variable: "PROXY_HEADER", value: header, expected: "X-Forwarded-For ou Forwarded")
            }
            settings.proxyHeader = proxyHeader
        }
        return settings
    }
}

/// A configuration value that cannot be used.
public struct SettingsError: Error, CustomStringConvertible, Sendable {
    public let variable: String
    public let value: String
    public let expected: String

    public var description: String { "Configuration invalide : \(variable)=\(value) — attendu : \(expected)." }
}

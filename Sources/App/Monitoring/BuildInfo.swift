/// What `passerelle_build_info` reports beside the ruleset: the application's version.
enum BuildInfo {
    static let version = "2026.12.0"
}

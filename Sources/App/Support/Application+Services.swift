import Eligibility
import Vapor

extension Application {
    private struct SettingsKey: StorageKey { typealias Value = AppSettings }
    private struct CatalogKey: StorageKey { typealias Value = Catalog }
    private struct ClockKey: StorageKey { typealias Value = any AppClock }

    public var settings: AppSettings {
        get { storage[SettingsKey.self] ?? AppSettings() }
        set { storage[SettingsKey.self] = newValue }
    }

    public var catalog: Catalog {
        get {
            guard let catalog = storage[CatalogKey.self] else { fatalError("configure(_:) loads the catalog before use") }
            return catalog
        }
        set { storage[CatalogKey.self] = newValue }
    }

    public var clock: any AppClock {
        get { storage[ClockKey.self] ?? SystemClock() }
        set { storage[ClockKey.self] = newValue }
    }

    var simulator: SimulatorService {
        SimulatorService(catalog: catalog, clock: clock, sessionLifetime: settings.sessionLifetime)
    }
}

extension Request {
    var simulator: SimulatorService { application.simulator }
}

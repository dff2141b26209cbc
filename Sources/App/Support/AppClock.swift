import Foundation
import NIOConcurrencyHelpers

/// Where the server reads the time, so tests can move it.
public protocol AppClock: Sendable {
    func now() -> Date
}

public struct SystemClock: AppClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that stands still until told to move.
public final class ManualClock: AppClock {
    private let current: NIOLockedValueBox<Date>

    public init(_ start: Date = Date()) { current = NIOLockedValueBox(start) }
    public func now() -> Date { current.withLockedValue { $0 } }
    public func advance(by interval: TimeInterval) { current.withLockedValue { $0.addTimeInterval(interval) } }
}

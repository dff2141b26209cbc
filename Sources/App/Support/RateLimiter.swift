import Foundation
import NIOConcurrencyHelpers

/// At most `perMinute` requests a minute for each key, with bursts of up to `perMinute` (a bucket of
/// that many tokens per key, refilled evenly over a minute). Kept in memory, per server process: what
/// it protects, the processor time of this process, is per process too.
final class RateLimiter: Sendable {
    let perMinute: Int
    /// Keys remembered at most; past it, the keys whose bucket has refilled are forgotten, and if that
    /// is not enough, all of them (an attacker with that many addresses is not slowed by a limit per address).
    let capacity: Int
    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])

    private struct Bucket {
        var tokens: Double
        var updatedAt: Date
    }

    init(perMinute: Int, capacity: Int = 100_000) {
        precondition(perMinute > 0 && capacity > 0)
        self.perMinute = perMinute
        self.capacity = capacity
    }

    /// Takes one token for `key`: nil when the request may go on, otherwise the seconds until it may.
    func take(_ key: String, now: Date) -> TimeInterval? {
        let full = Double(perMinute)
        let perSecond = full / 60
        return buckets.withLockedValue { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: full, updatedAt: now)
            let elapsed = max(0, now.timeIntervalSince(bucket.updatedAt))
            bucket.tokens = min(full, bucket.tokens + elapsed * perSecond)
            bucket.updatedAt = now
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return (1 - bucket.tokens) / perSecond
            }
            bucket.tokens -= 1
            if buckets[key] == nil && buckets.count >= capacity {
                buckets = buckets.filter { now.timeIntervalSince($0.value.updatedAt) * perSecond + $0.value.tokens < full }
                if buckets.count >= capacity { buckets.removeAll() }
            }
            buckets[key] = bucket
            return nil
        }
    }

    /// Keys remembered now.
    var count: Int { buckets.withLockedValue { $0.count } }
}

// A token bucket per caller: `rate` requests per second on average, bursts of up to `burst`. Over the limit,
// a call is refused with RESOURCE_EXHAUSTED before any work starts.
import Foundation
import Synchronization

/// Limits of an RPC server: the largest frame it reads, and the request rate per caller.
public struct ServerLimits: Sendable {
  /// `ZMQ_MAXMSGSIZE`: a peer that sends a larger frame is disconnected by libzmq before anything is read.
  public var maxMessageBytes: Int64
  /// Requests per second per caller identity; 0 = no limit.
  public var requestsPerSecond: Double
  /// How many requests a caller may send at once before the rate applies.
  public var burst: Int

  public init(maxMessageBytes: Int64 = 256 << 20, requestsPerSecond: Double = 0, burst: Int = 100) {
    self.maxMessageBytes = maxMessageBytes
    self.requestsPerSecond = requestsPerSecond
    self.burst = burst
  }
}

/// Token buckets keyed by who calls: the authenticated key's allow-list name when security is on, the peer's IP
/// address when it is off (a declared caller name costs nothing to change, so it never keys a bucket). Thread-safe.
public final class RateLimiter: Sendable {
  private struct Bucket {
    var tokens: Double
    var updated: ContinuousClock.Instant
  }

  public let rate: Double
  public let burst: Int
  private let buckets = Mutex<[String: Bucket]>([:])

  public init(rate: Double, burst: Int) {
    self.rate = rate
    self.burst = max(1, burst)
  }

  /// Takes one token for `caller` (a description such as `key 'ada'` or `peer 10.0.0.7`, which also names it in
  /// the error); throws RESOURCE_EXHAUSTED when its bucket is empty. Never limits when rate is 0.
  public func admit(_ caller: String, method: String, now: ContinuousClock.Instant = .now) throws(ServiceError) {
    guard rate > 0 else { return }
    let admitted = buckets.withLock { buckets -> Bool in
      if buckets.count > 100_000 { buckets.removeAll() }  // bounded memory under a flood of made-up callers
      var bucket = buckets[caller] ?? Bucket(tokens: Double(burst), updated: now)
      let elapsed = now - bucket.updated
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      bucket.tokens = min(Double(burst), bucket.tokens + seconds * rate)
      bucket.updated = now
      defer { buckets[caller] = bucket }
      guard bucket.tokens >= 1 else { return false }
      bucket.tokens -= 1
      return true
    }
    guard admitted else {
      throw ServiceError(
        .resourceExhausted,
        "\(method): \(caller) is over the rate limit of \(String(format: "%g", rate)) requests/s (burst \(burst)); slow down and retry, or raise --rate-limit on the service"
      )
    }
  }
}

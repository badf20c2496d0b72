// Before a command starts, it asks each service it needs for its Health with a short deadline and names the
// one that does not answer; during a long call it keeps asking, and fails within seconds when one stops
// answering or restarts (its pid changes), instead of waiting out the call's own timeout.
import Foundation
import Logging
import Messaging
import ServiceKit

/// One service a command talks to or depends on.
struct ServiceTarget: Sendable {
  let name: String
  let endpoint: String
  let security: ClientSecurity?

  /// `storage`, `selector` or `gateway`: the prefix of its Health method.
  var kind: String { String(name.split(separator: "-").first ?? "") }
  var healthMethod: String { kind.prefix(1).uppercased() + kind.dropFirst() + "/Health" }
}

enum ServiceHealth {
  static let checkTimeout: Duration = .seconds(2)
  static let pollInterval: Duration = .seconds(1)
  /// Missed answers in a row that count as "stopped replying" (about 6 s with the timeouts above).
  static let missesAllowed = 2

  /// The pid each target answers with; throws `.unavailable` naming the first that does not answer.
  @discardableResult
  static func require(_ targets: [ServiceTarget]) async throws -> [String: Int32] {
    var pids: [String: Int32] = [:]
    for target in targets {
      let channel = try ZMQChannel(
        connect: target.endpoint, logger: Logger(label: "activeseg.cli"), security: target.security)
      defer { channel.close() }
      do {
        pids[target.name] = try await health(target, channel).pid
      } catch let error as ServiceError {
        throw CLIFailure.unavailable(downMessage(target, error))
      }
    }
    return pids
  }

  /// Runs `body` while asking every target for its Health each second; cancels `body` and throws `.unavailable`
  /// naming the service as soon as one misses `missesAllowed` answers in a row or answers with another pid.
  /// `progress`, when given, is called with the seconds elapsed every `progressEvery` seconds.
  static func watching<T: Sendable>(
    _ targets: [ServiceTarget], pids: [String: Int32], during doing: String,
    progressEvery: Int = 15, progress: (@Sendable (Int) -> Void)? = nil,
    _ body: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
      group.addTask { try await body() }
      group.addTask {
        try await watch(targets, pids: pids, during: doing, progressEvery: progressEvery, progress: progress)
        return nil
      }
      defer { group.cancelAll() }
      while let result = try await group.next() {
        if let value = result { return value }
      }
      throw CancellationError()
    }
  }

  private static func watch(
    _ targets: [ServiceTarget], pids: [String: Int32], during doing: String,
    progressEvery: Int, progress: (@Sendable (Int) -> Void)?
  ) async throws {
    let started = ContinuousClock.now
    var reported = 0
    let channels = try targets.map {
      try ZMQChannel(connect: $0.endpoint, logger: Logger(label: "activeseg.cli"), security: $0.security)
    }
    defer { channels.forEach { $0.close() } }
    var misses = [Int](repeating: 0, count: targets.count)
    while true {
      try await Task.sleep(for: pollInterval)
      let elapsed = Int((ContinuousClock.now - started).components.seconds)
      if let progress, elapsed / progressEvery > reported {
        reported = elapsed / progressEvery
        progress(elapsed)
      }
      for (index, target) in targets.enumerated() {
        do {
          let pid = try await health(target, channels[index]).pid
          misses[index] = 0
          if let before = pids[target.name], before != pid {
            throw CLIFailure.unavailable(
              "\(target.name) restarted during \(doing) (pid \(before), now \(pid)); the call it was serving is lost: run the command again"
            )
          }
        } catch let error as ServiceError {
          if Task.isCancelled { return }
          misses[index] += 1
          if misses[index] >= missesAllowed {
            throw CLIFailure.unavailable(
              "\(target.name) at \(target.endpoint) stopped replying during \(doing) (\(error.message)); see `activeseg status` and its log, then run the command again"
            )
          }
        }
      }
    }
  }

  private static func health(_ target: ServiceTarget, _ channel: ZMQChannel) async throws -> HealthReply {
    try await channel.call(
      target.healthMethod, HealthRequest(), replying: HealthReply.self,
      options: CallOptions(timeout: checkTimeout, caller: "cli"))
  }

  private static func downMessage(_ target: ServiceTarget, _ error: ServiceError) -> String {
    switch error.code {
    case .deadlineExceeded, .cancelled, .unavailable:
      return
        "\(target.name) is not replying at \(target.endpoint) (no answer within \(checkTimeout)); start the services with `activeseg up`, or see `activeseg status` and the service's log"
    default:
      return "\(target.name) at \(target.endpoint) refused its health check: \(error.message)"
    }
  }
}

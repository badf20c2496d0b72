// Answers "<Service>/Health" with name, version, uptime, endpoint and pid (plus the gateway's workers).
import Foundation
import Messaging
import Protos

public typealias HealthRequest = Activeseg_V1_HealthRequest
public typealias HealthReply = Activeseg_V1_HealthReply

extension RPCRouter {
  /// Registers `<Service>/Health`. `fill` adds service-specific parts (workers, detail) to each reply.
  public mutating func registerHealth(
    service: String, method: String, endpoint: @escaping @Sendable () -> String,
    fill: @escaping @Sendable (inout HealthReply) -> Void = { _ in }
  ) {
    let started = ContinuousClock.now
    register(method) { (_: HealthRequest, _) -> HealthReply in
      var reply = HealthReply()
      reply.service = service
      reply.version = ActiveSegVersion.current
      let up = ContinuousClock.now - started
      reply.uptimeSeconds = Double(up.components.seconds) + Double(up.components.attoseconds) * 1e-18
      reply.endpoint = endpoint()
      reply.pid = ProcessInfo.processInfo.processIdentifier
      fill(&reply)
      return reply
    }
  }
}

// Fuzzes every request decoder: an input names a method and carries its payload; the payload goes through
// RPCRouter's typed decode (the code every service's `register` runs) and then the checks handlers run before
// any work (RequestChecks). A finding is a trap, a hang, or a reply that breaks the protocol: each call must
// get a reply with its request id, OK or INVALID_ARGUMENT.
// Input: the method name ("Storage/Import"), a 0 byte, then the payload. A name no service has gets UNIMPLEMENTED.
import FuzzSupport
import Messaging
import Protos
import SwiftProtobuf

@main enum FuzzRequests {
  static func main() {
    let methods = ProtoMethods.load()
    var router = RPCRouter(maxRequestBytes: 1 << 20)
    for method in methods { register(method.request, as: method.method, on: &router) }
    let served = router
    FuzzEntry.main { input in check(input, router: served) }
  }

  /// What a service registers for `method`, with the handler body replaced by the checks it runs first.
  static func register<Request: SwiftProtobuf.Message>(
    _ type: Request.Type, as method: String, on router: inout RPCRouter
  ) {
    router.register(method) { (request: Request, _) -> Request in
      RequestChecks.run(request)
      return request
    }
  }

  static func check(_ input: [UInt8], router: RPCRouter) {
    let split = input.firstIndex(of: 0) ?? input.endIndex
    var envelope = Envelope()
    envelope.method = String(decoding: input[..<split], as: UTF8.self)
    envelope.requestID = 7
    let payload = split < input.endIndex ? Array(input[(split + 1)...]) : []
    let call = envelope
    FuzzEntry.blocking {
      let (reply, _) = await router.handle(call, payload: payload)
      guard reply.isReply, reply.requestID == 7 else { fatalError("protocol violation: reply \(reply)") }
      guard [.ok, .invalidArgument, .unimplemented, .resourceExhausted].contains(reply.status.code) else {
        fatalError("\(call.method): unexpected status \(reply.status)")
      }
    }
  }
}

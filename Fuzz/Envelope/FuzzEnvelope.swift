// Fuzzes what an RPC server does with one received message, minus the socket: RPCMessage.parse (routing,
// delimiter, Envelope decoding) and RPCRouter.handle (reply/request checks, unknown methods, deadlines, size
// limit, a typed decode), then checks the protocol: every parsed call gets a reply envelope with its request id,
// and the reply's frames parse back with the same routing.
// Input: frames, each a one-byte length and that many bytes; what is left after the last whole frame is a frame.
import FuzzSupport
import Messaging
import Protos

@main enum FuzzEnvelope {
  static func main() {
    var router = RPCRouter(maxRequestBytes: 256)
    router.register("Storage/Health") { (_: Activeseg_V1_HealthRequest, _) in Activeseg_V1_HealthReply() }
    let served = router
    FuzzEntry.main { input in check(frames(input), router: served) }
  }

  /// Splits an input into frames (see the file comment).
  static func frames(_ input: [UInt8]) -> Frames {
    var frames: Frames = []
    var offset = 0
    while offset < input.count {
      let length = Int(input[offset])
      guard offset + 1 + length <= input.count else {
        frames.append(Array(input[(offset + 1)...]))
        break
      }
      frames.append(Array(input[(offset + 1)..<(offset + 1 + length)]))
      offset += 1 + length
    }
    return frames
  }

  static func check(_ frames: Frames, router: RPCRouter) {
    let request: RPCMessage
    do {
      request = try RPCMessage.parse(frames)
    } catch {
      return  // dropped (no delimiter) or answered with INVALID_ARGUMENT: both are what the server does
    }
    FuzzEntry.blocking {
      let (reply, payload) = await router.handle(request.envelope, payload: request.payload)
      guard reply.isReply, reply.requestID == request.envelope.requestID, reply.method == request.envelope.method else {
        fatalError("protocol violation: reply \(reply) to request \(request.envelope)")
      }
      guard
        let echoed = try? RPCMessage.parse(
          RPCMessage(routing: request.routing, envelope: reply, payload: payload).frames),
        echoed.routing == request.routing, echoed.envelope == reply
      else {
        fatalError("the reply to \(request.envelope) does not parse back with its routing")
      }
    }
  }
}

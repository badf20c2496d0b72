// How a call looks on the wire: [routing frames..., empty delimiter, Envelope, payload].
// Request and reply share the layout, so a ROUTER serves DEALER clients and REQ clients (C, Python) alike.
import Protos
import SwiftProtobuf

public typealias Envelope = Activeseg_V1_Envelope

/// One call or reply: its envelope, its payload, and the routing frames that bring a reply back.
public struct RPCMessage: Sendable {
  public var routing: Frames
  public var envelope: Envelope
  public var payload: [UInt8]

  public init(routing: Frames = [], envelope: Envelope, payload: [UInt8]) {
    self.routing = routing
    self.envelope = envelope
    self.payload = payload
  }

  /// The frames to send: routing, the empty delimiter, the envelope, the payload.
  public var frames: Frames {
    routing + [[], (try? envelope.serializedBytes()) ?? [], payload]
  }
}

/// Why a received message could not be read as a call.
public enum RPCWireError: Error, Equatable, Sendable {
  /// There is no empty delimiter frame: nobody to reply to. Drop it.
  case noDelimiter
  /// There is a return address, but the rest is not [envelope, payload]: reply with this error.
  case malformed(routing: Frames, reason: String)
}

extension RPCMessage {
  /// Parses received frames. The routing part is everything before the first empty frame.
  public static func parse(_ frames: Frames) throws(RPCWireError) -> RPCMessage {
    guard let delimiter = frames.firstIndex(where: \.isEmpty) else { throw .noDelimiter }
    let routing = Array(frames[..<delimiter])
    let body = frames[(delimiter + 1)...]
    guard body.count == 2 else {
      throw .malformed(
        routing: routing, reason: "expected 2 frames after the delimiter (envelope, payload), got \(body.count)")
    }
    let envelope: Envelope
    do {
      envelope = try Envelope(serializedBytes: body[body.startIndex])
    } catch {
      throw .malformed(routing: routing, reason: "the envelope frame is not a valid activeseg.v1.Envelope: \(error)")
    }
    return RPCMessage(routing: routing, envelope: envelope, payload: body[body.startIndex + 1])
  }
}

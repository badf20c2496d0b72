// The JSON the page and the web service exchange, translated from and to the gateway's protobuf messages.
import Foundation
import Messaging
import Protos
import ServiceKit

struct WebSession: Encodable {
  let annotator: String
  let experiment: Int64
}

/// A slice's pixels for the page: float32 little-endian, row-major, base64.
struct WebImage: Encodable {
  let width: Int
  let height: Int
  let pixels: String

  init(_ tensor: WireTensor, _ what: String) throws {
    guard tensor.shape.count == 2 else {
      throw ServiceError(.internal, "\(what) has shape \(tensor.shape), expected [height, width]")
    }
    _ = try tensor.floats(what)  // checks dtype and size
    height = Int(tensor.shape[0])
    width = Int(tensor.shape[1])
    pixels = tensor.data.base64EncodedString()
  }
}

struct WebNeighbour: Encodable {
  let slice: Int64
  let position: Int32
  let image: WebImage
}

struct WebSlice: Encodable {
  let id: Int64
  let image: WebImage
  let leaseExpiresMs: Int64
  let patient: String
  let phase: String
  let position: Int32
  let volumeSlices: Int32
  let supervision: String
  let neighbours: [WebNeighbour]

  init(_ slice: Activeseg_V1_LeasedSlice) throws {
    id = slice.sliceID
    image = try WebImage(slice.image, "image of slice \(slice.sliceID)")
    leaseExpiresMs = slice.leaseExpiresUnixMs
    patient = slice.patient
    phase = slice.phase
    position = slice.position
    volumeSlices = slice.volumeSlices
    supervision = slice.supervision == .scribble ? "scribble" : "full"
    neighbours = try slice.neighbours.map {
      WebNeighbour(
        slice: $0.sliceID, position: $0.position, image: try WebImage($0.image, "image of slice \($0.sliceID)"))
    }
  }
}

struct WebAnnotatorActivity: Encodable {
  let name: String
  let leased: Int32
  let leaseExpiresMs: Int64
}

struct WebProgress: Encodable {
  let waiting: Int32
  let unleased: Int32
  let total: Int32
  let annotators: [WebAnnotatorActivity]
  let serverTimeMs: Int64

  init(_ reply: Activeseg_V1_AnnotationProgressReply) {
    waiting = reply.waiting
    unleased = reply.unleased
    total = reply.batchTotal
    annotators = reply.annotators.map {
      WebAnnotatorActivity(name: $0.annotator, leased: $0.leased, leaseExpiresMs: $0.leaseExpiresUnixMs)
    }
    serverTimeMs = Int64(Date().timeIntervalSince1970 * 1000)
  }
}

struct WebNext: Encodable {
  let slice: WebSlice?
  let progress: WebProgress
}

/// What the page posts: one class id per pixel (4 = not annotated in a scribble), base64, row-major.
struct WebSubmission: Decodable {
  let experiment: Int64
  let slice: Int64
  let kind: String
  let seconds: Double
  let width: Int
  let height: Int
  let mask: String

  func maskBytes() throws -> [UInt8] {
    guard kind == "scribble" || kind == "full" else {
      throw ServiceError(.invalidArgument, "kind must be 'scribble' or 'full', got '\(kind)'")
    }
    guard width > 0, height > 0, width <= 4096, height <= 4096 else {
      throw ServiceError(.invalidArgument, "mask size \(width)×\(height) is outside 1…4096 pixels a side")
    }
    guard let data = Data(base64Encoded: mask) else {
      throw ServiceError(.invalidArgument, "the mask is not base64; reload the page")
    }
    guard data.count == width * height else {
      throw ServiceError(
        .invalidArgument,
        "the mask holds \(data.count) pixels, but \(width)×\(height) = \(width * height) were announced")
    }
    if let bad = data.first(where: { $0 > 4 }) {
      throw ServiceError(
        .invalidArgument, "the mask holds class \(bad); classes are 0–3 and 4 marks pixels not annotated")
    }
    return [UInt8](data)
  }
}

struct WebSubmitted: Encodable {
  let annotationId: Int64
  let remaining: Int
}

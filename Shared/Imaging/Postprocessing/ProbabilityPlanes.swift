// Per-class probabilities of one slice, and what a segmentation needs from them: the mean over an ensemble,
// a resize back to the scan's in-plane size, and the label map.

/// Class probabilities of one slice: `classes` planes of height × width, class-major (c, y, x).
public struct ProbabilityPlanes: Sendable, Equatable {
  public let classes: Int
  public let height: Int
  public let width: Int
  /// classes · height · width values; index (c · height + y) · width + x.
  public let values: [Float]

  public init(classes: Int, height: Int, width: Int, values: [Float]) {
    precondition(
      classes > 0 && values.count == classes * height * width,
      "ProbabilityPlanes: \(values.count) values for \(classes) classes of \(height)×\(width)")
    self.classes = classes
    self.height = height
    self.width = width
    self.values = values
  }

  /// The mean of ensemble members' probabilities of the same slice (all of one shape).
  public static func mean(_ members: [ProbabilityPlanes]) -> ProbabilityPlanes {
    precondition(!members.isEmpty, "the mean of no ensemble members")
    let first = members[0]
    precondition(
      members.allSatisfy { $0.classes == first.classes && $0.height == first.height && $0.width == first.width },
      "ensemble members predicted different shapes: \(members.map { "\($0.classes)×\($0.height)×\($0.width)" })")
    guard members.count > 1 else { return first }
    var sum = [Float](repeating: 0, count: first.values.count)
    for member in members { for i in sum.indices { sum[i] += member.values[i] } }
    let scale = 1 / Float(members.count)
    return ProbabilityPlanes(
      classes: first.classes, height: first.height, width: first.width, values: sum.map { $0 * scale })
  }

  /// Each class plane resized bilinearly (corner-aligned, the grid NearestResize shrank it on) to
  /// height × width. A pixel's classes still sum to what they summed to, since each output is the same convex
  /// combination of input pixels in every plane.
  public func resized(height outHeight: Int, width outWidth: Int) -> ProbabilityPlanes {
    let plane = height * width
    var out: [Float] = []
    out.reserveCapacity(classes * outHeight * outWidth)
    for c in 0..<classes {
      out += BilinearResize.resize(
        Array(values[(c * plane)..<((c + 1) * plane)]), height: height, width: width,
        outHeight: outHeight, outWidth: outWidth)
    }
    return ProbabilityPlanes(classes: classes, height: outHeight, width: outWidth, values: out)
  }

  /// The most probable class of every pixel, (y, x); the lowest class wins a tie (as torch.argmax).
  public func labels() -> [UInt8] {
    precondition(classes <= 256, "ProbabilityPlanes: \(classes) classes do not fit uint8 labels")
    let plane = height * width
    var out = [UInt8](repeating: 0, count: plane)
    for p in 0..<plane {
      var best = values[p], arg = 0
      for c in 1..<max(classes, 1) where values[c * plane + p] > best {
        best = values[c * plane + p]
        arg = c
      }
      out[p] = UInt8(arg)
    }
    return out
  }
}

// Derives ACDC-style scribbles from a full mask: a thin curve inside each structure (a partial level set of
// the distance to the structure's border, at ~60% of its depth) plus background strokes; the rest is 4.

import Foundation
import Randomness

/// Turns label masks into scribble annotations (ignore value `CardiacLabel.ignore`).
public enum ScribbleGenerator {
  /// Scribbles for one slice (height × width, row-major). Every scribbled pixel carries its mask label.
  public static func scribble(
    label: [UInt8], height: Int, width: Int, classCount: Int = CardiacLabel.classCount,
    rng: inout SplitMix64
  ) -> [UInt8] {
    precondition(label.count == height * width, "ScribbleGenerator: \(label.count) labels for \(height)×\(width)")
    var out = [UInt8](repeating: CardiacLabel.ignore, count: label.count)
    // Foreground structures: a 1-px level set of the inner distance, kept over a random arc.
    let n = label.count
    var inside = [Bool](repeating: false, count: n)
    for c in 1..<classCount {
      var area = 0
      for i in 0..<n {
        inside[i] = label[i] == UInt8(c)
        if inside[i] { area += 1 }
      }
      if area < 3 { continue }
      let dist = cityBlockDistance(inside, height: height, width: width)
      var deepest = 1
      for i in 0..<n where dist[i] > deepest { deepest = dist[i] }
      let level = max(1, Int((Double(deepest) * 0.6).rounded(.up)))
      var curve = [Int]()
      for i in 0..<n where inside[i] && dist[i] == level { curve.append(i) }
      for i in keepArc(
        curve, around: centroid(inside, width: width), width: width,
        span: rng.uniform(0.55, 0.9), rng: &rng)
      { out[i] = UInt8(c) }
    }
    // Background: a partial ring at a fixed distance from the heart, and one or two straight strokes.
    var background = [Bool](repeating: false, count: n)
    var hasHeart = false
    for i in 0..<n {
      background[i] = label[i] == 0
      if !background[i] { hasHeart = true }
    }
    let fromHeart =
      hasHeart
      ? cityBlockDistance(background, height: height, width: width, borderCounts: false)
      : [Int](repeating: Int.max / 2, count: n)
    if hasHeart {
      let ringDistance = max(2, Int(Double(min(height, width)) * rng.uniform(0.05, 0.1)))
      var ring = [Int]()
      for i in 0..<n where fromHeart[i] == ringDistance { ring.append(i) }
      for i in 0..<n { inside[i] = !background[i] }
      for i in keepArc(
        ring, around: centroid(inside, width: width), width: width,
        span: rng.uniform(0.6, 1.0), rng: &rng)
      { out[i] = 0 }
    }
    for _ in 0..<(1 + Int(rng.next() % 2)) {
      let x0 = rng.uniform(0.1, 0.9) * Double(width - 1), y0 = rng.uniform(0.1, 0.9) * Double(height - 1)
      let x1 = rng.uniform(0.1, 0.9) * Double(width - 1), y1 = rng.uniform(0.1, 0.9) * Double(height - 1)
      let steps = Int(max(abs(x1 - x0), abs(y1 - y0)) * 1.5) + 1
      let stroke = min(1.0, rng.uniform(0.15, 0.35) * Double(min(height, width)) * 1.5 / Double(steps))
      for k in 0...steps {
        let t = stroke * Double(k) / Double(steps)
        let i = Int((y0 + (y1 - y0) * t).rounded()) * width + Int((x0 + (x1 - x0) * t).rounded())
        if label[i] == 0 && fromHeart[i] > 3 { out[i] = 0 }
      }
    }
    return out
  }

  /// Distance (4-neighbour steps) from each `true` pixel to the nearest `false` pixel (and to the image
  /// border when `borderCounts`); 0 on `false` pixels.
  public static func cityBlockDistance(_ inside: [Bool], height: Int, width: Int, borderCounts: Bool = true) -> [Int] {
    let big = 2 * (height + width) + 1
    let edge = borderCounts ? 0 : big
    var d = [Int](repeating: 0, count: inside.count)
    for i in 0..<inside.count where inside[i] { d[i] = big }
    for y in 0..<height {
      for x in 0..<width where inside[y * width + x] {
        let up = y > 0 ? d[(y - 1) * width + x] : edge, left = x > 0 ? d[y * width + x - 1] : edge
        d[y * width + x] = min(d[y * width + x], min(up, left) + 1)
      }
    }
    for y in stride(from: height - 1, through: 0, by: -1) {
      for x in stride(from: width - 1, through: 0, by: -1) where inside[y * width + x] {
        let down = y < height - 1 ? d[(y + 1) * width + x] : edge, right = x < width - 1 ? d[y * width + x + 1] : edge
        d[y * width + x] = min(d[y * width + x], min(down, right) + 1)
      }
    }
    return d
  }

  // MARK: - Helpers

  private static func centroid(_ mask: [Bool], width: Int) -> (Double, Double) {
    var sx = 0.0, sy = 0.0, n = 0.0
    for i in 0..<mask.count where mask[i] {
      sx += Double(i % width)
      sy += Double(i / width)
      n += 1
    }
    return n > 0 ? (sx / n, sy / n) : (0, 0)
  }

  /// Keeps the pixels of `curve` whose angle around `center` falls in a random arc of `span` turns.
  private static func keepArc(
    _ curve: [Int], around center: (Double, Double), width: Int, span: Double,
    rng: inout SplitMix64
  ) -> [Int] {
    let start = rng.uniform(0, 2 * .pi)
    if curve.count < 8 { return curve }
    return curve.filter { i in
      let angle = atan2(Double(i / width) - center.1, Double(i % width) - center.0)
      var offset = (angle - start).truncatingRemainder(dividingBy: 2 * .pi)
      if offset < 0 { offset += 2 * .pi }
      return offset <= span * 2 * .pi
    }
  }
}

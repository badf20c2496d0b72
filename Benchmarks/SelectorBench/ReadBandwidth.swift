// Measures this machine's memory read bandwidth: every core sums its share of a buffer larger
// than the last-level cache, the same access the selector's sweeps make, best of a few runs.

import Dispatch

/// Read bandwidth in GB/s over `bytes` of Floats with `threads` threads (best of `repeats`).
enum ReadBandwidth {
  static func measure(bytes: Int = 1 << 30, threads: Int = 2, repeats: Int = 3) -> Double {
    let count = bytes / 4 / 16 * 16
    let values = [Float](repeating: 1, count: count)
    var best = 0.0
    values.withUnsafeBufferPointer { buffer in
      let base = UnsafeSendablePointer(pointer: buffer.baseAddress!)
      for _ in 0..<repeats {
        let start = DispatchTime.now()
        let sums = SumBox(count: threads)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
          let lo = t * count / threads / 16 * 16, hi = (t + 1) * count / threads / 16 * 16
          let raw = UnsafeRawPointer(base.pointer)
          var a = SIMD16<Float>(), b = SIMD16<Float>()
          var i = lo
          while i + 32 <= hi {
            a += raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Float>.self)
            b += raw.loadUnaligned(fromByteOffset: (i &+ 16) &* 4, as: SIMD16<Float>.self)
            i &+= 32
          }
          sums.set(t, (a + b).sum())
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        precondition(sums.total > 0, "bandwidth loop was optimised away")
        best = max(best, Double(count * 4) / seconds / 1e9)
      }
    }
    return best
  }
}

/// A raw pointer shared read-only across the measuring threads.
struct UnsafeSendablePointer: @unchecked Sendable {
  let pointer: UnsafePointer<Float>
}

/// One partial sum per thread (each thread writes only its own slot).
final class SumBox: @unchecked Sendable {
  private let sums: UnsafeMutableBufferPointer<Float>
  init(count: Int) { sums = .allocate(capacity: count); sums.initialize(repeating: 0) }
  deinit { sums.deallocate() }
  func set(_ i: Int, _ value: Float) { sums[i] = value }
  var total: Float { sums.reduce(0, +) }
}

// SIMD kernels for the distance loops: sum of squared differences over contiguous Floats.
// Eight-wide vectors with two accumulators. Multiply and add stay separate: `addingProduct`
// becomes a libm fmaf call per lane on the baseline x86-64 target (no FMA), 20× slower.

/// Σ (a[i] − b[i])² for i in 0..<n.
@inline(__always)
func sumSquaredDifference(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
  let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
  var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
  var i = 0
  while i + 16 <= n {
    let d0 =
      ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
      - rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
    let d1 =
      ra.loadUnaligned(fromByteOffset: (i &+ 8) &* 4, as: SIMD8<Float>.self)
      - rb.loadUnaligned(fromByteOffset: (i &+ 8) &* 4, as: SIMD8<Float>.self)
    acc0 += d0 * d0
    acc1 += d1 * d1
    i &+= 16
  }
  if i + 8 <= n {
    let d0 =
      ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
      - rb.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
    acc0 += d0 * d0
    i &+= 8
  }
  var sum = (acc0 + acc1).sum()
  while i < n {
    let d = a[i] - b[i]
    sum += d * d
    i &+= 1
  }
  return sum
}

/// acc[i] += (x[i] − c)² for i in 0..<n.
@inline(__always)
func accumulateSquaredDifference(_ acc: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ c: Float, _ n: Int) {
  let rx = UnsafeRawPointer(x), ra = UnsafeMutableRawPointer(acc)
  let cv = SIMD8<Float>(repeating: c)
  var i = 0
  while i + 8 <= n {
    let d = rx.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self) - cv
    let a = ra.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
    ra.storeBytes(of: a + d * d, toByteOffset: i &* 4, as: SIMD8<Float>.self)
    i &+= 8
  }
  while i < n {
    let d = x[i] - c
    acc[i] += d * d
    i &+= 1
  }
}

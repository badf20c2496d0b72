// Normal-distributed random tensors for weight init (torchvision's kaiming_normal_).

#if canImport(Glibc)
  import Glibc
#endif

extension Tensor {
  /// Normal(0, std²) values by Box–Muller from `rng` (two 53-bit uniforms per pair of values).
  public static func normal(_ shape: [Int], std: Float, using rng: inout some RandomNumberGenerator) -> Tensor {
    let count = shape.reduce(1, *)
    var data = [Float](repeating: 0, count: count)
    var i = 0
    while i < count {
      let u1 = max(Double(rng.next() >> 11) * 0x1.0p-53, 1e-300), u2 = Double(rng.next() >> 11) * 0x1.0p-53
      let r = (-2 * log(u1)).squareRoot()
      data[i] = Float(r * cos(2 * Double.pi * u2)) * std
      if i + 1 < count { data[i + 1] = Float(r * sin(2 * Double.pi * u2)) * std }
      i += 2
    }
    return Tensor(shape: shape, data: data)
  }
}

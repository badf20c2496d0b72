// A float32 tensor: contiguous row-major storage plus a shape (NCHW for images).
// Value type; the [Float] storage gives copy-on-write for free.

/// A dense float32 tensor stored row-major (NCHW for 4-D image batches).
///
/// `Tensor` is a value type: copies share storage until one of them is written (copy-on-write).
public struct Tensor: Sendable, Equatable {
  /// Extent of each dimension, outermost first.
  public var shape: [Int]
  /// Elements in row-major order; `data.count == shape.reduce(1, *)`.
  public var data: [Float]

  /// Wraps `data` with `shape`; the element count must match.
  public init(shape: [Int], data: [Float]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative extent")
    precondition(
      shape.reduce(1, *) == data.count,
      "Tensor shape \(shape) needs \(shape.reduce(1, *)) elements, got \(data.count)")
    self.shape = shape
    self.data = data
  }

  /// A tensor of `shape` filled with `value` (zeros by default).
  public init(shape: [Int], repeating value: Float = 0) {
    self.shape = shape
    self.data = [Float](repeating: value, count: shape.reduce(1, *))
  }

  /// A tensor of `shape` whose storage is not zero-filled: for kernels that write every element before anything
  /// reads it (saves one pass over multi-megabyte activations).
  public init(uninitializedShape shape: [Int]) {
    let count = shape.reduce(1, *)
    self.shape = shape
    self.data = [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
  }

  /// A tensor of `shape` with elements drawn uniformly from `range`.
  public init(uniform shape: [Int], in range: ClosedRange<Float>, using rng: inout some RandomNumberGenerator) {
    self.shape = shape
    // 24 random bits per element (one 64-bit draw), mapped onto the range
    let low = range.lowerBound, width = range.upperBound - range.lowerBound
    var values = [Float](repeating: 0, count: shape.reduce(1, *))
    values.withUnsafeMutableBufferPointer { v in
      for i in 0..<v.count { v[i] = low + width * (Float(rng.next() >> 40) * (1.0 / 16_777_216.0)) }
    }
    self.data = values
  }

  /// Number of elements.
  public var count: Int { data.count }
  /// Number of dimensions.
  public var rank: Int { shape.count }

  /// The four extents of an NCHW tensor.
  public var nchw: (n: Int, c: Int, h: Int, w: Int) {
    precondition(shape.count == 4, "expected an NCHW tensor, got shape \(shape)")
    return (shape[0], shape[1], shape[2], shape[3])
  }

  /// The same elements under a new shape with the same element count.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    Tensor(shape: newShape, data: data)
  }

  /// Adds `other` element-wise in place (shapes must match); large tensors in parallel chunks.
  public mutating func add(_ other: Tensor) {
    precondition(shape == other.shape, "cannot add \(other.shape) to \(shape)")
    data.withUnsafeMutableBufferPointer { d in
      let out = d
      other.data.withUnsafeBufferPointer { o in
        Parallel.forChunks(out.count) { r in
          for i in r { out[i] += o[i] }
        }
      }
    }
  }

  /// Element-wise sum of two tensors of the same shape.
  public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
    var out = lhs
    out.add(rhs)
    return out
  }

  /// Sum of all elements, accumulated in Double.
  public func sum() -> Double {
    data.reduce(0.0) { $0 + Double($1) }
  }
}

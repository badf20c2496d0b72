// A forward-only network (convolutions with fused bias and activation, transposed convolutions, max pooling,
// channel concat, MC dropout) that runs on oneDNN with activations in its blocked layouts from the first
// convolution to the last; only the input and the output are plain NCHW. Compiled per input shape in
// InferenceGraph+DNNL.swift: primitives, weights in oneDNN's layout, every buffer, all made once and reused.

/// An evaluation-mode network for inference: keeps no activations for backward and allocates nothing per run
/// once compiled for a shape.
///
/// Build it node by node (`convolution`, `transposedConvolution`, `maxPool`, `concat`, `dropout`), mark the
/// `output`, then `run` it. Weights are copied in at build time, so later changes to the model do not reach it.
/// Dropout nodes act only in `run(_:dropout: true, …)` (MC dropout); their masks are drawn in NCHW order with
/// `Dropout.mask`, node by node, exactly as the layer-by-layer forward draws them, so both give the same result
/// for the same generator.
public final class InferenceGraph: @unchecked Sendable {
  /// A tensor produced by one node of the graph.
  public struct Value: Hashable, Sendable {
    let index: Int
  }

  /// Activation fused into a convolution as a oneDNN post-op.
  public enum Activation: Hashable, Sendable {
    case identity
    /// y = x for x > 0, slope·x otherwise (slope 0 is ReLU).
    case leakyReLU(slope: Float)
  }

  enum Node {
    case input(channels: Int)
    /// weight (Cout, Cin, k, k), bias (Cout); stride 1.
    case convolution(Value, weight: Tensor, bias: Tensor, padding: Int, activation: Activation)
    /// weight (Cin, Cout, k, k) as PyTorch stores it, bias (Cout); stride = k, no padding (2×2 upsampling).
    case transposedConvolution(Value, weight: Tensor, bias: Tensor)
    case maxPool(Value, kernel: Int)
    case concat(Value, Value)
    /// Inverted element-wise dropout, in place on its input (which nothing else may read afterwards).
    case dropout(Value, p: Float)
  }

  private(set) var nodes: [Node] = []
  private(set) var channels: [Int] = []
  /// The graph's result; set with `setOutput`.
  private(set) var output: Value?
  /// Compiled executables by input shape (N, H, W); only touched under oneDNN's lock (see `run`).
  var compiled: [[Int]: Executable] = [:]
  /// Executables compiled so far (a new input shape compiles once; tests check that repeated runs do not).
  public private(set) var compilations = 0

  /// Shapes kept compiled at once; a new one past this frees the others.
  static let shapeLimit = 4

  /// A graph whose input has `inputChannels` channels; `input` is its value.
  public init(inputChannels: Int) {
    append(.input(channels: inputChannels), channels: inputChannels)
  }

  deinit {
    for executable in compiled.values { executable.destroy() }
  }

  /// The graph's input value (N, inputChannels, H, W).
  public var input: Value { Value(index: 0) }

  /// Channels of `value`.
  public func channels(of value: Value) -> Int { channels[value.index] }

  private func append(_ node: Node, channels c: Int) -> Value {
    nodes.append(node)
    channels.append(c)
    return Value(index: nodes.count - 1)
  }

  // MARK: - Building

  /// y = activation(conv(x, weight) + bias), stride 1. weight: (Cout, Cin, k, k), bias: (Cout).
  @discardableResult
  public func convolution(_ x: Value, weight: Tensor, bias: Tensor, padding: Int, activation: Activation = .identity)
    -> Value
  {
    precondition(
      weight.rank == 4 && weight.shape[1] == channels(of: x) && weight.shape[2] == weight.shape[3],
      "convolution weight \(weight.shape) does not fit \(channels(of: x)) input channels")
    precondition(bias.shape == [weight.shape[0]], "convolution bias \(bias.shape) does not fit weight \(weight.shape)")
    return append(
      .convolution(x, weight: weight, bias: bias, padding: padding, activation: activation), channels: weight.shape[0])
  }

  /// y = conv_transpose(x, weight) + bias with stride = kernel size. weight: (Cin, Cout, k, k), bias: (Cout).
  @discardableResult
  public func transposedConvolution(_ x: Value, weight: Tensor, bias: Tensor) -> Value {
    precondition(
      weight.rank == 4 && weight.shape[0] == channels(of: x) && weight.shape[2] == weight.shape[3],
      "transposed convolution weight \(weight.shape) does not fit \(channels(of: x)) input channels")
    precondition(
      bias.shape == [weight.shape[1]], "transposed convolution bias \(bias.shape) does not fit weight \(weight.shape)")
    return append(.transposedConvolution(x, weight: weight, bias: bias), channels: weight.shape[1])
  }

  /// Max pooling with kernel = stride = `kernel`, no padding (floor mode).
  @discardableResult
  public func maxPool(_ x: Value, kernel: Int) -> Value {
    append(.maxPool(x, kernel: kernel), channels: channels(of: x))
  }

  /// [a, b] concatenated on channels (a first).
  @discardableResult
  public func concat(_ a: Value, _ b: Value) -> Value {
    append(.concat(a, b), channels: channels(of: a) + channels(of: b))
  }

  /// Inverted dropout with probability `p`, active only in MC-dropout runs. Works in place: `x` must not be
  /// read by any later node.
  @discardableResult
  public func dropout(_ x: Value, p: Float) -> Value {
    precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
    return append(.dropout(x, p: p), channels: channels(of: x))
  }

  /// Marks the graph's result.
  public func setOutput(_ value: Value) {
    output = value
  }

  // MARK: - Running

  /// The output (N, Cout, H', W') of the graph for x: (N, inputChannels, H, W), plain NCHW. With `dropout`,
  /// every dropout node draws its mask from `rng` (node order, NCHW element order); without, none draws.
  public func run(_ x: Tensor, dropout: Bool, using rng: inout some RandomNumberGenerator) -> Tensor {
    let (n, c, h, w) = x.nchw
    precondition(c == channels[0], "inference graph expects \(channels[0]) input channels, got \(x.shape)")
    precondition(output != nil, "inference graph has no output; call setOutput first")
    return withoutActuallyEscaping({ (out: UnsafeMutableBufferPointer<Float>, p: Float) in
      Dropout.fillMask(out, p: p, using: &rng)
    }) { draw in
      DNNL.withEngine { engine, stream in
        let key = [n, h, w]
        let executable: Executable
        if let e = compiled[key] {
          executable = e
        } else {
          if compiled.count >= Self.shapeLimit {
            for e in compiled.values { e.destroy() }
            compiled.removeAll()
          }
          executable = Executable(graph: self, batch: n, height: h, width: w, engine: engine, stream: stream)
          compiled[key] = executable
          compilations += 1
        }
        return executable.run(x, dropout: dropout, stream: stream, draw: draw)
      }
    }
  }
}

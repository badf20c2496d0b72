// Shapes of a 2-D convolution or transposed convolution: batch, channels, input size, kernel, stride, padding.

/// The geometry of a 2-D (transposed) convolution on NCHW tensors with square-free stride and padding.
///
/// For a convolution the output size is `(in + 2·pad − kernel) / stride + 1`; for a transposed convolution
/// it is `(in − 1)·stride − 2·pad + kernel` (PyTorch `Conv2d` / `ConvTranspose2d`, output_padding 0).
public struct ConvGeometry: Hashable, Sendable {
  public var batch: Int
  public var inputChannels: Int
  public var outputChannels: Int
  public var inputHeight: Int
  public var inputWidth: Int
  public var kernelHeight: Int
  public var kernelWidth: Int
  public var stride: Int
  public var padding: Int
  /// True for a transposed convolution (oneDNN "deconvolution").
  public var transposed: Bool

  public init(
    batch: Int, inputChannels: Int, outputChannels: Int, inputHeight: Int, inputWidth: Int,
    kernelHeight: Int, kernelWidth: Int, stride: Int = 1, padding: Int = 0, transposed: Bool = false
  ) {
    self.batch = batch
    self.inputChannels = inputChannels
    self.outputChannels = outputChannels
    self.inputHeight = inputHeight
    self.inputWidth = inputWidth
    self.kernelHeight = kernelHeight
    self.kernelWidth = kernelWidth
    self.stride = stride
    self.padding = padding
    self.transposed = transposed
    precondition(outputHeight > 0 && outputWidth > 0, "convolution \(self) gives an empty output")
  }

  public var outputHeight: Int {
    transposed
      ? (inputHeight - 1) * stride - 2 * padding + kernelHeight
      : (inputHeight + 2 * padding - kernelHeight) / stride + 1
  }

  public var outputWidth: Int {
    transposed
      ? (inputWidth - 1) * stride - 2 * padding + kernelWidth
      : (inputWidth + 2 * padding - kernelWidth) / stride + 1
  }

  /// Input shape (N, Cin, H, W).
  public var inputShape: [Int] { [batch, inputChannels, inputHeight, inputWidth] }
  /// Output shape (N, Cout, Ho, Wo).
  public var outputShape: [Int] { [batch, outputChannels, outputHeight, outputWidth] }
  /// Weight shape as PyTorch stores it: (Cout, Cin, kH, kW) for a convolution, (Cin, Cout, kH, kW) transposed.
  public var weightShape: [Int] {
    transposed
      ? [inputChannels, outputChannels, kernelHeight, kernelWidth]
      : [outputChannels, inputChannels, kernelHeight, kernelWidth]
  }
}

// Every trainable tensor and running statistic of a model, under stable dotted names (PyTorch state_dict names).

import TensorCore

/// Named parameters, their gradients and non-trained buffers (batch-norm running statistics).
///
/// Names follow PyTorch's `state_dict` keys (`encoder.in_conv.conv_conv.0.weight`), so weights can be compared
/// with, and loaded from, a PyTorch model. The optimizer walks `names` in registration order.
public struct ParameterStore: Sendable {
  /// Trainable parameter names in registration order.
  public private(set) var names: [String] = []
  /// Buffer names (running mean / variance) in registration order.
  public private(set) var bufferNames: [String] = []
  /// Parameter values by name.
  public var values: [String: Tensor] = [:]
  /// Gradients by name, same shapes as `values`; accumulated by the layers' backward passes.
  public var gradients: [String: Tensor] = [:]
  /// Non-trained state by name.
  public var buffers: [String: Tensor] = [:]

  public init() {}

  /// Adds a trainable parameter with a zero gradient.
  public mutating func register(_ name: String, _ value: Tensor) {
    precondition(values[name] == nil, "parameter \(name) is registered twice")
    names.append(name)
    values[name] = value
    gradients[name] = Tensor(shape: value.shape)
  }

  /// Adds a non-trained buffer.
  public mutating func registerBuffer(_ name: String, _ value: Tensor) {
    precondition(buffers[name] == nil, "buffer \(name) is registered twice")
    bufferNames.append(name)
    buffers[name] = value
  }

  /// The value of parameter `name`.
  public subscript(name: String) -> Tensor {
    guard let v = values[name] else { preconditionFailure("no parameter named \(name); was the layer registered?") }
    return v
  }

  /// Adds `delta` to the gradient of `name` in place.
  public mutating func accumulateGradient(_ name: String, _ delta: Tensor) {
    precondition(
      gradients[name]?.shape == delta.shape,
      "gradient for \(name) has shape \(delta.shape), parameter has \(gradients[name]?.shape ?? [])")
    gradients[name]!.add(delta)
  }

  /// Sets every gradient to zero.
  public mutating func zeroGradients() {
    for n in names {
      gradients[n]!.data.withUnsafeMutableBufferPointer { p in
        for i in 0..<p.count { p[i] = 0 }
      }
    }
  }

  /// Total number of trainable scalars.
  public var parameterCount: Int { names.reduce(0) { $0 + values[$1]!.count } }

  /// Replaces the value of an existing parameter or buffer (e.g. from a PyTorch state_dict); shapes must match.
  public mutating func load(_ name: String, _ value: Tensor) {
    if let old = values[name] {
      precondition(old.shape == value.shape, "\(name): expected shape \(old.shape), got \(value.shape)")
      values[name] = value
    } else if let old = buffers[name] {
      precondition(old.shape == value.shape, "\(name): expected shape \(old.shape), got \(value.shape)")
      buffers[name] = value
    } else {
      preconditionFailure("no parameter or buffer named \(name)")
    }
  }
}

// Mean squared error over every element (PyTorch `nn.MSELoss()`, reduction "mean").

import TensorCore

/// L = (1/n) Σ (ŷ − y)².
public enum MeanSquaredError {
  /// Returns L and dL/dŷ = 2(ŷ − y)/n. prediction, target: same shape.
  public static func loss(_ prediction: Tensor, _ target: Tensor) -> (loss: Double, dPrediction: Tensor) {
    precondition(prediction.shape == target.shape, "MSE prediction \(prediction.shape) vs target \(target.shape)")
    let n = prediction.count
    guard n > 0 else { return (0, prediction) }
    var grad = Tensor(shape: prediction.shape)
    var sum = 0.0
    let scale = 2 / Float(n)
    for i in 0..<n {
      let d = prediction.data[i] - target.data[i]
      sum += Double(d) * Double(d)
      grad.data[i] = scale * d
    }
    return (sum / Double(n), grad)
  }
}

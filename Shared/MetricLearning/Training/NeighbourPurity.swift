// A quick quality measure of an embedding: how many of each row's k nearest neighbours share its label.

import TensorCore

/// k-nearest-neighbour label agreement of embedding rows (Euclidean distance).
public enum NeighbourPurity {
  /// Mean over rows of (neighbours among the k nearest other rows with the same label) / k.
  /// embeddings: (N, F); labels: N values (e.g. the volume of each slice).
  public static func mean(_ embeddings: Tensor, labels: [Int], k: Int = 5) -> Double {
    let (n, f) = (embeddings.shape[0], embeddings.shape[1])
    precondition(labels.count == n && k < n, "need one label per row and k < N")
    let e = embeddings.data
    var total = 0.0
    for i in 0..<n {
      var d: [(Float, Int)] = []
      d.reserveCapacity(n - 1)
      for j in 0..<n where j != i {
        var s: Float = 0
        for c in 0..<f { let t = e[i * f + c] - e[j * f + c]; s += t * t }
        d.append((s, j))
      }
      d.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
      total += Double(d.prefix(k).filter { labels[$0.1] == labels[i] }.count) / Double(k)
    }
    return total / Double(n)
  }
}

// The embedder's presets: encoder size, training epochs and the slice size it trains on. Data, not code:
// `paper` is the method spec's setting, `cpu` finishes in minutes on 2 cores, `smoke` is for tests.
import MetricLearning

struct EncoderPreset: Codable, Sendable {
  var name: String
  var encoder: EncoderConfig
  var epochs: Int
  /// Slices are resized (nearest) to size × size before training and embedding; 0 keeps the stored size.
  var size: Int
  /// Compute threads (0 = all cores). Small networks run faster on one.
  var threads: Int

  static let paper = EncoderPreset(name: "paper", encoder: .paper, epochs: 100, size: 0, threads: 0)
  /// Two epochs: on the demo cohort's ~1,500 pool slices that is ~350 steps of 9 slices × 2 views (the old
  /// 174-slice demo took 190 steps in 10 epochs), about 3 minutes on one core, so one encoder per seed fits.
  static let cpu = EncoderPreset(name: "cpu", encoder: .cpu, epochs: 2, size: 64, threads: 1)
  static let smoke = EncoderPreset(name: "smoke", encoder: .tiny, epochs: 2, size: 16, threads: 1)
  static let all = [paper, cpu, smoke]

  static func named(_ name: String) throws -> EncoderPreset {
    guard let preset = all.first(where: { $0.name == (name.isEmpty ? "cpu" : name) }) else {
      throw EmbedderError("unknown preset '\(name)'; use one of \(all.map(\.name).joined(separator: ", "))")
    }
    return preset
  }
}

/// The configuration stored in an encoder checkpoint, so Embed can rebuild the network.
struct EncoderCheckpointConfig: Codable, Sendable {
  var preset: EncoderPreset
  var datasetID: Int64
  var seed: UInt64
}

struct EmbedderError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

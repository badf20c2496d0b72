// What StorageClient returns and takes: storage's rows as Swift domain types, tensors already decoded and
// checked. The protobuf messages stay inside StorageClient (StorageRecords+Wire.swift converts), so services,
// the gateway and the CLI work on these.
import Experiments

/// Which part of a dataset a slice or volume belongs to.
public enum SliceSplit: String, Sendable, Hashable, CaseIterable {
  case train, val, test
}

/// A dataset as storage lists it.
public struct StoredDataset: Sendable, Hashable {
  public var id: Int64
  public var name: String
  public var format: String
  /// Classes, background included.
  public var numClasses: Int
  public var classNames: [String]
  public var sliceHeight: Int
  public var sliceWidth: Int
  public var patients: Int
  public var volumes: Int
  public var trainSlices: Int
  public var valSlices: Int
  public var testSlices: Int
  /// Tells a re-imported dataset of the same id and name apart from the old one.
  public var createdUnixMs: Int64
}

/// A slice's place and labeling state, without pixels.
public struct SliceInfo: Sendable, Hashable {
  public var id: Int64
  public var volumeID: Int64
  public var patient: String
  /// "ED", "ES" or "".
  public var phase: String
  /// Index in the volume, from 0.
  public var position: Int
  public var volumeSlices: Int
  public var split: SliceSplit?
  /// The kind of its latest annotation; nil when it has none.
  public var labeled: Supervision?
  /// Whether its latest annotation has a foreground pixel.
  public var hasForeground: Bool
}

/// A slice's image with its latest annotation, when asked for and present.
public struct AnnotatedSlice: Sendable, Hashable {
  public var id: Int64
  public var height: Int
  public var width: Int
  /// float32 in [0, 1], row-major.
  public var image: [Float]
  /// uint8 per pixel (4 = not annotated); nil when the slice has no annotation.
  public var annotation: [UInt8]?
  public var kind: Supervision?
}

/// A volume with its ground truth (val and test volumes).
public struct StoredVolume: Sendable, Hashable {
  public var id: Int64
  public var patient: String
  public var phase: String
  /// D, H, W.
  public var shape: [Int]
  public var image: [Float]
  /// uint8 [D, H, W]; nil for volumes without ground truth.
  public var label: [UInt8]?
  /// Millimetres, (z, y, x); empty when unknown.
  public var spacing: [Double]
  public var sliceIDs: [Int64]
}

/// A person's or the oracle's annotation of a slice (without its mask).
public struct StoredAnnotation: Sendable, Hashable {
  public var id: Int64
  public var sliceID: Int64
  public var kind: Supervision?
  public var annotator: String
  public var costSeconds: Double
  public var labeledPixels: Int64
  public var createdUnixMs: Int64
}

/// A stored model or encoder.
public struct StoredCheckpoint: Sendable, Hashable {
  public var id: Int64
  /// "unet", "unet_cct", "encoder", …
  public var kind: String
  public var experimentID: Int64
  public var roundID: Int64
  public var metadataJSON: String
  public var blob: [UInt8]
  public var createdUnixMs: Int64
}

/// A model's prediction of one slice: the mean softmax over its passes.
public struct StoredPrediction: Sendable, Hashable {
  public var checkpointID: Int64
  public var sliceID: Int64
  /// 1: one deterministic pass; T > 1: MC-dropout passes.
  public var passes: Int
  /// C, H, W.
  public var shape: [Int]
  public var probabilities: [Float]
  /// mean_t mean_px H(p_t); for one pass, that pass's entropy.
  public var expectedEntropy: Double

  public init(
    checkpointID: Int64, sliceID: Int64, passes: Int, shape: [Int], probabilities: [Float], expectedEntropy: Double
  ) {
    self.checkpointID = checkpointID
    self.sliceID = sliceID
    self.passes = passes
    self.shape = shape
    self.probabilities = probabilities
    self.expectedEntropy = expectedEntropy
  }
}

/// An experiment as storage keeps it.
public struct StoredExperiment: Sendable, Hashable {
  public var id: Int64
  public var name: String
  /// The resolved definition.
  public var configYAML: String
  /// "created", "running", "done", "failed", "stopped".
  public var state: String
  public var datasetID: Int64
  public var createdUnixMs: Int64
  public var resultJSON: String

  public init(
    id: Int64 = 0, name: String, configYAML: String, state: String, datasetID: Int64 = 0, createdUnixMs: Int64 = 0,
    resultJSON: String = ""
  ) {
    self.id = id
    self.name = name
    self.configYAML = configYAML
    self.state = state
    self.datasetID = datasetID
    self.createdUnixMs = createdUnixMs
    self.resultJSON = resultJSON
  }
}

/// One row of an experiment's persisted progress: a round of a (strategy, seed) run, or a reserved "@" row.
public struct RoundRow: Sendable, Hashable {
  public var id: Int64
  public var experimentID: Int64
  public var index: Int
  public var strategy: String
  public var seed: UInt64
  public var state: String
  /// The last step that finished.
  public var step: String
  public var payloadJSON: String
  public var updatedUnixMs: Int64

  public init(
    id: Int64 = 0, experimentID: Int64, index: Int, strategy: String, seed: UInt64, state: String, step: String,
    payloadJSON: String, updatedUnixMs: Int64 = 0
  ) {
    self.id = id
    self.experimentID = experimentID
    self.index = index
    self.strategy = strategy
    self.seed = seed
    self.state = state
    self.step = step
    self.payloadJSON = payloadJSON
    self.updatedUnixMs = updatedUnixMs
  }
}

// StorageClient's boundary: storage's protobuf messages to and from the domain types of StorageRecords.swift.
// Tensors are decoded here, so a malformed one is an error naming the slice, volume or prediction it belongs to.
import Experiments
import Messaging
import Protos

extension SliceSplit {
  /// The split named on the wire; nil for SPLIT_UNSPECIFIED.
  public init?(wire: Activeseg_V1_Split) {
    switch wire {
    case .train: self = .train
    case .val: self = .val
    case .test: self = .test
    default: return nil
    }
  }

  public var wire: Activeseg_V1_Split {
    switch self {
    case .train: .train
    case .val: .val
    case .test: .test
    }
  }
}

extension Supervision {
  /// The kind named on the wire; nil for ANNOTATION_KIND_UNSPECIFIED.
  public init?(wire: Activeseg_V1_AnnotationKind) {
    switch wire {
    case .scribble: self = .scribble
    case .full: self = .full
    default: return nil
    }
  }

  /// The annotation kind of this supervision on the wire.
  public var wire: Activeseg_V1_AnnotationKind { self == .scribble ? .scribble : .full }
}

extension StoredDataset {
  init(wire: Activeseg_V1_Dataset) {
    self.init(
      id: wire.id, name: wire.name, format: wire.format, numClasses: Int(wire.numClasses), classNames: wire.classNames,
      sliceHeight: Int(wire.sliceHeight), sliceWidth: Int(wire.sliceWidth), patients: Int(wire.patients),
      volumes: Int(wire.volumes), trainSlices: Int(wire.trainSlices), valSlices: Int(wire.valSlices),
      testSlices: Int(wire.testSlices), createdUnixMs: wire.createdUnixMs)
  }
}

extension SliceInfo {
  init(wire: Activeseg_V1_SliceInfo) {
    self.init(
      id: wire.id, volumeID: wire.volumeID, patient: wire.patient, phase: wire.phase, position: Int(wire.position),
      volumeSlices: Int(wire.volumeSlices), split: SliceSplit(wire: wire.split),
      labeled: Supervision(wire: wire.labeled),
      hasForeground: wire.hasForeground_p)
  }
}

extension AnnotatedSlice {
  init(wire: Activeseg_V1_SliceData) throws {
    let shape = wire.image.shape.map(Int.init)
    guard shape.count == 2 else {
      throw ServiceError(.internal, "storage sent slice \(wire.id) with an image of shape \(shape), not [H, W]")
    }
    let annotation = wire.hasAnnotation ? try wire.annotation.bytes("annotation of slice \(wire.id)") : nil
    if let annotation, annotation.count != shape[0] * shape[1] {
      throw ServiceError(
        .internal, "storage sent slice \(wire.id) with \(annotation.count) annotation pixels for a \(shape) image")
    }
    self.init(
      id: wire.id, height: shape[0], width: shape[1], image: try wire.image.floats("image of slice \(wire.id)"),
      annotation: annotation, kind: Supervision(wire: wire.kind))
  }
}

extension StoredVolume {
  init(wire: Activeseg_V1_VolumeData) throws {
    let shape = wire.image.shape.map(Int.init)
    guard shape.count == 3 else {
      throw ServiceError(.internal, "storage sent volume \(wire.id) with an image of shape \(shape), not [D, H, W]")
    }
    self.init(
      id: wire.id, patient: wire.patient, phase: wire.phase, shape: shape,
      image: try wire.image.floats("volume \(wire.id)"),
      label: wire.hasLabel ? try wire.label.bytes("label of volume \(wire.id)") : nil, spacing: wire.spacing,
      sliceIDs: wire.sliceIds)
  }
}

extension StoredAnnotation {
  init(wire: Activeseg_V1_Annotation) {
    self.init(
      id: wire.id, sliceID: wire.sliceID, kind: Supervision(wire: wire.kind), annotator: wire.annotator,
      costSeconds: wire.costSeconds, labeledPixels: wire.labeledPixels, createdUnixMs: wire.createdUnixMs)
  }
}

extension StoredCheckpoint {
  init(wire: Activeseg_V1_Checkpoint) {
    self.init(
      id: wire.id, kind: wire.kind, experimentID: wire.experimentID, roundID: wire.roundID,
      metadataJSON: wire.metadataJson, blob: [UInt8](wire.blob), createdUnixMs: wire.createdUnixMs)
  }
}

extension StoredPrediction {
  init(wire: Activeseg_V1_StoredPrediction) throws {
    self.init(
      checkpointID: wire.checkpointID, sliceID: wire.sliceID, passes: Int(wire.passes),
      shape: wire.probabilities.shape.map(Int.init),
      probabilities: try wire.probabilities.floats("prediction of slice \(wire.sliceID)"),
      expectedEntropy: wire.expectedEntropy)
  }

  var wire: Activeseg_V1_StoredPrediction {
    var wire = Activeseg_V1_StoredPrediction()
    wire.checkpointID = checkpointID
    wire.sliceID = sliceID
    wire.passes = Int32(passes)
    wire.probabilities = WireTensor(float32: probabilities, shape: shape)
    wire.expectedEntropy = expectedEntropy
    return wire
  }
}

extension StoredExperiment {
  init(wire: Activeseg_V1_Experiment) {
    self.init(
      id: wire.id, name: wire.name, configYAML: wire.configYaml, state: wire.state, datasetID: wire.datasetID,
      createdUnixMs: wire.createdUnixMs, resultJSON: wire.resultJson)
  }

  var wire: Activeseg_V1_Experiment {
    var wire = Activeseg_V1_Experiment()
    wire.id = id
    wire.name = name
    wire.configYaml = configYAML
    wire.state = state
    wire.datasetID = datasetID
    wire.createdUnixMs = createdUnixMs
    wire.resultJson = resultJSON
    return wire
  }
}

extension RoundRow {
  init(wire: Activeseg_V1_Round) {
    self.init(
      id: wire.id, experimentID: wire.experimentID, index: Int(wire.index), strategy: wire.strategy, seed: wire.seed,
      state: wire.state, step: wire.step, payloadJSON: wire.payloadJson, updatedUnixMs: wire.updatedUnixMs)
  }

  var wire: Activeseg_V1_Round {
    var wire = Activeseg_V1_Round()
    wire.id = id
    wire.experimentID = experimentID
    wire.index = Int32(index)
    wire.strategy = strategy
    wire.seed = seed
    wire.state = state
    wire.step = step
    wire.payloadJson = payloadJSON
    wire.updatedUnixMs = updatedUnixMs
    return wire
  }
}

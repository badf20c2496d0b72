// What an importer found in a dataset folder: patients with their split, and one entry per volume that
// `DatasetImporter.loadVolume` can read later, one at a time.

import Imaging

/// Patient-level split; slices never cross splits.
public enum DatasetSplit: String, Sendable, Codable, CaseIterable {
  case train, val, test
}

/// Supported dataset layouts.
public enum DatasetFormat: String, Sendable, Codable, CaseIterable {
  /// ACDC as distributed: patientXXX/Info.cfg and per-frame NIfTI images and _gt masks.
  case acdc
  /// WSL4MIS HDF5 slices and volumes with train/val/test lists.
  case wsl4mis
  /// nnU-Net raw: dataset.json, imagesTr/CASE_0000, labelsTr/CASE.
  case nnunet
  /// The built-in phantom cohort (no files).
  case phantom
}

/// One patient of the dataset.
public struct PatientRecord: Sendable, Codable, Equatable {
  /// Patient id (e.g. `patient001`).
  public var id: String
  public var split: DatasetSplit
  /// Metadata such as ACDC's Info.cfg keys (ED, ES, Group, Height, Weight, NbFrame).
  public var info: [String: String]

  public init(id: String, split: DatasetSplit, info: [String: String] = [:]) {
    self.id = id
    self.split = split
    self.info = info
  }
}

/// Where a volume's data comes from.
public enum VolumeSource: Sendable, Codable, Equatable {
  /// NIfTI image with optional mask and scribble files.
  case nifti(image: String, label: String?, scribble: String?)
  /// One HDF5 file holding the whole volume (`image` D×H×W, `label`, optional `scribble`).
  case hdf5Volume(path: String)
  /// HDF5 slice files in slice order, each with `image`, `label`, `scribble` (H×W).
  case hdf5Slices(paths: [String])
  /// A phantom cohort volume.
  case phantom(parameters: PhantomParameters, patient: Int, phase: CardiacPhase)
}

/// The identity and position of one slice: the groups used by the contrastive loss.
public struct SliceRecord: Sendable, Codable, Equatable, Hashable {
  public var patientID: String
  /// The volume key (e.g. `patient001_frame01`).
  public var volumeKey: String
  /// "ED", "ES" or "" when unknown.
  public var phase: String
  /// Index of the slice in its volume (0-based, source order).
  public var index: Int
  /// Number of slices in the volume.
  public var count: Int
}

/// One volume to import.
public struct VolumeEntry: Sendable, Codable, Equatable {
  /// Unique key within the dataset (e.g. `patient001_frame01`).
  public var key: String
  public var patientID: String
  /// "ED", "ES" or "".
  public var phase: String
  public var split: DatasetSplit
  /// Number of slices.
  public var depth: Int
  /// Slice size in the source files.
  public var height: Int
  public var width: Int
  /// Number of classes that labels must respect.
  public var classCount: Int
  public var source: VolumeSource

  /// One record per slice, in order.
  public var slices: [SliceRecord] {
    (0..<depth).map { SliceRecord(patientID: patientID, volumeKey: key, phase: phase, index: $0, count: depth) }
  }
}

/// Everything an importer found, before any pixel is loaded.
public struct ImportPlan: Sendable, Codable {
  public var datasetName: String
  public var format: DatasetFormat
  /// Number of classes, background included.
  public var classCount: Int
  /// Class names in label order.
  public var classNames: [String]
  public var patients: [PatientRecord]
  public var volumes: [VolumeEntry]
  /// Things the importer chose or ignored (e.g. extra channels), for the import log.
  public var notes: [String]

  /// Total number of slices.
  public var sliceCount: Int { volumes.reduce(0) { $0 + $1.depth } }

  /// Volumes of one split.
  public func volumes(in split: DatasetSplit) -> [VolumeEntry] { volumes.filter { $0.split == split } }
}

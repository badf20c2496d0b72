// A new scan to segment, preprocessed exactly as an imported volume (the same `VolumeAssembler` path:
// 99th-percentile clip, min–max to [0, 1], nearest resize of every slice), so that a model sees it as it saw
// the slices it was trained on.

import Imaging

/// Preprocessing of single scans outside a dataset import.
public enum ScanPreprocessing {
  /// The scan `values` — row-major (z, y, x), `depth × height × width`, as read from its file (after
  /// scl_slope/scl_inter) and typed `kind` — clipped, scaled and resized to `size`, as an import does.
  /// `spacing` is (x, y, z) in mm; `name` names the scan in errors and becomes its volume and patient key.
  public static func prepare(
    _ values: [Float], kind: SourceValueKind, depth: Int, height: Int, width: Int,
    spacing: [Double], name: String, to size: SliceSize
  ) throws -> ImportedVolume {
    guard depth > 0, height > 0, width > 0 else {
      throw DatasetError(
        code: .wrongDimensionality,
        message: "\(name) has shape \(depth)×\(height)×\(width) (D×H×W); a scan needs at least one slice of one pixel",
        path: name)
    }
    guard values.count == depth * height * width else {
      throw DatasetError(
        code: .shapeMismatch,
        message:
          "\(name) has \(values.count) voxels but its shape \(depth)×\(height)×\(width) (D×H×W) needs \(depth * height * width); send the whole volume",
        path: name)
    }
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
      throw DatasetError(
        code: .corruptFile,
        message: "\(name) contains a non-finite value at voxel \(bad); fix or mask it before segmenting", path: name)
    }
    let options = ImportOptions(targetSize: size)
    try options.validate()
    let raw = RawVolume(
      shape: [depth, height, width], image: values, kind: kind, label: nil, scribble: nil, spacing: spacing,
      imageName: name, preNormalized: false)
    let entry = VolumeEntry(
      key: name, patientID: name, phase: "", split: .test, depth: depth, height: height, width: width,
      classCount: 1, source: .nifti(image: name, label: nil, scribble: nil))
    return try VolumeAssembler.assemble(raw, entry: entry, options: options)
  }
}

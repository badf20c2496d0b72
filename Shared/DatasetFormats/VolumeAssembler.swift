// Turns raw arrays read by an importer into an `ImportedVolume`: checks shapes and label ranges, then
// clips + scales intensities and resizes every slice (nearest neighbour).

import Imaging

/// A volume as read from its files, before checks and preprocessing.
struct RawVolume {
  /// (D, H, W) of the image.
  var shape: [Int]
  var image: [Float]
  var kind: SourceValueKind
  /// Mask values and their shape and file name.
  var label: (values: [Float], shape: [Int], name: String)?
  var scribble: (values: [Float], shape: [Int], name: String)?
  var spacing: [Double]
  var imageName: String
  /// Whether the image is already normalised to [0, 1] by the source pipeline (WSL4MIS).
  var preNormalized: Bool
}

enum VolumeAssembler {
  static func assemble(_ raw: RawVolume, entry: VolumeEntry, options: ImportOptions) throws -> ImportedVolume {
    let (d, h, w) = (raw.shape[0], raw.shape[1], raw.shape[2])
    for part in [raw.label, raw.scribble].compactMap({ $0 }) where part.shape != raw.shape {
      throw DatasetError(
        code: .shapeMismatch,
        message:
          "\(part.name) has shape \(format(part.shape)) but its image \(raw.imageName) has \(format(raw.shape)) (D×H×W); image and label must match voxel for voxel, re-export them together",
        path: part.name)
    }
    let label = try raw.label.map {
      try labels($0.values, classCount: entry.classCount, allowIgnore: false, name: $0.name, sliceSize: h * w)
    }
    let scribble = try raw.scribble.map {
      try labels($0.values, classCount: entry.classCount, allowIgnore: true, name: $0.name, sliceSize: h * w)
    }
    let normalize =
      options.preprocessing == .clipAndScale || (options.preprocessing == .automatic && !raw.preNormalized)
    var image = normalize ? IntensityNormalization.normalize(raw.image, kind: raw.kind) : raw.image
    let out = options.targetSize ?? SliceSize(height: h, width: w)
    image = NearestResize.resizeVolume(image, depth: d, height: h, width: w, outHeight: out.height, outWidth: out.width)
    let resize = { (v: [UInt8]) in
      NearestResize.resizeVolume(v, depth: d, height: h, width: w, outHeight: out.height, outWidth: out.width)
    }
    return ImportedVolume(
      key: entry.key, patientID: entry.patientID, phase: entry.phase, split: entry.split,
      depth: d, height: out.height, width: out.width, originalHeight: h, originalWidth: w,
      spacing: raw.spacing, image: image, label: label.map(resize), scribble: scribble.map(resize),
      sourcePath: raw.imageName)
  }

  /// Converts label values to UInt8, requiring integers in 0..<classCount (or the ignore value 4 for scribbles).
  static func labels(_ values: [Float], classCount: Int, allowIgnore: Bool, name: String, sliceSize: Int) throws
    -> [UInt8]
  {
    var out = [UInt8](repeating: 0, count: values.count)
    for (i, v) in values.enumerated() {
      let valid =
        v >= 0 && v == v.rounded() && (Int(v) < classCount || (allowIgnore && v == Float(ImportedVolume.ignoreValue)))
      guard valid else {
        let allowed = "0...\(classCount - 1)" + (allowIgnore ? " or \(ImportedVolume.ignoreValue) (unannotated)" : "")
        throw DatasetError(
          code: .labelOutOfRange,
          message:
            "\(name) has label value \(v) at slice \(i / max(sliceSize, 1)) (voxel \(i)); the dataset has \(classCount) classes, so values must be \(allowed). Fix the mask or declare the classes (dataset.json labels)",
          path: name)
      }
      out[i] = UInt8(v)
    }
    return out
  }

  static func format(_ shape: [Int]) -> String { shape.map(String.init).joined(separator: "×") }
}

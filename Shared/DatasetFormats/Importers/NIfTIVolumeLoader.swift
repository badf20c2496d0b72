// Loads a `.nifti` volume entry (image, optional mask and scribble files); shared by the ACDC and nnU-Net importers.

/// Reading of NIfTI-backed volume entries.
enum NIfTIVolumeLoader {
  /// (D, H, W) of a NIfTI file, from its header only.
  static func shape(_ path: String) throws -> [Int] {
    let h = try NIfTIReader.readHeader(path)
    return [h.dim[3], h.dim[2], h.dim[1]]
  }

  static func load(_ entry: VolumeEntry, options: ImportOptions) throws -> ImportedVolume {
    guard case let .nifti(imagePath, labelPath, scribblePath) = entry.source else {
      preconditionFailure("NIfTIVolumeLoader got a non-NIfTI entry \(entry.key)")
    }
    let image = try NIfTIReader.read(imagePath)
    let shape = [image.sizeZ, image.sizeY, image.sizeX]
    let part = { (path: String?) throws -> (values: [Float], shape: [Int], name: String)? in
      guard let path else { return nil }
      let v = try NIfTIReader.read(path)
      return (v.values, [v.sizeZ, v.sizeY, v.sizeX], path)
    }
    let raw = RawVolume(
      shape: shape, image: image.values, kind: image.valueKind, label: try part(labelPath),
      scribble: try part(scribblePath), spacing: [image.spacing.0, image.spacing.1, image.spacing.2],
      imageName: imagePath, preNormalized: false)
    return try VolumeAssembler.assemble(raw, entry: entry, options: options)
  }

  /// Checks at planning time that mask (and scribble) headers match the image shape.
  static func checkShapes(image: String, others: [String?]) throws -> [Int] {
    let s = try shape(image)
    for case let other? in others {
      let o = try shape(other)
      if o != s {
        throw DatasetError(
          code: .shapeMismatch,
          message:
            "\(other) has shape \(VolumeAssembler.format(o)) but its image \(image) has \(VolumeAssembler.format(s)) (D×H×W); image and label must match voxel for voxel, re-export them together",
          path: other)
      }
    }
    return s
  }
}

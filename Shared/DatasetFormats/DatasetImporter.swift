// The importer protocol and the factory that picks one by format.

import Imaging

/// Reads a dataset folder into an `ImportPlan`, then loads its volumes one at a time.
public protocol DatasetImporter: Sendable {
  /// Scans the source (file names and headers only) and validates its structure.
  func plan() throws -> ImportPlan
  /// Reads one volume, preprocessed and resized per the importer's `ImportOptions`.
  func loadVolume(_ entry: VolumeEntry) throws -> ImportedVolume
}

/// Chooses an importer.
public enum DatasetImport {
  /// An importer of `format` for the folder `root` (ignored for `.phantom`, which uses `phantom`); HDF5 files
  /// are read through `hdf5`.
  public static func importer(
    format: DatasetFormat, root: String, options: ImportOptions = ImportOptions(),
    phantom: PhantomParameters = PhantomParameters(), hdf5: any HDF5Reading = InProcessHDF5()
  ) -> any DatasetImporter {
    switch format {
    case .acdc: ACDCImporter(root: root, options: options)
    case .wsl4mis: WSL4MISImporter(root: root, options: options, hdf5: hdf5)
    case .nnunet: NNUNetImporter(root: root, options: options)
    case .phantom: PhantomImporter(parameters: phantom, options: options)
    }
  }
}

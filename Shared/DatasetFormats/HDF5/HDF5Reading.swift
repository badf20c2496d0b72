// What an importer asks of an HDF5 reader. `HDF5Reader` reads in this process; `HDF5ChildReader` asks a child
// process, so that a file that crashes libhdf5 fails the import with an error naming it, not the storage service.

public protocol HDF5Reading: Sendable {
  /// Reads the named datasets that exist in `path`; names that are absent are left out of the result.
  func read(_ path: String, datasets names: [String]) throws -> [String: HDF5Dataset]
  /// The shape of dataset `name` in `path`, or nil when the file has no such dataset.
  func shape(_ path: String, dataset name: String) throws -> [Int]?
}

/// libhdf5 in this process (tests, fuzzing, and the child of `HDF5ChildReader`).
public struct InProcessHDF5: HDF5Reading {
  public init() {}
  public func read(_ path: String, datasets names: [String]) throws -> [String: HDF5Dataset] {
    try HDF5Reader.read(path, datasets: names)
  }
  public func shape(_ path: String, dataset name: String) throws -> [Int]? { try HDF5Reader.shape(path, dataset: name) }
}

// Reads whole numeric datasets from HDF5 files through serial libhdf5 (WSL4MIS `image`/`label`/`scribble`).
// Serial libhdf5 is not thread-safe, so every call into it holds one process-wide lock.

import CHDF5
import Foundation
import Synchronization

/// One dataset read from an HDF5 file, converted to float32 by libhdf5.
public struct HDF5Dataset: Sendable {
  /// Dimensions, slowest first (e.g. D, H, W).
  public var shape: [Int]
  /// Values in row-major order.
  public var values: [Float]
}

/// HDF5 file reading.
public enum HDF5Reader {
  private static let lock = Mutex(())
  /// The most values one dataset may hold (2^28, e.g. 1024×512×512): a larger claim is a damaged header.
  public static let maxValues = 1 << 28

  /// Reads the named datasets that exist in `path`; names that are absent are left out of the result.
  /// Throws `.missingFile` when the file does not exist and `.hdf5` when it is not a readable HDF5 file.
  public static func read(_ path: String, datasets names: [String]) throws -> [String: HDF5Dataset] {
    try lock.withLock { _ in
      let file = try open(path)
      defer { H5Fclose(file) }
      var out = [String: HDF5Dataset]()
      for name in names where H5Lexists(file, name, chdf5_default()) > 0 {
        out[name] = try readDataset(file, name, path)
      }
      return out
    }
  }

  /// The shape of dataset `name` in `path`, or nil when the file has no such dataset.
  public static func shape(_ path: String, dataset name: String) throws -> [Int]? {
    try lock.withLock { _ in
      let file = try open(path)
      defer { H5Fclose(file) }
      guard H5Lexists(file, name, chdf5_default()) > 0 else { return nil }
      let ds = H5Dopen2(file, name, chdf5_default())
      guard ds >= 0 else { throw unreadable(path, name) }
      defer { H5Dclose(ds) }
      return try dims(ds, path, name)
    }
  }

  // MARK: - libhdf5 calls (lock held)

  private static func open(_ path: String) throws -> hid_t {
    chdf5_silence_errors()
    guard FileManager.default.fileExists(atPath: path) else {
      throw DatasetError(
        code: .missingFile, message: "\(path) does not exist; check the dataset folder and the split lists", path: path)
    }
    let file = H5Fopen(path, chdf5_acc_rdonly(), chdf5_default())
    guard file >= 0 else {
      throw DatasetError(
        code: .hdf5, message: "\(path) is not a readable HDF5 file (corrupt or truncated?); regenerate it with h5py",
        path: path)
    }
    return file
  }

  private static func dims(_ ds: hid_t, _ path: String, _ name: String) throws -> [Int] {
    let space = H5Dget_space(ds)
    guard space >= 0 else { throw unreadable(path, name) }
    defer { H5Sclose(space) }
    let rank = Int(H5Sget_simple_extent_ndims(space))
    guard rank >= 0 else { throw unreadable(path, name) }
    var dims = [hsize_t](repeating: 0, count: max(rank, 1))
    _ = H5Sget_simple_extent_dims(space, &dims, nil)
    guard rank > 0 else { return [] }
    // A damaged header can claim any size: refuse one too large to allocate before anything is allocated.
    var count = 1
    for dim in dims {
      let (product, overflow) = count.multipliedReportingOverflow(by: Int(clamping: dim))
      guard dim <= UInt64(Int.max), !overflow, product <= maxValues else {
        throw DatasetError(
          code: .hdf5,
          message:
            "dataset '\(name)' in \(path) claims the shape \(dims.map(String.init).joined(separator: "×")), more than the \(maxValues) values one dataset may hold (1 GiB as float32); the file is damaged, regenerate it with h5py",
          path: path)
      }
      count = product
    }
    return dims.map { Int($0) }
  }

  private static func readDataset(_ file: hid_t, _ name: String, _ path: String) throws -> HDF5Dataset {
    let ds = H5Dopen2(file, name, chdf5_default())
    guard ds >= 0 else { throw unreadable(path, name) }
    defer { H5Dclose(ds) }
    let shape = try dims(ds, path, name)
    try checkType(ds, path, name)
    var values = [Float](repeating: 0, count: shape.reduce(1, *))
    let status = values.withUnsafeMutableBytes {
      H5Dread(ds, chdf5_native_float(), chdf5_all(), chdf5_all(), chdf5_default(), $0.baseAddress)
    }
    guard status >= 0 else { throw unreadable(path, name) }
    return HDF5Dataset(shape: shape, values: values)
  }

  /// Refuses a stored type whose bit layout does not fit its size (a damaged header): libhdf5 1.10 converts such
  /// a type to float by reading bits past its buffer, which smashes the stack. Integers and floats of 1–8 bytes pass.
  private static func checkType(_ ds: hid_t, _ path: String, _ name: String) throws {
    let type = H5Dget_type(ds)
    guard type >= 0 else { throw unreadable(path, name) }
    defer { H5Tclose(type) }
    let typeClass = H5Tget_class(type), bits = 8 * Int(H5Tget_size(type))
    let precision = Int(H5Tget_precision(type)), offset = Int(H5Tget_offset(type))
    var fits =
      (typeClass == H5T_INTEGER || typeClass == H5T_FLOAT) && (8...64).contains(bits)
      && precision >= 1 && offset >= 0 && precision + offset <= bits
    if fits && typeClass == H5T_FLOAT {
      var sign = 0, exponent = 0, exponentSize = 0, mantissa = 0, mantissaSize = 0
      fits =
        H5Tget_fields(type, &sign, &exponent, &exponentSize, &mantissa, &mantissaSize) >= 0
        && sign < precision && exponentSize >= 1 && exponent + exponentSize <= precision
        && mantissa + mantissaSize <= precision
    }
    guard fits else {
      throw DatasetError(
        code: .hdf5,
        message:
          "dataset '\(name)' in \(path) has a stored type that is not a well-formed number (class \(typeClass.rawValue), \(bits) bits, precision \(precision) at offset \(offset)); the file is damaged, regenerate it with h5py",
        path: path)
    }
  }

  private static func unreadable(_ path: String, _ name: String) -> DatasetError {
    DatasetError(
      code: .hdf5,
      message:
        "dataset '\(name)' in \(path) cannot be read (damaged file, non-numeric type, or written by h5py with libver='latest', which this libhdf5 1.10 cannot read); regenerate the file with h5py's default libver",
      path: path)
  }
}

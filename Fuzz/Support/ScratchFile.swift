// A per-process file that path-based readers (NIfTI, HDF5) can be fuzzed through: each input overwrites it.
import Foundation

/// A temporary file holding the current input, under /dev/shm when it exists (no disk writes per input).
public struct ScratchFile: Sendable {
  public let path: String

  /// A file named `fuzz-<pid>-<name>` (keep the extension the reader looks at, e.g. `input.nii`).
  public init(name: String) {
    let folder = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    path = "\(folder)/fuzz-\(getpid())-\(name)"
  }

  /// Replaces the file's contents with `bytes`; traps when it cannot (the fuzzer could not go on).
  public func write(_ bytes: [UInt8]) {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
      fatalError("fuzz: cannot write the scratch file \(path)")
    }
  }
}

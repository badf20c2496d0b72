// A small file system for resource-fault tests: a tmpfs with a size limit, mounted (as root) on a fresh folder,
// that a test can fill to the last block, remount read-only, and unmount whatever happens.
import Foundation
import Glibc

public struct SmallFileSystemError: Error, CustomStringConvertible {
  public let description: String
}

/// A tmpfs of `megabytes` mounted on a fresh folder; `unmount()` removes it (always call it, in a defer).
public struct SmallFileSystem: Sendable {
  public let path: String

  public init(megabytes: Int) throws {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent("activeseg-smallfs-\(UUID().uuidString.prefix(8))")
      .path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
  }

  public func remount(readOnly: Bool) throws {
    try Self.run("/bin/mount", ["-o", "remount,\(readOnly ? "ro" : "rw")", path])
  }

  public func unmount() {
    try? Self.run("/bin/umount", ["-l", path])
    try? FileManager.default.removeItem(atPath: path)
  }

  /// Writes a filler file until the disk is full (to the last 4 KiB block); returns its path.
  public func fill() -> String {
    let filler = path + "/filler"
    let fd = open(filler, O_WRONLY | O_CREAT | O_APPEND, 0o600)
    precondition(fd >= 0, "cannot create \(filler)")
    defer { close(fd) }
    for chunk in [1 << 20, 4096, 512] {
      let bytes = [UInt8](repeating: 0xA5, count: chunk)
      while write(fd, bytes, chunk) == chunk {}
    }
    return filler
  }

  private static func run(_ tool: String, _ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw SmallFileSystemError(
        description: "\(tool) \(arguments.joined(separator: " ")) failed with status \(process.terminationStatus)")
    }
  }

  /// Mounting needs root (CI runs as root; so does the development container).
  public static var available: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/mount") }
}

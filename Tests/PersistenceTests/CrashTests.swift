// Kill test: SIGKILL the persistence-crash-probe in the middle of its import transaction, then
// check the database holds nothing of it, and that the import then runs again to completion.

import Foundation
import Persistence
import Testing

/// Finds and drives the `persistence-crash-probe` executable built next to the test bundle.
enum CrashProbe {
  /// `$PERSISTENCE_CRASH_PROBE`, or `persistence-crash-probe` (the product) or `PersistenceCrashProbe`
  /// (the bare target) beside this test process's executable.
  static func executable() -> URL? {
    if let path = ProcessInfo.processInfo.environment["PERSISTENCE_CRASH_PROBE"] {
      return URL(fileURLWithPath: path)
    }
    guard let me = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
    var dir = URL(fileURLWithPath: me).deletingLastPathComponent()
    for _ in 0..<4 {  // the bundle may sit inside a *.xctest folder
      for name in ["persistence-crash-probe", "PersistenceCrashProbe"] {
        let candidate = dir.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      }
      dir = dir.deletingLastPathComponent()
    }
    return nil
  }

  /// Reads the child's stdout until a line equal to `wanted` arrives; false at end of output.
  static func waitForLine(_ wanted: String, from handle: FileHandle, buffer: inout String) -> Bool {
    while true {
      while let newline = buffer.firstIndex(of: "\n") {
        let line = String(buffer[..<newline])
        buffer.removeSubrange(...newline)
        if line == wanted { return true }
      }
      let chunk = handle.availableData
      if chunk.isEmpty { return false }
      buffer += String(decoding: chunk, as: UTF8.self)
    }
  }
}

@Suite struct CrashTests {
  @Test func killedImportLeavesNothingAndRunsAgain() throws {
    let probe = try #require(
      CrashProbe.executable(),
      "persistence-crash-probe not found; build it with swift build or set PERSISTENCE_CRASH_PROBE")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("store.sqlite").path

    let process = Process()
    process.executableURL = probe
    process.arguments = [path, "1000", "20"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let pid = process.processIdentifier
    let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }  // never hang the test run
    DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
    defer { watchdog.cancel() }

    var buffer = ""
    let reader = output.fileHandleForReading
    #expect(CrashProbe.waitForLine("STARTED", from: reader, buffer: &buffer))
    // Let it write well past SQLite's page cache, so uncommitted frames reach the WAL file.
    #expect(CrashProbe.waitForLine("PROGRESS 40", from: reader, buffer: &buffer))
    kill(pid, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
    let walBytes = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
    #expect(
      walBytes > 1_000_000, "the import should have spilled uncommitted pages to the WAL; it has \(walBytes) bytes")

    do {
      let store = try Store(path: path)
      #expect(try store.datasets().isEmpty)
      let counts = try store.rowCounts()
      for (table, count) in counts { #expect(count == 0, "\(table) has \(count) rows after the crash") }
      #expect(try store.foreignKeyViolationCount() == 0)
      #expect(try store.integrityCheck() == ["ok"])
    }

    // The same import runs again, to completion.
    let again = Process()
    again.executableURL = probe
    again.arguments = [path, "30", "0"]
    let againOutput = Pipe()
    again.standardOutput = againOutput
    try again.run()
    let text = String(decoding: againOutput.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    again.waitUntilExit()
    #expect(again.terminationStatus == 0 && text.hasSuffix("DONE\n"))
    let store = try Store(path: path)
    let info = try #require(try store.dataset(named: "crash-probe"))
    #expect(info.sliceCount == 30 * 8)
    #expect(try store.rowCounts()["images"] == 240)
    #expect(try store.foreignKeyViolationCount() == 0)
  }
}

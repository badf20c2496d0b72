// The storage service as a process on a small tmpfs the test mounts (root, as CI runs): an import that fills
// the disk gets RESOURCE_EXHAUSTED saying the disk is full, the datasets committed before stay whole, and the
// same import succeeds once space returns; a database on a read-only file system stops the service at start-up
// with a message that says so and how to fix it.
import Foundation
import Glibc
import Launcher
import Messaging
import Protos
import ServiceKit
import Testing
import TestSupport

@Suite(.serialized, .enabled(if: SmallFileSystem.available, "mounting a tmpfs needs root"))
struct StorageDiskFaultTests {
  @Test func anImportOnAFullDiskIsRefusedClearlyAndSucceedsOnceSpaceReturns() async throws {
    let disk = try SmallFileSystem(megabytes: 16)
    defer { disk.unmount() }
    let logs = try TemporaryDirectory("activeseg-diskfull")
    let process = try ServiceProcess.start(
      name: "storage", executable: "activeseg-storage",
      arguments: ["--bind", "tcp://127.0.0.1:*", "--database", disk.path + "/db.sqlite"],
      logPath: logs.file("storage.log"), detach: false)
    defer { _ = ServiceProcess.stop(pid: process.pid) }
    let channel = try ZMQChannel(connect: try #require(process.endpoints["rpc"]), logger: logger)
    defer { channel.close() }
    func importPhantom(_ name: String, patients: Int32, size: Int32) async throws -> Activeseg_V1_ImportReply {
      var request = Activeseg_V1_ImportRequest.phantom(name: name, patients: patients, size: size)
      request.allowNoTest = true  // two patients keep the first import small enough for the 12 MiB disk
      return try await channel.call(
        "Storage/Import", request,
        replying: Activeseg_V1_ImportReply.self, options: CallOptions(timeout: .seconds(120)))
    }
    func datasets() async throws -> [String] {
      try await channel.call(
        "Storage/ListDatasets", Activeseg_V1_ListDatasetsRequest(), replying: Activeseg_V1_ListDatasetsReply.self,
        options: CallOptions(timeout: .seconds(30))
      ).datasets.map { $0.name }.sorted()
    }
    let first = try await importPhantom("first", patients: 2, size: 32)
    var list = Activeseg_V1_ListSlicesRequest()
    list.datasetID = first.dataset.id
    func sliceIDs() async throws -> [Int64] {
      try await channel.call(
        "Storage/ListSlices", list, replying: Activeseg_V1_ListSlicesReply.self,
        options: CallOptions(timeout: .seconds(30))
      ).slices.map { $0.id }
    }
    let committed = try await sliceIDs()
    let filler = disk.fill()
    await expectError(.resourceExhausted, containing: "disk holding the database is full") {
      _ = try await importPhantom("second", patients: 6, size: 64)
    }
    #expect(try await datasets() == ["first"], "nothing of the refused import was written")
    let after = try await sliceIDs()
    #expect(!committed.isEmpty && after == committed, "the committed dataset is whole")

    try FileManager.default.removeItem(atPath: filler)
    #expect(try await importPhantom("second", patients: 6, size: 64).dataset.name == "second")
    #expect(try await datasets() == ["first", "second"])
    logs.remove()
  }

  @Test func aReadOnlyDatabaseStopsTheServiceAtStartUpWithTheFix() async throws {
    let disk = try SmallFileSystem(megabytes: 8)
    defer { disk.unmount() }
    let storage = ServiceProcess.binDirectory() + "/activeseg-storage"
    try disk.remount(readOnly: true)
    // `timeout` ends a service that started anyway, so the test fails instead of hanging.
    let result = try await runCommand(
      "/usr/bin/timeout", ["30", storage, "--bind", "tcp://127.0.0.1:*", "--database", disk.path + "/db.sqlite"])
    #expect(result.status == 1, "status \(result.status): \(result.output)")
    #expect(!result.output.contains("READY"), "\(result.output)")
    #expect(
      result.output.contains("read-only file system") && result.output.contains("remount it read-write")
        && result.output.contains(disk.path + "/db.sqlite"), "\(result.output)")
  }
}

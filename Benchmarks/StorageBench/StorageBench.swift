// `scripts/bench storage`: import throughput and batch-fetch throughput through the storage service, against
// reading the same image blobs straight from the SQLite file, in one run.
// Usage: StorageBench WORKDIR [PATIENTS] (the activeseg-storage executable is found next to this one).
import Foundation
import GRDB
import Launcher
import Logging
import Messaging
import Protos
import ServiceKit

@main
struct StorageBench {
  static func main() async throws {
    let work = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : NSTemporaryDirectory() + "/storage-bench"
    let patients = CommandLine.arguments.count > 2 ? Int32(CommandLine.arguments[2])! : 50
    try? FileManager.default.removeItem(atPath: work)
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    let database = work + "/bench.sqlite"
    var logger = Logger(label: "storage-bench")
    logger.logLevel = .warning
    let service = try ServiceProcess.start(
      name: "storage", executable: "activeseg-storage",
      arguments: ["--bind", "tcp://127.0.0.1:*", "--database", database],
      logPath: work + "/storage.log", detach: false)
    defer { ServiceProcess.stop(pid: service.pid) }
    let channel = try ZMQChannel(connect: service.endpoints["rpc"]!, logger: logger)
    defer { channel.close() }
    let options = CallOptions(timeout: .seconds(3600), caller: "bench")

    // Import: phantom cohort at 256×256, about 1,000 slices.
    var request = Activeseg_V1_ImportRequest()
    request.format = "phantom"
    request.name = "bench"
    request.seed = 1
    request.phantom.patients = patients
    request.phantom.size = 256
    request.phantom.minSlices = 9
    request.phantom.maxSlices = 11
    let importStart = ContinuousClock.now
    let imported = try await channel.call(
      "Storage/Import", request, replying: Activeseg_V1_ImportReply.self, options: options)
    let importSeconds = seconds(ContinuousClock.now - importStart)
    let d = imported.dataset
    let sliceCount = Int(d.trainSlices + d.valSlices + d.testSlices)
    print(
      String(
        format: "storage import: %d slices of 256x256 in %.2f s = %.0f slices/s (phantom generation included)",
        sliceCount, importSeconds, Double(sliceCount) / importSeconds))

    var list = Activeseg_V1_ListSlicesRequest()
    list.datasetID = d.id
    let ids = try await channel.call(
      "Storage/ListSlices", list, replying: Activeseg_V1_ListSlicesReply.self, options: options
    ).slices.map(\.id)
    let batches = stride(from: 0, to: ids.count, by: 64).map { Array(ids[$0..<min($0 + 64, ids.count)]) }
    let passes = 3
    let bytes = Double(ids.count * 256 * 256 * 4 * passes)

    // Through the service: GetSlices in batches of 64 with 4 batches in flight (as a trainer's loader
    // would prefetch), pixels decoded into [Float].
    let serviceStart = ContinuousClock.now
    let queueOfBatches = (0..<passes).flatMap { _ in batches }
    let checksum = try await withThrowingTaskGroup(of: Float.self) { group in
      for lane in 0..<4 {
        group.addTask {
          var sum: Float = 0
          for batch in stride(from: lane, to: queueOfBatches.count, by: 4).map({ queueOfBatches[$0] }) {
            var get = Activeseg_V1_GetSlicesRequest()
            get.sliceIds = batch
            let reply = try await channel.call(
              "Storage/GetSlices", get, replying: Activeseg_V1_GetSlicesReply.self, options: options)
            for slice in reply.slices { sum += try slice.image.floats("image")[1000] }
          }
          return sum
        }
      }
      var total: Float = 0
      for try await sum in group { total += sum }
      return total
    }
    let serviceMBps = bytes / seconds(ContinuousClock.now - serviceStart) / 1e6

    // Raw: the same blobs straight from the SQLite file, same batches, into [Float].
    var configuration = Configuration()
    configuration.readonly = true
    let queue = try DatabaseQueue(path: database, configuration: configuration)
    let rawStart = ContinuousClock.now
    let rawChecksum = try rawRead(queue, batches: batches, passes: passes)
    let rawMBps = bytes / seconds(ContinuousClock.now - rawStart) / 1e6
    precondition(abs(checksum - rawChecksum) < 1e-3 * max(1, abs(rawChecksum)), "service and raw reads differ")
    print(
      String(
        format: "storage fetch (batches of 64, 4 in flight, %d passes): service %.0f MB/s, raw SQLite %.0f MB/s",
        passes, serviceMBps, rawMBps))
    print(
      String(
        format: "RESULT storage import_slices_per_s=%.0f fetch_MBps=%.0f raw_MBps=%.0f ratio=%.2f",
        Double(sliceCount) / importSeconds, serviceMBps, rawMBps, serviceMBps / rawMBps))
  }

  /// Reads every batch's blobs into [Float] on this thread, as a program using SQLite directly would.
  static func rawRead(_ queue: DatabaseQueue, batches: [[Int64]], passes: Int) throws -> Float {
    var checksum: Float = 0
    for _ in 0..<passes {
      for batch in batches {
        try queue.inDatabase { db in
          let rows = try Row.fetchCursor(
            db, sql: "SELECT pixels FROM images WHERE slice_id IN (\(batch.map(String.init).joined(separator: ",")))")
          while let row = try rows.next() {
            let data: Data = row[0]
            let pixels = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            checksum += pixels[1000]
          }
        }
      }
    }
    return checksum
  }

  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
  }
}

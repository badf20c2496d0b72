// `activeseg export --format nnunet` on a finished phantom experiment: the folder passes nnU-Net's dataset
// checks (Tests/Export/check_nnunet.py, with nibabel), and exactly the run's labeled slices carry labels, equal
// to the stored annotations; every other voxel is the ignore label.
import Foundation
import Launcher
import Messaging
import Protos
import Segmentation
import ServiceKit
import Testing
import TestSupport

@Suite(.serialized) struct ExportTests {
  @Test func aFinishedRunExportsAsAnNnUNetRawDatasetThatPassesItsChecks() async throws {
    let python = WebTests.python
    try #require(
      FileManager.default.isExecutableFile(atPath: python),
      "no test Python at \(python): run scripts/setup (selenium, nibabel)")
    let (cluster, gateway) = try await LoopTests.cluster(trainers: 1)
    defer { gateway.close(); cluster.stop() }
    let storage = try ZMQChannel(connect: cluster.endpoint("storage"), logger: logger)
    defer { storage.close() }
    var run = Activeseg_V1_RunExperimentRequest()
    run.configYaml = """
      dataset: ph
      supervision: full
      strategies: [random]
      schedule: {cumulative: [0.1, 0.2]}
      preset: smoke
      seeds: [0]
      """
    let id = try await gateway.call("Gateway/RunExperiment", run, replying: Activeseg_V1_RunExperimentReply.self)
      .experimentID
    let status = try await LoopTests.finish(id, gateway)
    try #require(status.state == "done", "\(cluster.log("gateway"))")
    let labeledCount = Int(try #require(status.rounds.max { $0.index < $1.index }).labeledSlices)

    let cli = ServiceProcess.binDirectory() + "/activeseg"
    let folder = cluster.directory.file("Dataset501_Phantom")
    let export = try await runCommand(
      cli, ["export", "--experiment", "\(id)", "--format", "nnunet", "--storage", cluster.endpoint("storage"), folder])
    try #require(export.status == 0, "\(export.output)")
    let again = try await runCommand(
      cli, ["export", "--experiment", "\(id)", "--storage", cluster.endpoint("storage"), folder])
    #expect(
      again.status != 0 && again.output.contains("is not empty"),
      "a second export into the same folder is refused: \(again.output)")

    let check = try await runCommand(python, [repositoryRoot + "/Tests/Export/check_nnunet.py", folder])
    try #require(check.status == 0, "nnU-Net's checks: \(check.output)")
    struct Case: Decodable { let shape: [Int]; let labeled_positions: [Int32]; let values: [Int] }
    let summary = try JSONDecoder().decode(
      [String: Case].self, from: Data(try #require(check.output.split(separator: "\n").last).utf8))

    // The labeled positions per case are exactly those of the run's labeled slices.
    var query = Activeseg_V1_ListSlicesRequest()
    query.datasetID = 1
    let slices = try await storage.call("Storage/ListSlices", query, replying: Activeseg_V1_ListSlicesReply.self).slices
    let labeled = slices.filter { $0.labeled != .unspecified }
    #expect(labeled.count == labeledCount, "storage and the experiment agree on the labeled slices")
    var expected: [String: Set<Int32>] = [:]
    for slice in labeled { expected["\(slice.patient)_\(slice.phase)", default: []].insert(slice.position) }
    #expect(Set(summary.keys) == Set(expected.keys), "one case per volume with a labeled slice")
    for (name, positions) in expected {
      #expect(Set(summary[name]?.labeled_positions ?? []) == positions, "\(name): labels only on the annotated slices")
      if let depth = summary[name]?.shape.last, positions.count < depth {
        #expect(summary[name]?.values.last == 4, "\(name): the other slices carry the ignore label")
      }
      #expect(summary[name]?.shape.prefix(2) == [32, 32], "\(name): slices at the stored size")
    }

    // --model: the final round's model as safetensors with its config; it reads back to the stored checkpoint.
    let modelPath = cluster.directory.file("phantom.safetensors")
    let model = try await runCommand(
      cli, ["export", "--experiment", "\(id)", "--model", modelPath, "--storage", cluster.endpoint("storage")])
    try #require(model.status == 0, "\(model.output)")
    let config = try ExportedModelConfig(
      json: Data(contentsOf: URL(fileURLWithPath: cluster.directory.file("phantom.json"))), file: "phantom.json")
    #expect(
      config.architecture == "UNet" && config.input.height == 32 && config.classNames.count == 4
        && config.source.experiment == id)
    let exported = try SegmentationModel(
      safetensors: [UInt8](try Data(contentsOf: URL(fileURLWithPath: modelPath))), config: config.model,
      file: modelPath)
    var lookup = Activeseg_V1_GetCheckpointRequest()
    lookup.id = config.source.checkpoint
    let blob = try await storage.call("Storage/GetCheckpoint", lookup, replying: Activeseg_V1_GetCheckpointReply.self)
      .checkpoint.blob
    let stored = try SegmentationModel(checkpoint: [UInt8](blob))
    #expect(exported.config == stored.config)
    for name in stored.store.names { #expect(exported.store[name].data == stored.store[name].data, "\(name)") }
    for name in stored.store.bufferNames {
      #expect(exported.store.buffers[name]!.data == stored.store.buffers[name]!.data, "\(name)")
    }
    let taken = try await runCommand(
      cli, ["export", "--experiment", "\(id)", "--model", modelPath, "--storage", cluster.endpoint("storage")])
    #expect(taken.status == 64 && taken.output.contains("--force"), "an existing model file is kept: \(taken.output)")
    let member = try await runCommand(
      cli,
      [
        "export", "--experiment", "\(id)", "--model", modelPath, "--force", "--member", "5",
        "--storage", cluster.endpoint("storage")
      ])
    #expect(member.status == 65 && member.output.contains("--member must be 0 to"), "\(member.output)")
    cluster.directory.remove()
  }
}

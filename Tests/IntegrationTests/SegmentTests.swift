// `activeseg segment` over the real services started by `activeseg up`: a smoke experiment trains on an
// nnU-Net cohort written by nibabel (Tests/Fixtures/segment), then new nibabel scans with rotated, x-flipped,
// anisotropic affines are segmented one by one and as a folder. The outputs must keep each scan's header and
// shape, and match the known masks; what is missing or down is named with its fix and exit code.
import Foundation
import Glibc
import Testing
import TestSupport
@testable import DatasetFormats

@Suite(.serialized) struct SegmentTests {
  static let fixtures = repositoryRoot + "/Tests/Fixtures/segment"
  static let scans = ["scanA", "scanB"]

  /// Ports 22000–22949, five per run: no other suite uses them.
  static func portBase(_ run: Int) -> Int { 22_000 + Int(getpid() % 95) * 10 + run * 5 }

  /// Two seeds, two rounds, ensembles of two. Measured here (2026-12-03): final-round test Dice 0.919 (seed 1) and
  /// 0.945 (seed 2); seeds 0 and 3 of the smoke preset's 40 SGD steps learn nothing (Dice 0.03 and 0.00), so
  /// the test runs seeds that learn and says so when they do not.
  static func definition(annotators: String = "oracle") -> String {
    """
    name: segment
    dataset: cohort
    supervision: full
    strategies: [random]
    schedule: {cumulative: [0.3, 0.6]}
    seeds: [1, 2]
    ensemble_size: 2
    preset: smoke
    annotators: \(annotators)
    """
  }

  static func importCohort(_ run: LocalRun) async throws {
    let result = try await run.run([
      "import", "--format", "nnunet", fixtures + "/cohort", "--name", "cohort", "--slice-size", "32"
    ])
    #expect(result.status == 0, "\(result.output)")
  }

  static func dice(_ a: [UInt8], _ b: [UInt8]) -> Double {
    let both = zip(a, b).filter { $0 == 1 && $1 == 1 }.count
    return 2 * Double(both) / Double(a.filter { $0 == 1 }.count + b.filter { $0 == 1 }.count)
  }

  static func expectedAffine(_ scan: String) throws -> [[Double]] {
    let json =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixtures + "/expected.json")))
      as? [String: Any]
    let entry = (json?["scans"] as? [String: Any])?[scan] as? [String: Any]
    return try #require((entry?["affine"] as? [[NSNumber]])?.map { $0.map(\.doubleValue) })
  }

  /// The label map at `path` has the scan's shape and header (affine as nibabel reads it) and is uint8.
  static func checkGeometry(_ path: String, of scan: String) throws -> [UInt8] {
    let source = try NIfTIReader.read(fixtures + "/scans/\(scan).nii.gz")
    let output = try NIfTIReader.read(path)
    #expect(
      output.sizeX == source.sizeX && output.sizeY == source.sizeY && output.sizeZ == source.sizeZ, "\(path) shape")
    #expect(output.header.datatype == 2 && output.header.bitpix == 8, "\(path) is uint8")
    #expect(
      output.header.srow == source.header.srow && output.header.quaternion == source.header.quaternion
        && output.header.qoffset == source.header.qoffset
        && Array(output.header.pixdim[0...3]) == Array(source.header.pixdim[0...3])
        && output.header.sformCode == 2 && output.header.qformCode == 1,
      "\(path) keeps the scan's qform, sform and spacing")
    let affine = try expectedAffine(scan)
    #expect(
      (0..<3).allSatisfy { i in (0..<4).allSatisfy { abs(output.header.srow[i][$0] - affine[i][$0]) < 1e-6 } },
      "\(path) sform \(output.header.srow) is nibabel's affine \(affine)")
    return try #require(output.integerLabels())
  }

  /// The probabilities at `path`: float32 (x, y, z, class) on the scan's grid, summing to 1, whose argmax is `labels`.
  static func checkProbabilities(_ path: String, labels: [UInt8], classes: Int) throws {
    let bytes = try Gzip.read(path)
    let header = try NIfTIHeader.parse(bytes, path: path)
    let voxels = labels.count
    #expect(
      header.dim[0] == 4 && header.dim[4] == classes && header.dim[1] * header.dim[2] * header.dim[3] == voxels,
      "\(header.dim)")
    #expect(header.datatype == 16 && bytes.count == 352 + 4 * classes * voxels)
    let values: [Float] = bytes[352...].withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    var worstSum = 0.0, disagreements = 0
    for v in 0..<voxels {
      let p = (0..<classes).map { values[$0 * voxels + v] }
      worstSum = max(worstSum, abs(Double(p.reduce(0, +)) - 1))
      let best = p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) }!
      if best != Int(labels[v]) { disagreements += 1 }
    }
    #expect(
      worstSum < 1e-3 && disagreements == 0, "\(path): sums off by \(worstSum), \(disagreements) labels not the argmax")
  }

  @Test func scansAreSegmentedOnTheirOwnGridAndMatchTheirMasks() async throws {
    let run = try LocalRun(portBase: Self.portBase(0))
    try await run.up(trainers: 2)
    try await Self.importCohort(run)
    let experiment = try await run.run(["experiment", "run", try run.definition(Self.definition())])
    #expect(experiment.status == 0, "\(experiment.output)")
    let out = run.directory.file("out")

    for seed in [1, 2] {
      let result = try await run.run([
        "segment", "--experiment", "1", "--strategy", "random", "--seed", "\(seed)", Self.fixtures + "/scans",
        "-o", "\(out)/seed\(seed)", "--probabilities", "\(out)/prob\(seed)"
      ])
      #expect(result.status == 0, "\(result.output)")
      #expect(
        result.output.contains("segmenting 2 scan(s) with experiment 1 random/seed\(seed): round 1")
          && result.output.contains("2 model(s)"),
        "\(result.output)")
      // The model's own test Dice on the cohort: when it is low the smoke training failed, not segment.
      let testDice =
        result.output.components(separatedBy: "test Dice ").dropFirst().first.flatMap { Double($0.prefix(5)) } ?? 0
      #expect(
        testDice > 0.8,
        "seed \(seed)'s model learned the cohort (test Dice \(testDice)); otherwise Dice below says nothing")
      for scan in Self.scans {
        let labels = try Self.checkGeometry("\(out)/seed\(seed)/\(scan)_seg.nii.gz", of: scan)
        let mask = try #require(try NIfTIReader.read(Self.fixtures + "/masks/\(scan).nii.gz").integerLabels())
        // The bar: this model scores 0.92-0.95 on the cohort's test volumes at its 32-pixel grid; on a scan's
        // finer grid a boundary is off by up to half a model pixel (about one scan pixel on a cavity of radius
        // 5-9 pixels), about 0.1 of Dice, so 0.7 leaves room for scan-to-scan variation. Measured: 0.873 and
        // 0.867 (seed 1), 0.814 and 0.829 (seed 2); the x-mirrored outputs score 0.000-0.008.
        let dice = Self.dice(labels, mask)
        #expect(
          dice > 0.7 && dice > testDice - 0.2,
          "seed \(seed) \(scan): Dice \(dice) against the known mask (model test Dice \(testDice))")
        try Self.checkProbabilities("\(out)/prob\(seed)/\(scan)_prob.nii.gz", labels: labels, classes: 2)
      }
    }

    // One scan to one file (uncompressed, in a folder that does not exist yet): the same labels as in the folder run.
    let single = "\(out)/single/scanA_seg.nii"
    let arguments = [
      "segment", "--experiment", "1", "--strategy", "random", "--seed", "1", Self.fixtures + "/scans/scanA.nii.gz",
      "-o", single
    ]
    var result = try await run.run(arguments)
    #expect(result.status == 0, "\(result.output)")
    #expect(
      try Self.checkGeometry(single, of: "scanA") == Self.checkGeometry("\(out)/seed1/scanA_seg.nii.gz", of: "scanA"))
    result = try await run.run(arguments)
    #expect(result.status == 65 && result.output.contains("\(single) exists; pass --force"), "\(result.output)")
    result = try await run.run(arguments + ["--force", "--keep-scans"])
    #expect(result.status == 0, "\(result.output)")
    // Storage deleted every scan it held, except the one kept.
    let datasets = try await run.run(["datasets", "--json"])
    #expect(datasets.output.components(separatedBy: "\"scan-").count == 2, "\(datasets.output)")

    // The round trip through a file: `export --model` writes member 0 of seed 1's final model, and `segment --model`
    // brings it back through storage to the trainers. One member of the two-model ensemble, so its labels need not
    // equal the ensemble's; it must still find the cavities as well as the bar above demands.
    let exported = "\(out)/model/seed1.safetensors"
    try FileManager.default.createDirectory(atPath: "\(out)/model", withIntermediateDirectories: true)
    result = try await run.run([
      "export", "--experiment", "1", "--strategy", "random", "--seed", "1", "--model", exported
    ])
    #expect(result.status == 0, "\(result.output)")
    result = try await run.run([
      "segment", "--model", exported, "--dataset", "cohort", Self.fixtures + "/scans", "-o", "\(out)/from-file"
    ])
    #expect(result.status == 0 && result.output.contains("with \(exported)"), "\(result.output)")
    for scan in Self.scans {
      let labels = try Self.checkGeometry("\(out)/from-file/\(scan)_seg.nii.gz", of: scan)
      let mask = try #require(try NIfTIReader.read(Self.fixtures + "/masks/\(scan).nii.gz").integerLabels())
      #expect(Self.dice(labels, mask) > 0.7, "\(scan) with the exported model: Dice \(Self.dice(labels, mask))")
    }
    result = try await run.run([
      "segment", "--model", exported, "--dataset", "nope", Self.fixtures + "/scans", "-o", "\(out)/unused"
    ])
    #expect(result.status == 66 && result.output.contains("--dataset 'nope' is not in storage"), "\(result.output)")
    result = try await run.run(["segment", "--model", exported, Self.fixtures + "/scans", "-o", "\(out)/unused"])
    #expect(result.status == 64 && result.output.contains("--model needs --dataset"), "\(result.output)")

    // What the command names must exist: exit 66 with the fix.
    for (extra, message) in [
      (["--experiment", "9"], "experiment 9 does not exist"),
      (["--strategy", "ours"], "did not run strategy 'ours'; it ran random"),
      (["--seed", "7"], "did not run seed 7; its seeds are 1, 2")
    ] {
      var named = [
        "segment", "--experiment", "1", "--strategy", "random", "--seed", "1", Self.fixtures + "/scans/scanB.nii.gz",
        "-o", "\(out)/unused.nii.gz"
      ]
      for k in stride(from: 0, to: extra.count, by: 2) { named[named.firstIndex(of: extra[k])! + 1] = extra[k + 1] }
      result = try await run.run(named)
      #expect(result.status == 66 && result.output.contains(message), "\(extra): \(result.output)")
    }
    #expect(!FileManager.default.fileExists(atPath: "\(out)/unused.nii.gz"))
  }

  @Test func whatIsWrongOrDownIsNamedWithItsFix() async throws {
    let run = try LocalRun(portBase: Self.portBase(1))
    try await run.up(trainers: 0)
    try await Self.importCohort(run)
    let out = run.directory.file("out")
    func segment(_ input: String, _ output: String, _ extra: [String] = []) async throws -> (
      status: Int32, output: String, seconds: Double
    ) {
      try await run.run(
        ["segment", "--experiment", "1", "--strategy", "random", "--seed", "1", input, "-o", output] + extra)
    }

    // Refused before any service is asked: a 2D image, and an output that exists.
    var result = try await segment(Self.fixtures + "/not3d.nii.gz", "\(out)/x.nii.gz")
    #expect(
      result.status == 65 && result.output.contains("not3d.nii.gz has shape 20×16") && result.output.contains("3D"),
      "\(result.output)")
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: "\(out)/taken.nii.gz", contents: Data([1]))
    result = try await segment(Self.fixtures + "/scans/scanA.nii.gz", "\(out)/taken.nii.gz")
    #expect(result.status == 65 && result.output.contains("taken.nii.gz exists; pass --force"), "\(result.output)")
    result = try await segment(Self.fixtures + "/scans/scanA.nii.gz", "\(out)/x.txt")
    #expect(result.status == 64 && result.output.contains("must end in .nii.gz or .nii"), "\(result.output)")

    // An experiment that waits for annotators has no final model yet.
    async let waiting = run.run(["experiment", "run", try run.definition(Self.definition(annotators: "people"))])
    let deadline = ContinuousClock.now + .seconds(10)
    while ContinuousClock.now < deadline, !(try await run.run(["experiment", "list"])).output.contains("running") {
      try await Task.sleep(for: .milliseconds(100))
    }
    result = try await segment(Self.fixtures + "/scans/scanA.nii.gz", "\(out)/a.nii.gz")
    #expect(
      result.status == 65
        && result.output.contains("has no final model for random/seed1 yet: 0 of its 2 rounds are done")
        && result.output.contains("activeseg experiment resume 1"), "\(result.output)")
    #expect(try await run.run(["experiment", "cancel", "1"]).status == 0)
    _ = try await waiting

    // A storage or gateway that does not answer is named, within seconds (exit 69).
    let nobody = "tcp://127.0.0.1:\(Self.portBase(1) + 50)"
    for (option, name) in [("--storage", "storage"), ("--gateway", "gateway")] {
      result = try await segment(Self.fixtures + "/scans/scanA.nii.gz", "\(out)/a.nii.gz", [option, nobody])
      #expect(
        result.status == 69 && result.output.contains("\(name) is not replying at \(nobody)") && result.seconds < 10,
        "\(result.output)")
    }
    #expect(!FileManager.default.fileExists(atPath: "\(out)/a.nii.gz"))
  }
}

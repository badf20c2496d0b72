// Group batch sampler (paper Alg. 1 / Fig. 5; code `PatientPhaseSliceBatchSampler`, method spec §3.5): one group
// per anchor slice, batches of groups from distinct patients, everything redrawn per epoch from a seeded RNG.

import Randomness

/// Builds the batches of one epoch. Each batch lists `batchSize` slice indices: groups of G consecutive indices
/// `[anchor, (neighbour), (volume slice), (patient slice)]`, every group from a different patient.
public struct GroupBatchSampler: Sendable {
  public let slices: [SliceKey]
  public let options: GroupSamplerOptions
  public let seed: UInt64
  /// patient → volume → slice indices sorted by position (patients and volumes ascending).
  let hierarchy: [(patient: Int, volumes: [[Int]])]

  public init(slices: [SliceKey], options: GroupSamplerOptions, seed: UInt64) throws {
    let g = options.roles.count
    guard options.batchSize % g == 0, options.batchSize > g else {
      throw MetricLearningError(
        .invalidConfig,
        "batch size \(options.batchSize) must be a multiple of the group size \(g) and larger than it; use e.g. \(3 * g)"
      )
    }
    var byPatient: [Int: [Int: [Int]]] = [:]
    for (i, s) in slices.enumerated() { byPatient[s.patient, default: [:]][s.volume, default: []].append(i) }
    var hierarchy: [(Int, [[Int]])] = []
    for p in byPatient.keys.sorted() {
      let volumes = byPatient[p]!.keys.sorted().map { v in
        byPatient[p]![v]!.sorted { (slices[$0].position, $0) < (slices[$1].position, $1) }
      }
      let needPerVolume = 1 + (options.useNeighbour ? 1 : 0) + (options.useVolume ? 1 : 0)
      if let small = volumes.first(where: { $0.count < needPerVolume }) {
        throw MetricLearningError(
          .groupImpossible,
          "patient \(p) volume \(slices[small[0]].volume) has \(small.count) slice(s) but groups need \(needPerVolume) from one volume; drop that volume or turn off useNeighbour/useVolume"
        )
      }
      if options.usePatient, volumes.reduce(0, { $0 + $1.count }) < g {
        throw MetricLearningError(
          .groupImpossible,
          "patient \(p) has fewer than \(g) slices, too few for a group with a patient partner; drop the patient or turn off usePatient"
        )
      }
      hierarchy.append((p, volumes))
    }
    guard hierarchy.count >= options.batchSize / g else {
      throw MetricLearningError(
        .groupImpossible,
        "\(hierarchy.count) patients cannot fill a batch of \(options.batchSize / g) groups from distinct patients; lower batchSize"
      )
    }
    self.slices = slices
    self.options = options
    self.seed = seed
    self.hierarchy = hierarchy
  }

  /// Group size G.
  public var groupSize: Int { options.roles.count }
  /// The batch layout the losses need.
  public var layout: GroupLayout { GroupLayout(batchSize: options.batchSize, roles: options.roles) }

  /// Step 1: one group per slice, per patient, with fresh random partners.
  public func groups(using rng: inout some RandomNumberGenerator) -> [[[Int]]] {
    hierarchy.map { entry in
      let patientSlices = entry.volumes.flatMap { $0 }
      var out: [[Int]] = []
      for volume in entry.volumes {
        let t = volume.count
        for (i, f) in volume.enumerated() {
          var grp = [f]
          if options.useNeighbour {
            let j = i == 0 ? 1 : i == t - 1 ? t - 2 : i + (Bool.random(using: &rng) ? 1 : -1)
            grp.append(volume[j])
          }
          if options.useVolume { grp.append(drawNew(from: volume, avoiding: grp, using: &rng)) }
          if options.usePatient { grp.append(drawNew(from: patientSlices, avoiding: grp, using: &rng)) }
          out.append(grp)
        }
      }
      return out
    }
  }

  /// The shuffled batches of `epoch` (flat slice indices, `batchSize` each). Same seed and epoch, same batches.
  /// Groups left when fewer than batchSize/G patients still have groups are not used (as in the code).
  public func batches(epoch: Int) -> [[Int]] {
    var rng = SplitMix64(seed: SplitMix64.derive(seed, UInt64(epoch)))
    var remaining = groups(using: &rng)
    let perBatch = options.batchSize / groupSize
    var open = remaining.indices.filter { !remaining[$0].isEmpty }
    var batches: [[Int]] = []
    while open.count >= perBatch {
      var batch: [Int] = []
      var chosen = open
      for k in 0..<perBatch { chosen.swapAt(k, Int.random(in: k..<chosen.count, using: &rng)) }
      for p in chosen.prefix(perBatch) {
        let g = Int.random(in: 0..<remaining[p].count, using: &rng)
        batch += remaining[p].remove(at: g)
      }
      batches.append(batch)
      open = open.filter { !remaining[$0].isEmpty }
    }
    batches.shuffle(using: &rng)
    return batches
  }

  private func drawNew(from pool: [Int], avoiding taken: [Int], using rng: inout some RandomNumberGenerator) -> Int {
    let free = pool.filter { !taken.contains($0) }
    return free[Int.random(in: 0..<free.count, using: &rng)]
  }
}

// Property tests of the group batch sampler (Alg. 1) over seeded random cohorts: group membership, distinct
// patients per batch, anchors used at most once and only leftovers unused, determinism per seed.

import MetricLearning
import Randomness
import Testing

@Suite struct GroupBatchSamplerTests {
  /// A random cohort: `patients` patients with 1–2 volumes of 4–7 slices each, listed in shuffled order.
  static func cohort(seed: UInt64, patients: Int = 7) -> [SliceKey] {
    var rng = SplitMix64(seed: seed)
    var keys: [SliceKey] = []
    for p in 0..<patients {
      for v in 0..<Int.random(in: 1...2, using: &rng) {
        for s in 0..<Int.random(in: 4...7, using: &rng) {
          keys.append(SliceKey(patient: p * 10, volume: v, position: s))
        }
      }
    }
    keys.shuffle(using: &rng)
    return keys
  }

  static let optionSets: [GroupSamplerOptions] = [
    .acdc,
    GroupSamplerOptions(useNeighbour: false, useVolume: true, usePatient: false, batchSize: 8),
    GroupSamplerOptions(useNeighbour: true, useVolume: true, usePatient: true, batchSize: 8),
    GroupSamplerOptions(useNeighbour: true, useVolume: false, usePatient: false, batchSize: 6)
  ]

  @Test(arguments: [UInt64(1), 2, 3], [0, 1, 2, 3])
  func invariants(seed: UInt64, optionIndex: Int) throws {
    let keys = Self.cohort(seed: seed)
    let options = Self.optionSets[optionIndex]
    let sampler = try GroupBatchSampler(slices: keys, options: options, seed: seed)
    let roles = options.roles, g = roles.count
    for epoch in 0..<2 {
      let batches = sampler.batches(epoch: epoch)
      #expect(!batches.isEmpty)
      var anchors: [Int] = []
      for batch in batches {
        #expect(batch.count == options.batchSize)
        let groups = stride(from: 0, to: batch.count, by: g).map { Array(batch[$0..<($0 + g)]) }
        #expect(Set(groups.map { keys[$0[0]].patient }).count == groups.count, "a batch repeats a patient")
        for grp in groups {
          let anchor = keys[grp[0]]
          anchors.append(grp[0])
          #expect(Set(grp).count == g, "group repeats a slice")
          for (member, role) in zip(grp, roles) {
            let k = keys[member]
            #expect(k.patient == anchor.patient)
            switch role {
            case .anchor, .patient: break
            case .volume: #expect(k.volume == anchor.volume)
            case .neighbour: #expect(k.volume == anchor.volume && abs(k.position - anchor.position) == 1)
            }
          }
        }
      }
      #expect(Set(anchors).count == anchors.count, "a slice is an anchor twice in one epoch")
      // every slice is an anchor once, except the groups of the < batch/G patients left at the end
      let unused = Set(keys.indices).subtracting(anchors)
      #expect(Set(unused.map { keys[$0].patient }).count < options.batchSize / g)
    }
    #expect(
      sampler.batches(epoch: 1) == (try GroupBatchSampler(slices: keys, options: options, seed: seed)).batches(epoch: 1)
    )
    #expect(sampler.batches(epoch: 0) != sampler.batches(epoch: 1), "batches are rebuilt every epoch")
  }

  @Test func differentSeedsGiveDifferentBatches() throws {
    let keys = Self.cohort(seed: 4)
    let a = try GroupBatchSampler(slices: keys, options: .acdc, seed: 1).batches(epoch: 0)
    let b = try GroupBatchSampler(slices: keys, options: .acdc, seed: 2).batches(epoch: 0)
    #expect(a != b)
  }

  @Test func rejectsImpossibleGroups() {
    let single = [
      SliceKey(patient: 0, volume: 0, position: 0), SliceKey(patient: 0, volume: 1, position: 0),
      SliceKey(patient: 0, volume: 1, position: 1)
    ]
    #expect(throws: MetricLearningError.self) { try GroupBatchSampler(slices: single, options: .acdc, seed: 0) }
    let badBatch = GroupSamplerOptions(batchSize: 10)
    #expect(throws: MetricLearningError.self) {
      try GroupBatchSampler(slices: Self.cohort(seed: 1), options: badBatch, seed: 0)
    }
  }
}

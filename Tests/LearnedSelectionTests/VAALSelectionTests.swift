// VAAL as a strategy: determinism, the strategy contract, the lowest-D rule, the quirk switch's
// discriminator targets, preference for out-of-distribution slices, and input errors.

import ActiveLearning
import Randomness
import TensorCore
import Testing
import TestSupport
@testable import LearnedSelection

@Suite struct VAALSelectionTests {
  static let configuration = VAALConfiguration(
    channels: [4, 8], latentDimensions: 4, discriminatorWidth: 16,
    iterations: 30, batchSize: 8)

  /// 28 rows: style B at rows ≡ 1 (mod 3) from row 4 on (8 rows); rows 0, 2, 3, 5, 6, 8, … style A.
  static let styleB: Set<Int> = [4, 7, 10, 13, 16, 19, 22, 25]
  static let pixels = ToyPools.pixels(count: 28, styleBRows: styleB, seed: 40)
  static let pool = ToyPools.pool(28)
  /// 12 labeled style-A rows; the unlabeled set is 8 A + 8 B.
  static let labeled = Set((0..<28).filter { !styleB.contains($0) }.prefix(12).map(ToyPools.id))

  @Test func sameSeedSamePicksAndContractHolds() throws {
    ComputeThreads.set(1)  // tiny networks: one thread beats OpenMP wake-ups on a loaded machine
    let strategy = VAALSelection(configuration: Self.configuration)
    let data = SelectionData(pixels: Self.pixels)
    let a = try strategy.select(pool: Self.pool, labeled: Self.labeled, budget: 5, data: data, seed: 7)
    let b = try strategy.select(pool: Self.pool, labeled: Self.labeled, budget: 5, data: data, seed: 7)
    #expect(a.map(\.id) == b.map(\.id))
    #expect(Approx.equal(scores(a), scores(b), rtol: 0, atol: 0))
    #expect(ToyPools.violation(a, pool: Self.pool, labeled: Self.labeled, budget: 5) == nil)
    let all = try strategy.select(pool: Self.pool, labeled: Self.labeled, budget: 100, data: data, seed: 7)
    #expect(ToyPools.violation(all, pool: Self.pool, labeled: Self.labeled, budget: 100) == nil)
  }

  @Test func picksTheLowestDiscriminatorOutputs() throws {
    ComputeThreads.set(1)  // tiny networks: one thread beats OpenMP wake-ups on a loaded machine
    let strategy = VAALSelection(configuration: Self.configuration)
    let data = SelectionData(pixels: Self.pixels)
    let picks = try strategy.select(pool: Self.pool, labeled: Self.labeled, budget: 4, data: data, seed: 11)
    var rng = SplitMix64(seed: 11)
    let model = try strategy.train(pool: Self.pool, labeled: Self.labeled, data: data, using: &rng)
    let unlabeledRows = Self.pool.unlabeledRows(Self.labeled)
    let logits = model.discriminatorLogits(pixels: Self.pixels, rows: unlabeledRows)
    let expected = unlabeledRows.indices.sorted { logits[$0] < logits[$1] }.prefix(4)
    #expect(picks.map(\.id) == expected.map { ToyPools.id(unlabeledRows[$0]) })
    for (pick, index) in zip(picks, expected) {
      #expect(abs(pick.score - (1 - Sigmoid.value(Double(logits[index])))) < 1e-9)
    }
  }

  @Test func lowestFirstRanksByLogitStablyWithNaNLast() {
    let pool = ToyPools.pool(6)
    let picks = VAALSelection.lowestFirst(
      logits: [0.5, -2, .nan, 3, -2, 0], rows: [0, 1, 2, 3, 4, 5], pool: pool, budget: 6)
    #expect(picks.map(\.id) == [1, 4, 5, 0, 3, 2].map(ToyPools.id))
    #expect(abs(picks[0].score - 1 / (1 + _exp(-2))) < 1e-12)
    #expect(
      VAALSelection.lowestFirst(logits: [1, 0], rows: [3, 5], pool: pool, budget: 1).map(\.id) == [ToyPools.id(5)])
  }

  @Test func quirkSwitchSetsTheUnlabeledDiscriminatorTarget() {
    #expect(abs(VAALConfiguration.DiscriminatorTarget.faithful.unlabeledTarget - 1) < 1e-12)
    #expect(VAALConfiguration.DiscriminatorTarget.fixed.unlabeledTarget.isZero)
    #expect(VAALConfiguration().discriminatorUnlabeledTarget == .fixed)
    #expect(VAALConfiguration.paper.discriminatorUnlabeledTarget == .faithful)
    let labeled = Tensor(shape: [2, 1], data: [0.4, -1]), unlabeled = Tensor(shape: [3, 1], data: [2, 0.1, -0.7])
    let faithful = VAALLosses.discriminator(
      labeledLogits: labeled, unlabeledLogits: unlabeled,
      unlabeledTarget: VAALConfiguration.DiscriminatorTarget.faithful.unlabeledTarget)
    let fixed = VAALLosses.discriminator(
      labeledLogits: labeled, unlabeledLogits: unlabeled,
      unlabeledTarget: VAALConfiguration.DiscriminatorTarget.fixed.unlabeledTarget)
    let bceL = BinaryCrossEntropy.withLogits(labeled, target: 1).loss
    #expect(abs(faithful.loss - (bceL + BinaryCrossEntropy.withLogits(unlabeled, target: 1).loss)) < 1e-9)
    #expect(abs(fixed.loss - (bceL + BinaryCrossEntropy.withLogits(unlabeled, target: 0).loss)) < 1e-9)
    // faithful pushes unlabeled logits up (gradient < 0), fixed pushes them down (gradient > 0)
    #expect(faithful.dUnlabeled.data.allSatisfy { $0 < 0 } && fixed.dUnlabeled.data.allSatisfy { $0 > 0 })
    #expect(Approx.equal(faithful.dLabeled.data, fixed.dLabeled.data))
  }

  /// The out-of-distribution check trains the VAE without the adversarial term and with a small KL
  /// weight, and both nets at lr 5e-3. With the published balance (adversary 1, KL summed against a
  /// per-pixel mean MSE) this toy's latent collapses, the discriminator can only learn the batch-norm
  /// statistics of labeled-only vs mixed batches, and the picks flip with the seed (see the report).
  static let outOfDistribution = VAALConfiguration(
    channels: [4, 8], latentDimensions: 4, discriminatorWidth: 16,
    iterations: 150, batchSize: 8, learningRate: 5e-3, adversaryWeight: 0,
    klWeight: 0.01)

  @Test(arguments: [UInt64(1), 2])
  func fixedTargetPrefersOutOfDistributionSlices(seed: UInt64) throws {
    ComputeThreads.set(1)
    let strategy = VAALSelection(configuration: Self.outOfDistribution)
    let picks = try strategy.select(
      pool: Self.pool, labeled: Self.labeled, budget: 8, data: SelectionData(pixels: Self.pixels),
      seed: seed)
    let pickedB = picks.filter { Self.styleB.contains(Self.pool.row(of: $0.id)!) }.count
    #expect(pickedB >= 7, "picked \(pickedB) of 8 style-B slices: \(picks)")
  }

  /// With the adversarial term on, the VAE learns to fool the discriminator: on the same seed and data its
  /// loss over the last 20 iterations stays near chance (two BCE terms at p = 0.5 sum to 2 ln 2 = 1.39), where
  /// without the term the discriminator separates labeled from unlabeled latents. Measured here (2026-12-03,
  /// seeds 1-4): 1.24-1.28 with the adversary, 0.40-0.86 without. The picks of this configuration with the
  /// adversary on are no better than random on this toy (style-B picks over 12 seeds: mean 4.4 of 8, from 0 to
  /// 8), which is why the out-of-distribution check above turns it off.
  @Test(arguments: [UInt64(1), 2])
  func theAdversaryKeepsTheDiscriminatorNearChance(seed: UInt64) throws {
    ComputeThreads.set(1)
    func lateDiscriminatorLoss(adversary: Float) throws -> Double {
      var configuration = Self.outOfDistribution
      configuration.adversaryWeight = adversary
      var rng = SplitMix64(seed: seed)
      let model = try VAALSelection(configuration: configuration).train(
        pool: Self.pool, labeled: Self.labeled, data: SelectionData(pixels: Self.pixels), using: &rng)
      return model.discriminatorLosses.suffix(20).reduce(0, +) / 20
    }
    let fooled = try lateDiscriminatorLoss(adversary: 1), separated = try lateDiscriminatorLoss(adversary: 0)
    #expect(fooled > 1.0 && fooled > separated + 0.3, "late D loss \(fooled) with the adversary, \(separated) without")
  }

  @Test func faithfulTargetTeachesTheDiscriminatorThatEverythingIsLabeled() throws {
    ComputeThreads.set(1)
    var quirk = Self.configuration
    quirk.iterations = 60
    quirk.discriminatorUnlabeledTarget = .faithful
    var rng = SplitMix64(seed: 3)
    let model = try VAALSelection(configuration: quirk).train(
      pool: Self.pool, labeled: Self.labeled,
      data: SelectionData(pixels: Self.pixels), using: &rng)
    let logits = model.discriminatorLogits(pixels: Self.pixels, rows: Self.pool.unlabeledRows(Self.labeled))
    #expect(logits.allSatisfy { Sigmoid.value($0) > 0.5 }, "faithful D should call everything labeled: \(logits)")
  }

  @Test func trainingLowersTheDiscriminatorLoss() throws {
    ComputeThreads.set(1)  // tiny networks: one thread beats OpenMP wake-ups on a loaded machine
    var rng = SplitMix64(seed: 5)
    var longer = Self.configuration
    longer.iterations = 60
    let model = try VAALSelection(configuration: longer).train(
      pool: Self.pool, labeled: Self.labeled,
      data: SelectionData(pixels: Self.pixels), using: &rng)
    #expect(model.discriminatorLosses.count == 60 && model.vaeLosses.count == 60)
    let first = model.discriminatorLosses.prefix(5).reduce(0, +),
      last = model.discriminatorLosses.suffix(5).reduce(0, +)
    #expect(last < first)
  }

  @Test func iterationFormulaFollowsTheSpec() {
    #expect(VAALConfiguration().trainingIterations(poolSize: 1454) == 50 * 1454 / 128)
    #expect(VAALConfiguration(iterations: 7).trainingIterations(poolSize: 1454) == 7)
    #expect(VAALConfiguration().trainingIterations(poolSize: 1) == 1)
  }

  @Test func roundZeroIsASeededRandomSplit() throws {
    let strategy = VAALSelection(configuration: Self.configuration)
    let data = SelectionData(pixels: Self.pixels)
    let a = try strategy.select(pool: Self.pool, labeled: [], budget: 6, data: data, seed: 9)
    let b = try strategy.select(pool: Self.pool, labeled: [], budget: 6, data: data, seed: 9)
    #expect(a.map(\.id) == b.map(\.id))
    #expect(ToyPools.violation(a, pool: Self.pool, labeled: [], budget: 6) == nil)
    #expect(try strategy.select(pool: Self.pool, labeled: Self.labeled, budget: 0, data: data, seed: 9).isEmpty)
  }

  @Test func inputErrorsNameTheProblem() {
    let strategy = VAALSelection(configuration: Self.configuration)
    let pool = Self.pool
    #expect(throws: SelectionError.self) {
      try strategy.select(pool: pool, labeled: [], budget: -1, data: SelectionData(pixels: Self.pixels), seed: 1)
    }
    do {
      _ = try strategy.select(pool: pool, labeled: Self.labeled, budget: 2, data: SelectionData(), seed: 1)
      Issue.record("missing pixels did not throw")
    } catch {
      #expect(error.code == .missingData && error.message.contains("pixels"))
    }
    let wrongRows = ToyPools.features(rows: 27, columns: 64, seed: 1)
    #expect(
      throws: SelectionError(
        code: .shapeMismatch,
        message:
          "SelectionData.pixels has 27 rows but the pool has 28 slices; pass one row per pool slice in pool order")
    ) {
      try strategy.select(pool: pool, labeled: Self.labeled, budget: 2, data: SelectionData(pixels: wrongRows), seed: 1)
    }
    let notSquare = ToyPools.features(rows: 28, columns: 60, seed: 1)
    do {
      _ = try strategy.select(
        pool: pool, labeled: Self.labeled, budget: 2, data: SelectionData(pixels: notSquare), seed: 1)
      Issue.record("non-square slices did not throw")
    } catch {
      #expect(error.code == .shapeMismatch && error.message.contains("square"))
    }
    let tooDeep = VAALSelection(configuration: VAALConfiguration(channels: [2, 2, 2, 2]))  // needs side % 16 == 0
    do {
      _ = try tooDeep.select(
        pool: pool, labeled: Self.labeled, budget: 2, data: SelectionData(pixels: Self.pixels), seed: 1)
      Issue.record("side 8 with 4 levels did not throw")
    } catch {
      #expect(error.code == .shapeMismatch && error.message.contains("divisible by 16"))
    }
  }
}

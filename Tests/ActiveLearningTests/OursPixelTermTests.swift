// The fixed "ours" pixel term (issue #12 item 7) on the phantom cohort, which ships scribbles:
// the pixel/embedding balance holds at 64² and 256², a center without annotation gets a pixel
// term on the scale of its true scribble's, and the faithful switch keeps the published form.

import Imaging
import Randomness
import Testing
@testable import ActiveLearning

/// Phantom slices of one size: intensities, true scribbles and fixed random unit embeddings.
struct PhantomPool {
  let side: Int
  let pixels: FeatureMatrix
  let scribbles: [UInt8]  // (slices, pixels), the oracle's scribbles
  let embeddings: FeatureMatrix
  var count: Int { pixels.rows }

  /// Every slice of `patients` phantom patients (ED and ES) at `side`², embeddings seeded by slice index.
  init(side: Int, patients: Int = 3, dims: Int = 128, seed: UInt64 = 11) {
    let cohort = PhantomCohort(
      parameters: PhantomParameters(
        patients: patients, minSlices: 6, maxSlices: 8,
        height: side, width: side, seed: seed))
    let volumes = cohort.allVolumes()
    let n = volumes.reduce(0) { $0 + $1.depth }
    self.side = side
    // Per volume: clip at the 99th percentile and scale to [0, 1], as import does.
    pixels = FeatureMatrix(
      rows: n, columns: side * side,
      values: volumes.flatMap { IntensityNormalization.normalize($0.image, kind: .float32) })
    scribbles = volumes.flatMap(\.scribble)
    var rng = SplitMix64(seed: seed)
    var vectors: [Float] = []
    for _ in 0..<n {
      let v = (0..<dims).map { _ in Float(rng.next() >> 40) / Float(1 << 24) - 0.5 }
      let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
      vectors += v.map { $0 / norm }
    }
    embeddings = FeatureMatrix(rows: n, columns: dims, values: vectors)
  }

  /// Masks showing the true scribbles of `annotated` slices only.
  func masks(annotated: Set<Int>) -> ScribbleMasks {
    let p = side * side
    var labels = [UInt8](repeating: 4, count: scribbles.count)
    for s in annotated { labels.replaceSubrange((s * p)..<((s + 1) * p), with: scribbles[(s * p)..<((s + 1) * p)]) }
    return ScribbleMasks(slices: count, pixels: p, labels: labels)
  }

  func metric(annotated: Set<Int>, _ configuration: OursDistanceConfiguration = .init()) -> OursMetric {
    OursMetric(
      pixels: pixels, embeddings: embeddings, scribbles: masks(annotated: annotated), configuration: configuration)
  }
}

extension OursMetric {
  /// (pixel term, embedding term) of `d(candidate, center)`.
  func terms(_ candidate: Int, to center: Center) -> (pixel: Double, embedding: Double) {
    let e = zip(embeddings.row(candidate), embeddings.row(center.index)).reduce(Float(0)) {
      $0 + ($1.0 - $1.1) * ($1.0 - $1.1)
    }
    let embedding = Double(embeddingWeight * e.squareRoot())
    return (Double(distance(candidate, to: center)) - embedding, embedding)
  }

  /// Mean pixel and embedding terms over every candidate against each of `centers`.
  func meanTerms(centers: [Int]) -> (pixel: Double, embedding: Double) {
    var pixel = 0.0, embedding = 0.0
    for c in centers {
      let center = prepareCenter(c)
      for x in 0..<count where x != c {
        let t = terms(x, to: center)
        pixel += t.pixel
        embedding += t.embedding
      }
    }
    let pairs = Double(centers.count * (count - 1))
    return (pixel / pairs, embedding / pairs)
  }
}

@Suite(.serialized) struct OursPixelTermTests {
  static let small = PhantomPool(side: 64)
  static let large = PhantomPool(side: 256)

  @Test func phantomScribblesGrowWithTheSide() {
    // Scribbles are curves: pixels per unit of side stay put, near `scribblePixelsPerSide`.
    for pool in [Self.small, Self.large] {
      let mean = pool.masks(annotated: Set(0..<pool.count)).meanScribbleSize()!
      let perSide = mean / Double(pool.side)
      print("phantom \(pool.side)²: mean scribble \(mean) pixels, \(perSide) per side")
      #expect(abs(perSide / OursDistanceConfiguration.scribblePixelsPerSide - 1) < 0.25)
    }
  }

  @Test func pixelWeightFollowsTheArea() {
    let c = OursDistanceConfiguration()
    #expect(c.resolvedPixelWeight(pixels: 65536, dims: 512) == 1500)
    #expect(isClose(Double(c.resolvedPixelWeight(pixels: 4096, dims: 512)), 1500 / 8, rtol: 1e-4))
    #expect(
      isClose(
        Double(c.resolvedPixelWeight(pixels: 16384, dims: 512)), 1500 * 0.25.squareRoot().squareRoot() * 0.5, rtol: 1e-4
      ))
    // 128-d (the cpu encoder) at 64²: r = 3, so 1500 · (1/16)^(1/4) · √3/√12 = 375.
    #expect(isClose(Double(c.resolvedPixelWeight(pixels: 4096, dims: 128)), 375, rtol: 1e-4))
    #expect(OursDistanceConfiguration.faithful.resolvedPixelWeight(pixels: 4096, dims: 128) == 1500)
  }

  /// mean(pixel term)/mean(embedding term) with every slice annotated by its true scribble.
  static func balance(_ pool: PhantomPool, _ configuration: OursDistanceConfiguration) -> (
    pixel: Double, embedding: Double
  ) {
    let m = pool.metric(annotated: Set(0..<pool.count), configuration)
    return m.meanTerms(centers: Array(stride(from: 0, to: pool.count, by: 3)))
  }

  @Test func pixelEmbeddingBalanceIsTheSameAt64And256() {
    // Tolerance 25 %: the rule is exact up to the floor in r (√3 vs √3.2 at 64², 3 %) and up to how far
    // scribble size per side and the RMS intensity difference drift with resolution (measured below).
    let fixed64 = Self.balance(Self.small, .init()), fixed256 = Self.balance(Self.large, .init())
    let faithful64 = Self.balance(Self.small, .faithful), faithful256 = Self.balance(Self.large, .faithful)
    print(
      "fixed    64²: pixel \(fixed64.pixel) embedding \(fixed64.embedding); 256²: pixel \(fixed256.pixel) embedding \(fixed256.embedding)"
    )
    print(
      "faithful 64²: pixel \(faithful64.pixel) embedding \(faithful64.embedding); 256²: pixel \(faithful256.pixel) embedding \(faithful256.embedding)"
    )
    let ratio64 = fixed64.pixel / fixed64.embedding, ratio256 = fixed256.pixel / fixed256.embedding
    #expect(abs(ratio64 / ratio256 - 1) < 0.25, "fixed: \(ratio64) at 64² vs \(ratio256) at 256²")
    let before64 = faithful64.pixel / faithful64.embedding, before256 = faithful256.pixel / faithful256.embedding
    #expect(before64 / before256 > 4, "the unscaled pos_wt tilts the balance towards pixels at 64²")
  }

  @Test func balanceAt256With512DimsIsThePublishedOne() {
    // At the published setting the fixed term is the published term, so the ratio is the published one.
    let pool = PhantomPool(side: 256, patients: 1, dims: 512)
    let fixed = pool.metric(annotated: Set(0..<pool.count)),
      faithful = pool.metric(annotated: Set(0..<pool.count), .faithful)
    #expect(fixed.pixelWeight == 1500 && isClose(Double(fixed.embeddingWeight), 12.0.squareRoot()))
    let a = fixed.meanTerms(centers: [0, 3]), b = faithful.meanTerms(centers: [0, 3])
    #expect(isClose(a.pixel / a.embedding, b.pixel / b.embedding, rtol: 1e-5))
  }

  @Test(arguments: [64, 256])
  func unannotatedCenterTermIsOnTheScaleOfItsScribble(side: Int) {
    // Half the slices annotated; each other slice as a center without annotation (the lattice) vs the
    // same center with its true scribble revealed. Stated factor: mean over candidates within 5× for
    // every center, and between 1/3 and 1 on average. The lattice's RMS over the whole slice runs
    // below the RMS over a scribble (measured 0.21–1.14, mean ≈ 0.72, at 64² and 256²): scribbles
    // sit on the heart and the ring around it, where slices differ most; the lowest ratios are empty
    // base and apex slices, whose scribbles are background only. Faithful gives 0.
    let pool = side == 64 ? Self.small : Self.large
    let annotated = Set(stride(from: 0, to: pool.count, by: 2))
    let hidden = pool.metric(annotated: annotated), revealed = pool.metric(annotated: Set(0..<pool.count))
    let faithful = pool.metric(annotated: annotated, .faithful)
    var ratios: [Double] = []
    for c in stride(from: 1, to: pool.count, by: 4) {
      let h = hidden.prepareCenter(c), r = revealed.prepareCenter(c), f = faithful.prepareCenter(c)
      var sumHidden = 0.0, sumRevealed = 0.0, sumFaithful = 0.0
      for x in 0..<pool.count where x != c {
        sumHidden += hidden.terms(x, to: h).pixel
        sumRevealed += revealed.terms(x, to: r).pixel
        sumFaithful += faithful.terms(x, to: f).pixel
      }
      ratios.append(sumHidden / sumRevealed)
      #expect(sumFaithful < 1e-3 * sumRevealed, "faithful: a center without annotation has pixel term 0")
    }
    print("\(side)²: unannotated/true-scribble pixel term ratios \(ratios.map { ($0 * 100).rounded() / 100 })")
    #expect(ratios.allSatisfy { $0 > 0.2 && $0 < 5 })
    let mean = ratios.reduce(0, +) / Double(ratios.count)
    #expect(mean > 1.0 / 3 && mean < 1)
  }

  @Test func roundZeroUsesTheExpectedScribbleSize() {
    let pool = Self.small
    let m = pool.metric(annotated: [])
    #expect(m.unannotatedMask.count == OursDistanceConfiguration.expectedScribblePixels(pixels: 64 * 64))
    let withSome = pool.metric(annotated: [0, 1, 2])
    let mean = pool.masks(annotated: [0, 1, 2]).meanScribbleSize()!
    #expect(abs(Double(withSome.unannotatedMask.count) - mean) <= 2)
  }

  @Test func fastPathMatchesTheReferenceForUnannotatedCenters() {
    let pool = PhantomPool(side: 32, patients: 1)
    let m = pool.metric(annotated: [0, 2, 4])
    for c in [1, 3, 5] {
      let center = m.prepareCenter(c)
      for x in 0..<pool.count {
        #expect(
          isClose(Double(m.distance(x, to: center)), Double(m.referenceDistance(x, to: c)), rtol: 1e-4, atol: 1e-4))
      }
    }
    var a = SplitMix64(seed: 3), b = SplitMix64(seed: 3)
    #expect(
      KCenterGreedy.select(metric: m, labeled: [0, 2, 4], budget: 6, using: &a)
        == KCenterGreedy.selectNaive(metric: m, labeled: [0, 2, 4], budget: 6, using: &b))
  }
}

// Properties of the phantom cohort: determinism, slice counts, class fractions, ED/ES and apex-to-base
// changes, scribble coverage and agreement with the mask, and that intensity alone cannot segment it.

import Testing
@testable import Imaging
import Randomness

@Suite struct PhantomCohortTests {
  static let parameters = PhantomParameters(patients: 6, minSlices: 8, maxSlices: 12, height: 64, width: 64, seed: 11)
  static let volumes = PhantomCohort(parameters: parameters).allVolumes()

  @Test func sameSeedSameCohortOtherSeedDifferent() {
    let again = PhantomCohort(parameters: Self.parameters).volume(patient: 2, phase: .es)
    let original = Self.volumes.first { $0.patientIndex == 2 && $0.phase == .es }!
    #expect(again.image == original.image)
    #expect(again.label == original.label)
    #expect(again.scribble == original.scribble)
    var other = Self.parameters
    other.seed = 12
    let different = PhantomCohort(parameters: other).volume(patient: 2, phase: .es)
    #expect(different.label != original.label || different.image != original.image)
  }

  @Test func sliceCountsInRangeAndSharedByPhases() {
    for v in Self.volumes {
      #expect((8...12).contains(v.depth))
      #expect(v.image.count == v.depth * 64 * 64 && v.label.count == v.image.count && v.scribble.count == v.image.count)
    }
    for p in 0..<Self.parameters.patients {
      let pair = Self.volumes.filter { $0.patientIndex == p }
      #expect(pair.count == 2 && pair[0].depth == pair[1].depth)
    }
    #expect(Set(Self.volumes.map(\.depth)).count > 1, "slice counts should vary between patients")
  }

  @Test func classFractionsArePlausible() {
    let f = LabelStatistics.fractions(Self.volumes.flatMap(\.label), classCount: 4)
    #expect(f[0] > 0.80 && f[0] < 0.99, "background \(f[0])")
    for c in 1...3 { #expect(f[c] > 0.002 && f[c] < 0.08, "class \(c): \(f[c])") }
    #expect(Self.volumes.allSatisfy { $0.label.allSatisfy { $0 <= 3 } })
  }

  @Test func endSystoleIsSmallerThanEndDiastole() {
    var smaller = 0
    var edTotal = 0, esTotal = 0
    for p in 0..<Self.parameters.patients {
      let ed = Self.volumes.first { $0.patientIndex == p && $0.phase == .ed }!
      let es = Self.volumes.first { $0.patientIndex == p && $0.phase == .es }!
      let a = LabelStatistics.counts(ed.label, classCount: 4)[3], b = LabelStatistics.counts(es.label, classCount: 4)[3]
      edTotal += a
      esTotal += b
      if b < a { smaller += 1 }
    }
    #expect(esTotal < edTotal * 9 / 10)
    #expect(smaller == Self.parameters.patients)
  }

  @Test func structuresShrinkTowardTheApex() {
    // Compared between the first and last slices that show the heart (the stack overshoots base and apex).
    var baseLV = 0, apexLV = 0, apexWithoutRV = 0
    for v in Self.volumes {
      let lv = (0..<v.depth).map { z in v.labelSlice(z).filter { $0 == 3 }.count }
      let myo = (0..<v.depth).map { z in v.labelSlice(z).filter { $0 == 2 }.count }
      let heart = (0..<v.depth).filter { lv[$0] > 0 }
      let base = try! #require(heart.first), apex = (0..<v.depth).last { lv[$0] + myo[$0] > 0 }!
      baseLV += lv[base]
      apexLV += lv[apex]
      #expect(lv[base] + myo[base] > lv[apex] + myo[apex])
      if !v.labelSlice(apex).contains(1) { apexWithoutRV += 1 }
    }
    #expect(apexLV * 2 < baseLV)
    #expect(apexWithoutRV > 0, "the RV should vanish at the apex of some volumes")
  }

  @Test func scribblesAreThinSparseAndAgreeWithTheMask() {
    for v in Self.volumes {
      let fraction = LabelStatistics.annotatedFraction(v.scribble)
      #expect(fraction > 0.003 && fraction < 0.10, "\(v.patientID) \(v.phase): \(fraction)")
      for (s, l) in zip(v.scribble, v.label) where s != CardiacLabel.ignore { #expect(s == l) }
      #expect(v.scribble.allSatisfy { $0 <= 4 })
      // Every structure with a real area gets scribbled somewhere in the volume; background too.
      let present = Set(v.label), scribbled = Set(v.scribble)
      for c in present where LabelStatistics.counts(v.label, classCount: 4)[Int(c)] > 40 {
        #expect(scribbled.contains(c))
      }
    }
  }

  @Test func scribbleCurveIsThinInsideADisc() {
    // A disc of radius 10 (class 3) in a 40×40 slice: its scribble is a partial 1-px ring well inside.
    var label = [UInt8](repeating: 0, count: 1600)
    for y in 0..<40 { for x in 0..<40 where (x - 20) * (x - 20) + (y - 20) * (y - 20) < 100 { label[y * 40 + x] = 3 } }
    var rng = SplitMix64(seed: 5)
    let s = ScribbleGenerator.scribble(label: label, height: 40, width: 40, rng: &rng)
    let curve = (0..<1600).filter { s[$0] == 3 }
    let dist = ScribbleGenerator.cityBlockDistance(label.map { $0 == 3 }, height: 40, width: 40)
    #expect(curve.count > 8 && curve.count < 60)
    #expect(Set(curve.map { dist[$0] }).count == 1, "one level set: a 1-px curve")
    #expect(curve.allSatisfy { dist[$0] >= 3 }, "inside, away from the border")
    #expect((0..<1600).contains { s[$0] == 0 })
  }

  @Test func intensityAloneCannotSegmentTheLeftVentricle() {
    // Best global threshold on normalised images: LV Dice must stay far from perfect (clutter, RV, bias, noise).
    // Histograms of normalised intensity (100 bins) inside and outside the LV, then Dice of "value > t".
    var inLV = [Int](repeating: 0, count: 100), outLV = [Int](repeating: 0, count: 100)
    for v in Self.volumes {
      let image = IntensityNormalization.normalize(v.image, kind: .float32)
      for i in 0..<image.count {
        let bin = min(99, Int(image[i] * 100))
        if v.label[i] == 3 { inLV[bin] += 1 } else { outLV[bin] += 1 }
      }
    }
    let totalLV = inLV.reduce(0, +)
    var best = 0.0
    for t in 5..<95 {
      let tp = inLV[t...].reduce(0, +), fp = outLV[t...].reduce(0, +), fn = totalLV - tp
      best = max(best, 2 * Double(tp) / Double(2 * tp + fp + fn))
    }
    #expect(best < 0.6, "a threshold reaches LV Dice \(best)")
  }

  @Test func supports256AndNoiseLevel() {
    let p = PhantomParameters(
      patients: 1, minSlices: 2, maxSlices: 2, height: 256, width: 256, seed: 1, noiseLevel: 0.0)
    let v = PhantomCohort(parameters: p).volume(patient: 0, phase: .ed)
    #expect(v.depth == 2 && v.image.count == 2 * 256 * 256)
    let f = LabelStatistics.fractions(v.label, classCount: 4)
    #expect(f[3] > 0.002)
    var noisy = p
    noisy.noiseLevel = 0.2
    let w = PhantomCohort(parameters: noisy).volume(patient: 0, phase: .ed)
    #expect(w.label == v.label)
    // Noise raises the spread of the air in the top-left 8×8 corner (smooth there without noise).
    func spread(_ x: PhantomVolume) -> Double {
      let values = (0..<8).flatMap { y in (0..<8).map { Double(x.image[y * 256 + $0]) } }
      let m = values.reduce(0, +) / Double(values.count)
      return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count)).squareRoot()
    }
    #expect(spread(w) > spread(v) * 5 + 1)
    #expect(PhantomCohort.patientID(6) == "phantom007")
  }
}

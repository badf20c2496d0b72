// How the phantom cohort's patients differ, as ACDC's do: pathology groups change ventricle sizes, wall
// thickness and contraction; scanners change spacing; stacks overshoot base and apex; distractor organs vary.

import Foundation
import Testing
@testable import Imaging

@Suite struct PhantomDiversityTests {
  /// The size of the default demo cohort.
  static let parameters = PhantomParameters(patients: 100, height: 64, width: 64, seed: 3)
  static let cohort = PhantomCohort(parameters: parameters)
  /// Per patient: group, ED and ES volumes.
  static let volumes: [(ed: PhantomVolume, es: PhantomVolume)] = (0..<100).map {
    (cohort.volume(patient: $0, phase: .ed), cohort.volume(patient: $0, phase: .es))
  }

  static func count(_ v: PhantomVolume, _ c: UInt8) -> Double { Double(v.label.lazy.filter { $0 == c }.count) }

  /// Mean of `value` over the patients of each group.
  static func meanByGroup(_ value: ((ed: PhantomVolume, es: PhantomVolume)) -> Double) -> [PhantomGroup: Double] {
    Dictionary(grouping: volumes, by: \.ed.group).mapValues { vs in vs.map(value).reduce(0, +) / Double(vs.count) }
  }

  /// Mean myocardial thickness (pixels) of the middle heart slice at ED: ring area over mean circumference.
  static func midThickness(_ v: PhantomVolume) -> Double {
    let heart = (0..<v.depth).filter { z in v.labelSlice(z).contains(3) }
    let mid = v.labelSlice(heart[heart.count / 2])
    let lv = Double(mid.filter { $0 == 3 }.count), myo = Double(mid.filter { $0 == 2 }.count)
    return ((lv + myo) / .pi).squareRoot() - (lv / .pi).squareRoot()
  }

  @Test func everyGroupIsPresentInRoughlyEqualShares() {
    let shares = Dictionary(grouping: Self.volumes, by: \.ed.group).mapValues(\.count)
    #expect(Set(shares.keys) == Set(PhantomGroup.allCases))
    #expect(shares.values.allSatisfy { $0 == 20 }, "\(shares)")
    let consistent = Self.volumes.allSatisfy {
      $0.ed.group == $0.es.group && $0.ed.group == Self.cohort.group(patient: $0.ed.patientIndex)
    }
    #expect(consistent)
  }

  @Test func groupsDifferAsInACDC() {
    let lvED = Self.meanByGroup { Self.count($0.ed, 3) }
    let (dcm, nor, hcm) = (lvED[.dilated]!, lvED[.normal]!, lvED[.hypertrophic]!)
    #expect(dcm > nor && nor > hcm, "\(lvED)")
    let thickness = Self.meanByGroup { Self.midThickness($0.ed) }
    let (thickHCM, thickNOR, thickDCM) = (thickness[.hypertrophic]!, thickness[.normal]!, thickness[.dilated]!)
    #expect(thickHCM > thickNOR && thickNOR > thickDCM, "\(thickness)")
    let rv = Self.meanByGroup { Self.count($0.ed, 1) }
    let largestRV = rv.max { $0.value < $1.value }!.key
    #expect(largestRV == .abnormalRV, "\(rv)")
    // Ejection (LV area change ED → ES): HCM strongest, NOR next, MINF reduced, DCM poorest.
    let ejection = Self.meanByGroup { 1 - Self.count($0.es, 3) / Self.count($0.ed, 3) }
    let order: [PhantomGroup] = [.hypertrophic, .normal, .infarction, .dilated]
    let decreasing = zip(order, order.dropFirst()).allSatisfy { ejection[$0.0]! > ejection[$0.1]! }
    #expect(decreasing, "\(ejection)")
  }

  @Test func infarctionThinsOneSectorOfTheWall() {
    // Within a MINF patient's mid slice, the myocardium's thinnest angular sector is much thinner than its median.
    func sectorRatio(_ v: PhantomVolume) -> Double {
      let heart = (0..<v.depth).filter { z in v.labelSlice(z).contains(3) }
      let mid = Array(v.labelSlice(heart[heart.count * 2 / 3]))
      var cx = 0.0, cy = 0.0, n = 0.0
      for i in 0..<mid.count where mid[i] == 3 { cx += Double(i % v.width); cy += Double(i / v.width); n += 1 }
      cx /= n; cy /= n
      var sectors = [Double](repeating: 0, count: 8)
      for i in 0..<mid.count where mid[i] == 2 {
        let a = atan2(Double(i / v.width) - cy, Double(i % v.width) - cx) + .pi
        sectors[min(7, Int(a / (2 * .pi) * 8))] += 1
      }
      let sorted = sectors.sorted()
      return sorted[0] / max(sorted[4], 1)
    }
    let minf = Self.volumes.filter { $0.ed.group == .infarction }.map { sectorRatio($0.ed) }
    let normal = Self.volumes.filter { $0.ed.group == .normal }.map { sectorRatio($0.ed) }
    let minfMean: Double = minf.reduce(0, +) / Double(minf.count)
    let normalMean: Double = normal.reduce(0, +) / Double(normal.count)
    #expect(minfMean < 0.85 * normalMean, "\(minf) \(normal)")
  }

  @Test func scannersRecordTheirSpacingAndChangeTheApparentScale() {
    let names = Set(Self.volumes.map(\.ed.scanner))
    #expect(names.count == PhantomScanner.profiles.count)
    for (ed, es) in Self.volumes {
      let profile = PhantomScanner.profiles.first { $0.name == ed.scanner }!
      let inPlane = abs(ed.spacing.0 - profile.pixelSpacing(size: 64)) < 1e-9 && ed.spacing.0 == ed.spacing.1
      let sameForES = es.spacing.0 == ed.spacing.0 && es.spacing.2 == ed.spacing.2
      #expect(inPlane && ed.spacing.2 == profile.sliceSpacing && sameForES)
    }
    let spacings = Self.volumes.map(\.ed.spacing.0)
    #expect(spacings.max()! / spacings.min()! > 1.3, "apparent scale should vary by about ±20 %")
  }

  @Test func sliceCountsAreRealisticAndTotalEnoughForTheDemo() {
    let depths = Self.volumes.map(\.ed.depth)
    #expect(depths.allSatisfy { (6...18).contains($0) })
    #expect(Double(depths.filter { (8...12).contains($0) }.count) > 0.6 * Double(depths.count))
    #expect(Set(depths).count >= 6)
    // 100 patients × ED/ES: a 70 % train split must hold at least 1,000 slices.
    #expect(2 * depths.reduce(0, +) >= 1_400, "\(2 * depths.reduce(0, +)) slices")
  }

  @Test func stacksOvershootBaseAndApex() {
    for (ed, es) in Self.volumes {
      for v in [ed, es] {
        let foreground = (0..<v.depth).map { z in v.labelSlice(z).filter { $0 != 0 }.count }
        // Below the apex: no heart at all. Above the base: nothing, or a sliver of myocardium only.
        #expect(foreground[v.depth - 1] == 0, "\(v.patientID) \(v.phase) \(foreground)")
        #expect(!v.labelSlice(0).contains(1) && !v.labelSlice(0).contains(3))
        #expect(Double(foreground[0]) < 0.3 * Double(foreground.max()!))
      }
    }
    // Scribbles of an empty slice are background only.
    for (ed, _) in Self.volumes.prefix(10) {
      let n = ed.height * ed.width, z = ed.depth - 1
      let s = ed.scribble[(z * n)..<((z + 1) * n)]
      #expect(s.allSatisfy { $0 == 0 || $0 == CardiacLabel.ignore } && s.contains(0))
    }
  }

  @Test func distractorOrgansAppearInSomePatientsOnly() {
    let d = (0..<Self.parameters.patients).map { Self.cohort.anatomy($0).distractors }
    let shares = [
      d.filter { $0.aorta != nil }.count, d.filter { $0.liver != nil }.count,
      d.filter { $0.stomach != nil }.count, d.filter { $0.effusionWidth > 0 }.count
    ]
    #expect(shares.allSatisfy { $0 > 5 && $0 < 95 }, "\(shares)")
    // A bright unlabelled vessel: the aorta's pixels are as bright as the blood pool, and not labelled.
    let p = try! #require(d.firstIndex { $0.aorta != nil })
    let v = Self.volumes[p].ed
    let z = v.depth / 2, n = v.height * v.width
    let image = IntensityNormalization.normalize(v.image, kind: .float32)
    var lv = 0.0, lvCount = 0.0, brightOutside = 0
    for i in 0..<n {
      if v.label[z * n + i] == 3 { lv += Double(image[z * n + i]); lvCount += 1 }
    }
    for i in 0..<n where v.label[z * n + i] == 0 && Double(image[z * n + i]) > 0.7 * lv / lvCount { brightOutside += 1 }
    #expect(brightOutside > 5, "blood-bright background pixels: \(brightOutside)")
  }

  @Test func generationIsDeterministicAndFast() {
    let start = Date()
    let again = PhantomCohort(parameters: Self.parameters)
    for p in [0, 37, 99] {
      let v = again.volume(patient: p, phase: .es)
      let original = Self.volumes[p].es
      #expect(v.image == original.image)
      #expect(v.label == original.label && v.scribble == original.scribble)
    }
    let big = PhantomCohort(parameters: PhantomParameters(patients: 2, height: 256, width: 256, seed: 3))
    _ = big.volume(patient: 1, phase: .ed)
    let seconds = Date().timeIntervalSince(start)
    // Release: ~0.02 s per 64² volume and ~0.2 s per 256² volume; debug builds are ~20× slower. The bound only
    // catches a pathological slowdown.
    #expect(seconds < 60, "\(seconds) s")
  }
}

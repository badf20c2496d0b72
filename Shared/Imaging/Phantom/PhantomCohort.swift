// The phantom cohort generator: seeded, deterministic cardiac-MRI-like short-axis volumes (ED and ES per
// patient) with full masks and scribbles. Patients differ as in ACDC: pathology group, scanner, heart pose and
// size, slice count, and which organs surround the heart. Each volume is generated independently, so callers
// can stream them.
import Randomness

/// Generates the built-in phantom dataset.
public struct PhantomCohort: Sendable {
  /// The generator settings.
  public let parameters: PhantomParameters

  /// A cohort for `parameters`.
  public init(parameters: PhantomParameters = PhantomParameters()) {
    precondition(
      parameters.problems.isEmpty, "PhantomCohort: invalid parameters: \(parameters.problems.joined(separator: "; "))")
    self.parameters = parameters
  }

  /// Patient ids in order (`phantom001`, `phantom002`, …).
  public var patientIDs: [String] { (0..<parameters.patients).map(Self.patientID) }

  /// The id of patient `index` (zero-based).
  public static func patientID(_ index: Int) -> String {
    let digits = String(index + 1)
    return "phantom" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
  }

  /// Number of slices of patient `index` (the same for ED and ES).
  public func sliceCount(patient index: Int) -> Int { anatomy(index).slices }

  /// The pathology group of patient `index`.
  public func group(patient index: Int) -> PhantomGroup { PhantomGroup.assigned(patient: index, seed: parameters.seed) }

  /// The scanner profile patient `index` was imaged on.
  public func scanner(patient index: Int) -> PhantomScanner {
    var rng = SplitMix64(seed: SplitMix64.derive(parameters.seed, 5, UInt64(index)))
    return PhantomScanner.profiles[Int(rng.next() % UInt64(PhantomScanner.profiles.count))]
  }

  /// Generates one volume; the result depends only on the parameters, the patient and the phase.
  public func volume(patient index: Int, phase: CardiacPhase) -> PhantomVolume {
    precondition(index >= 0 && index < parameters.patients, "PhantomCohort has no patient \(index)")
    let anatomy = anatomy(index)
    let renderer = PhantomRenderer(anatomy: anatomy, parameters: parameters, phase: phase)
    var imageRNG = SplitMix64(seed: SplitMix64.derive(parameters.seed, 2, UInt64(index), phase == .ed ? 0 : 1))
    var scribbleRNG = SplitMix64(seed: SplitMix64.derive(parameters.seed, 3, UInt64(index), phase == .ed ? 0 : 1))
    let n = parameters.height * parameters.width
    var image = [Float](), label = [UInt8](), scribble = [UInt8]()
    image.reserveCapacity(anatomy.slices * n)
    label.reserveCapacity(anatomy.slices * n)
    scribble.reserveCapacity(anatomy.slices * n)
    for z in 0..<anatomy.slices {
      let mask = renderer.label(slice: z)
      label += mask
      image += renderer.image(slice: z, label: mask, rng: &imageRNG)
      scribble += ScribbleGenerator.scribble(
        label: mask, height: parameters.height, width: parameters.width,
        rng: &scribbleRNG)
    }
    return PhantomVolume(
      patientIndex: index, patientID: Self.patientID(index), phase: phase, group: anatomy.group,
      scanner: anatomy.scanner.name, depth: anatomy.slices, height: parameters.height, width: parameters.width,
      image: image, label: label, scribble: scribble,
      spacing: (anatomy.pixelSpacing, anatomy.pixelSpacing, anatomy.scanner.sliceSpacing))
  }

  /// All volumes, patient by patient, ED before ES. Prefer `volume(patient:phase:)` for large cohorts.
  public func allVolumes() -> [PhantomVolume] {
    (0..<parameters.patients).flatMap { p in CardiacPhase.allCases.map { volume(patient: p, phase: $0) } }
  }

  /// The random anatomy of patient `index` (internal: tests inspect it).
  func anatomy(_ index: Int) -> PhantomAnatomy {
    var rng = SplitMix64(seed: SplitMix64.derive(parameters.seed, 1, UInt64(index)))
    return PhantomAnatomy(
      rng: &rng, parameters: parameters, group: group(patient: index), scanner: scanner(patient: index))
  }
}

// A tiny deterministic dataset for the store tests: 3 patients (train, val, test), 2 volumes each
// (ED, ES), depth 3, 4×5 slices, 4 classes, with full masks and scribbles.

import Persistence

enum TinyDataset {
  static let height = 4, width = 5, depth = 3
  static let plane = height * width

  static func header(name: String = "tiny") -> DatasetHeader {
    DatasetHeader(
      name: name, format: "synthetic", classNames: ["bg", "rv", "myo", "lv"],
      sliceHeight: height, sliceWidth: width, sourcePath: "/nowhere/tiny")
  }

  static let patients = [
    PatientInput(key: "p0", split: .train, infoJSON: #"{"group":"NOR"}"#),
    PatientInput(key: "p1", split: .val),
    PatientInput(key: "p2", split: .test)
  ]

  /// Image value of volume `v`, slice `z`, pixel `i`: unique per (v, z, i).
  static func pixel(_ v: Int, _ z: Int, _ i: Int) -> Float { Float(v * 1000 + z * 100 + i) / 10 }

  /// Label value of volume `v`, slice `z`, pixel `i`.
  static func label(_ v: Int, _ z: Int, _ i: Int) -> UInt8 { UInt8((v + z + i) % 4) }

  static func volume(_ v: Int, withLabels: Bool = true) -> VolumeInput {
    let patient = v / 2
    var image: [Float] = [], label: [UInt8] = [], scribble: [UInt8] = []
    for z in 0..<depth {
      for i in 0..<plane {
        image.append(pixel(v, z, i))
        label.append(self.label(v, z, i))
        scribble.append(i % 3 == 0 ? self.label(v, z, i) : AnnotationKind.ignoreValue)
      }
    }
    return VolumeInput(
      patientKey: "p\(patient)", key: "p\(patient)_\(v % 2 == 0 ? "ED" : "ES")",
      phase: v % 2 == 0 ? "ED" : "ES", depth: depth, originalHeight: 8, originalWidth: 10,
      spacing: [1.25, 1.25, 10], image: image, label: withLabels ? label : nil,
      scribble: withLabels ? scribble : nil)
  }

  static var volumes: [VolumeInput] { (0..<6).map { volume($0) } }

  /// A `next()` closure over a fixed list of volumes.
  static func stream(_ volumes: [VolumeInput]) -> () throws -> VolumeInput? {
    var iterator = volumes.makeIterator()
    return { iterator.next() }
  }

  /// A fresh temporary store holding the tiny dataset.
  static func store(withLabels: Bool = true) throws -> (Store, DatasetInfo) {
    let store = try Store.temporary()
    let info = try store.importDataset(
      header(), patients: patients,
      volumes: stream((0..<6).map { volume($0, withLabels: withLabels) }),
      actor: "test")
    return (store, info)
  }
}

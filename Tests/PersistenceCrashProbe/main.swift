// persistence-crash-probe: imports a synthetic dataset slowly so a test can SIGKILL it mid-transaction.
// Usage: persistence-crash-probe DB_PATH VOLUMES DELAY_MS
// Prints STARTED once inside the import transaction, PROGRESS n after each volume, DONE at the end.

import Foundation
import Persistence

/// Writes a line to stdout unbuffered, so the parent sees it before a kill.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let arguments = CommandLine.arguments
guard arguments.count == 4, let volumeCount = Int(arguments[2]), let delayMs = Int(arguments[3]) else {
  FileHandle.standardError.write(Data("usage: persistence-crash-probe DB_PATH VOLUMES DELAY_MS\n".utf8))
  exit(2)
}

let (height, width, depth) = (64, 64, 8)
let patientCount = max(1, volumeCount / 2)
let header = DatasetHeader(
  name: "crash-probe", format: "synthetic", classNames: ["bg", "rv", "myo", "lv"],
  sliceHeight: height, sliceWidth: width, sourcePath: "persistence-crash-probe")
let patients = (0..<patientCount).map { PatientInput(key: "p\($0)", split: $0 % 5 == 0 ? .test : .train) }

var produced = 0
do {
  let store = try Store(path: arguments[1])
  try store.importDataset(
    header, patients: patients,
    volumes: {
      if produced == 0 { say("STARTED") } else { say("PROGRESS \(produced)") }
      if produced == volumeCount { return nil }
      if delayMs > 0 { usleep(UInt32(delayMs) * 1000) }
      let v = produced
      produced += 1
      let plane = height * width
      let image = (0..<depth * plane).map { Float(($0 + v) % 251) / 251 }
      let label = (0..<depth * plane).map { UInt8(($0 / 7 + v) % 4) }
      return VolumeInput(
        patientKey: "p\(v % patientCount)", key: "v\(v)", phase: v % 2 == 0 ? "ED" : "ES",
        depth: depth, originalHeight: 2 * height, originalWidth: 2 * width, spacing: [1.5, 1.5, 10],
        image: image, label: label)
    }, actor: "crash-probe")
  say("DONE")
} catch {
  FileHandle.standardError.write(Data("persistence-crash-probe: \(error)\n".utf8))
  exit(1)
}

// The store under resource faults, on a small tmpfs the test mounts (as root, as CI runs): a full disk during an
// import and during label writes gives a clear diskFull error, loses nothing committed and leaves nothing half
// written, and the same calls succeed once space returns; a read-only file system is refused when the store opens.
import Foundation
import Glibc
import Persistence
import Testing
import TestSupport

@Suite(.serialized, .enabled(if: SmallFileSystem.available, "mounting a tmpfs needs root"))
struct DiskFaultTests {
  @Test func aFullDiskFailsImportsAndLabelsCleanlyAndRecovers() throws {
    let disk = try SmallFileSystem(megabytes: 12)
    defer { disk.unmount() }
    let store = try Store(path: disk.path + "/db.sqlite")
    let first = try store.importDataset(
      TinyDataset.header(name: "first"), patients: TinyDataset.patients,
      volumes: TinyDataset.stream(TinyDataset.volumes), actor: "test")
    let slices = try store.slices(datasetId: first.id)
    let labeled = slices[0].id
    let pixels = [UInt8](repeating: 1, count: TinyDataset.plane)
    try store.putAnnotation(
      sliceId: labeled, kind: .full, annotator: "ann", pixels: pixels, costSeconds: 30, actor: "test")
    let before = try store.rowCounts()
    try store.checkpoint()  // the log keeps no spare room: the next write needs fresh disk space
    let filler = disk.fill()

    let importError = #expect(throws: StoreError.self) {
      try store.importDataset(
        TinyDataset.header(name: "second"), patients: TinyDataset.patients,
        volumes: TinyDataset.stream(TinyDataset.volumes), actor: "test")
    }
    #expect(importError?.code == .diskFull, "\(String(describing: importError))")
    #expect(
      importError?.message.contains("disk holding the database is full") == true
        && importError?.message.contains("free space") == true, "\(String(describing: importError))")
    let labelError = #expect(throws: StoreError.self) {
      try store.putAnnotation(
        sliceId: slices[1].id, kind: .full, annotator: "ann", pixels: pixels, costSeconds: 30, actor: "test")
    }
    #expect(labelError?.code == .diskFull, "\(String(describing: labelError))")

    // Nothing committed was lost and nothing half-written stayed.
    #expect(try store.rowCounts() == before)
    #expect(try store.datasets().map(\.name) == ["first"])
    #expect(try store.latestAnnotations(sliceIds: [labeled])[labeled]?.pixels == pixels)
    #expect(try store.integrityCheck() == ["ok"])

    // Space returns: the same writes go through.
    try FileManager.default.removeItem(atPath: filler)
    let second = try store.importDataset(
      TinyDataset.header(name: "second"), patients: TinyDataset.patients,
      volumes: TinyDataset.stream(TinyDataset.volumes), actor: "test")
    try store.putAnnotation(
      sliceId: slices[1].id, kind: .full, annotator: "ann", pixels: pixels, costSeconds: 30, actor: "test")
    #expect(try store.slices(datasetId: second.id).count == slices.count)
    #expect(try store.latestAnnotations(sliceIds: [slices[1].id]).count == 1)
    #expect(try store.integrityCheck() == ["ok"])
  }

  @Test func aReadOnlyDatabaseIsRefusedWhenItOpens() throws {
    let disk = try SmallFileSystem(megabytes: 8)
    defer { disk.unmount() }
    let path = disk.path + "/db.sqlite"
    do {
      let store = try Store(path: path)
      _ = try store.importDataset(
        TinyDataset.header(), patients: TinyDataset.patients,
        volumes: TinyDataset.stream(TinyDataset.volumes), actor: "test")
    }
    try disk.remount(readOnly: true)
    let error = #expect(throws: StoreError.self) { _ = try Store(path: path) }
    #expect(error?.code == .readOnly, "\(String(describing: error))")
    #expect(
      error?.message.contains(path) == true && error?.message.contains("read-only file system") == true
        && error?.message.contains("remount it read-write") == true, "\(String(describing: error))")
    try disk.remount(readOnly: false)
    #expect(try Store(path: path).datasets().count == 1, "the data is all there once it is writable again")
  }
}

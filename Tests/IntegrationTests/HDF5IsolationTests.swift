// libhdf5 1.10 crashes (SIGSEGV, a NULL read) on some damaged files that pass every check the reader can make
// first; hdf5_libhdf5_segv.h5 is slice.h5 with one byte changed, found by mutating FuzzHDF5's corpus. The
// storage service reads HDF5 in a child process (HDF5ChildReader), so such a file fails its import with an error
// naming it while the service keeps serving and the database holds nothing of the import.
import DatasetFormats
import Foundation
import Glibc
import Launcher
import Protos
import ServiceKit
import Testing
import TestSupport

@Suite struct HDF5IsolationTests {
  static let fixtures = repositoryRoot + "/Tests/DatasetFormatsTests/Fixtures/"
  static let crashing = fixtures + "fuzz/hdf5_libhdf5_segv.h5"
  static let names = ["image", "label", "scribble"]

  @Test func theChildReaderReadsWhatLibhdf5ReadsAndOutlivesAFileThatCrashesIt() throws {
    let reader = HDF5ChildReader(executable: ServiceProcess.binDirectory() + "/activeseg-storage")
    let good = Self.fixtures + "wsl4mis/ACDC_training_slices/patient001_frame01_slice_0.h5"
    let expected = try InProcessHDF5().read(good, datasets: Self.names)
    let read = try reader.read(good, datasets: Self.names)
    #expect(read.keys.sorted() == Self.names.sorted())
    for name in Self.names {
      #expect(read[name]?.shape == expected[name]?.shape && read[name]?.values == expected[name]?.values, "\(name)")
    }
    #expect(try reader.shape(good, dataset: "image") == expected["image"]?.shape)
    #expect(try reader.shape(good, dataset: "absent") == nil)
    // The child's errors arrive with their code and message.
    let missing = #expect(throws: DatasetError.self) { try reader.read("/nonexistent/x.h5", datasets: Self.names) }
    #expect(missing?.code == .missingFile && missing?.message.contains("/nonexistent/x.h5 does not exist") == true)

    let crashed = #expect(throws: DatasetError.self) { try reader.read(Self.crashing, datasets: Self.names) }
    #expect(crashed?.code == .hdf5)
    #expect(crashed?.message.contains("libhdf5 crashed reading \(Self.crashing)") == true, "\(crashed!)")
    #expect(crashed?.message.contains("signal 11") == true, "\(crashed!)")
    // The next request gets a new child.
    #expect(try reader.read(good, datasets: ["image"])["image"]?.values == expected["image"]?.values)
  }

  @Test func aFileThatCrashesLibhdf5FailsItsImportAndNotTheStorageService() async throws {
    let storage = try StorageUnderTest()
    defer { storage.stop() }
    // The WSL4MIS fixture with one training slice replaced by the crashing file.
    let folder = storage.directory.file("wsl4mis")
    try FileManager.default.copyItem(atPath: Self.fixtures + "wsl4mis", toPath: folder)
    let victim = folder + "/ACDC_training_slices/patient001_frame12_slice_1.h5"
    try FileManager.default.removeItem(atPath: victim)
    try FileManager.default.copyItem(atPath: Self.crashing, toPath: victim)
    var request = Activeseg_V1_ImportRequest()
    request.format = "wsl4mis"
    request.path = folder
    request.name = "damaged"
    request.sliceSize = 16
    let pid = storage.process.pid
    await expectError(.invalidArgument, containing: "libhdf5 crashed reading \(victim)") {
      let _: Activeseg_V1_ImportReply = try await storage.call("Import", request)
    }
    #expect(kill(pid, 0) == 0 && waitpid(pid, nil, WNOHANG) == 0, "the storage service is still running")
    let listed: Activeseg_V1_ListDatasetsReply = try await storage.call(
      "ListDatasets", Activeseg_V1_ListDatasetsRequest())
    #expect(listed.datasets.isEmpty, "the failed import left nothing behind")
    // The same service imports the intact folder.
    request.path = Self.fixtures + "wsl4mis"
    request.name = "intact"
    let reply: Activeseg_V1_ImportReply = try await storage.call("Import", request)
    #expect(reply.dataset.volumes > 0)
    storage.directory.remove()
  }
}

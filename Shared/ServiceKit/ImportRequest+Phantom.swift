// The one way to ask storage for a built-in phantom cohort, for tests, benchmarks and tools.
import Protos

extension Activeseg_V1_ImportRequest {
  /// Import `patients` phantom patients (ED and ES volumes of `minSlices`…`maxSlices` slices, `size`×`size`) as `name`.
  public static func phantom(
    name: String, patients: Int32, size: Int32, minSlices: Int32 = 4, maxSlices: Int32 = 5,
    seed: UInt64 = 3
  ) -> Self {
    var request = Self()
    request.format = "phantom"
    request.name = name
    request.seed = seed
    request.phantom.patients = patients
    request.phantom.size = size
    request.phantom.minSlices = minSlices
    request.phantom.maxSlices = maxSlices
    return request
  }
}

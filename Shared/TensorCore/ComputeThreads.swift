// The thread count used by the compute libraries (oneDNN via OpenMP, OpenBLAS via its pthreads pool).

import CDNNL
import COpenBLAS
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Controls how many threads oneDNN and OpenBLAS use. The default is every core of the machine.
public enum ComputeThreads {
  /// Number of online cores.
  public static var available: Int {
    #if canImport(Glibc)
      return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
      return 1
    #endif
  }

  private static let configured = Atomic<Int>(0)

  /// The thread count last set with `set(_:)`, or every core.
  public static var current: Int {
    let n = configured.load(ordering: .relaxed)
    return n > 0 ? n : available
  }

  /// Sets the thread count for OpenBLAS (process-wide), for the Swift kernels (`Parallel`, process-wide) and for
  /// oneDNN's OpenMP parallel regions started from the calling thread (OpenMP keeps this setting per thread, so
  /// call it on the thread that trains). On a loaded machine, run with `OMP_WAIT_POLICY=PASSIVE` so idle OpenMP
  /// workers sleep instead of spinning against the Swift kernels.
  public static func set(_ count: Int) {
    precondition(count >= 1, "thread count must be at least 1, got \(count)")
    configured.store(count, ordering: .relaxed)
    openblas_set_num_threads(Int32(count))
    _ = cdnnl_set_omp_threads(Int32(count))
  }
}

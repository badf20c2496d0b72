// Process-wide malloc tuning for training: keep large freed buffers in the heap instead of returning them to
// the kernel, so each step's multi-megabyte activations do not page-fault afresh.

#if canImport(Glibc)
  import Glibc
#endif

/// glibc allocator settings for long training runs.
public enum Allocator {
  /// Serves large arrays from the heap (no mmap per allocation) and never trims freed memory back to the
  /// kernel. Costs resident memory equal to the peak working set; call once at start-up of a trainer.
  public static func retainLargeBuffers() {
    #if canImport(Glibc)
      // mallopt is declared in <malloc.h>, which Glibc's module does not export: look it up at run time.
      typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
      _ = mallopt(-3, 1 << 30)  // M_MMAP_THRESHOLD
      _ = mallopt(-1, Int32.max)  // M_TRIM_THRESHOLD
    #endif
  }
}

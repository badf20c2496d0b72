// exp and log on Double without Foundation (the module stays stdlib + libc only).

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Double {
  /// e^self.
  @inline(__always)
  func exp() -> Double {
    #if canImport(Glibc)
      Glibc.exp(self)
    #else
      Darwin.exp(self)
    #endif
  }

  /// Natural logarithm of self.
  @inline(__always)
  func log() -> Double {
    #if canImport(Glibc)
      Glibc.log(self)
    #else
      Darwin.log(self)
    #endif
  }
}

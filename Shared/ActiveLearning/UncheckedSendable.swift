// A box for values the compiler cannot prove Sendable (raw buffers shared with parallel chunks).
// Used only where each chunk touches a disjoint part of the buffer.

/// Wraps a value the compiler cannot prove Sendable; used only for data each chunk touches disjointly.
struct UncheckedSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}

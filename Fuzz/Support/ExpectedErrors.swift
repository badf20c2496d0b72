// The oracle shared by targets whose code has one error type: refusing an input with it is clean, with anything
// else (an error that names neither the thing nor the fix) it is a finding.
/// Runs `body`; an `Expected` error is a clean refusal, any other error traps.
public func expectOnly<Expected: Error>(_ expected: Expected.Type, _ body: () throws -> Void) {
  do {
    try body()
  } catch is Expected {
  } catch {
    fatalError("threw \(type(of: error)), not a \(Expected.self): \(error)")
  }
}

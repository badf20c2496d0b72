// Polls a condition until it holds or time runs out: for effects that cross processes or sockets.
import Foundation

/// Returns true as soon as `condition` holds, false when `timeout` passes first.
public func eventually(
  timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(50),
  _ condition: () async throws -> Bool
) async rethrows -> Bool {
  let deadline = ContinuousClock.now + timeout
  while ContinuousClock.now < deadline {
    if try await condition() { return true }
    try? await Task.sleep(for: interval)
  }
  return try await condition()
}

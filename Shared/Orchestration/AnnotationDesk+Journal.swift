// The desk's writes to its lease journal: one write per experiment at a time, always of its newest leases, so a
// slow write never lands after (and undoes) a newer one; each caller returns once its grant, or a later state
// that includes it, is saved.
extension AnnotationDesk {
  /// Saves `experiment`'s live leases as of now; throws the journal's error (the leases stay granted in memory,
  /// and asking again renews and saves them).
  func save(_ experiment: Int64) async throws {
    guard let journal else { return }
    var version = versions[experiment, default: (0, 0)]
    version.current += 1
    versions[experiment] = version
    let wanted = version.current
    guard !saving.contains(experiment) else {
      return try await withCheckedThrowingContinuation { saveWaiters[experiment, default: []].append((wanted, $0)) }
    }
    saving.insert(experiment)
    defer { saving.remove(experiment) }
    do {
      while let version = versions[experiment], version.saved < version.current {
        try await journal.saveLeases(liveLeases(experiment), experiment: experiment)
        versions[experiment]?.saved = version.current
        resumeSaveWaiters(experiment, upTo: version.current, failing: nil)
      }
    } catch {
      resumeSaveWaiters(experiment, upTo: .max, failing: error)
      throw error
    }
  }

  /// Resumes the callers waiting for a version up to `version` of `experiment`'s leases (with `error` if given).
  private func resumeSaveWaiters(_ experiment: Int64, upTo version: Int, failing error: (any Error)?) {
    var waiting = saveWaiters[experiment] ?? []
    let ready = waiting.filter { $0.version <= version }
    waiting.removeAll { $0.version <= version }
    saveWaiters[experiment] = waiting.isEmpty ? nil : waiting
    for waiter in ready {
      if let error { waiter.continuation.resume(throwing: error) } else { waiter.continuation.resume() }
    }
  }
}

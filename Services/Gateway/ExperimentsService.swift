// The gateway's experiments as a part of its service group: at start it resumes the experiments that were
// running when the last gateway stopped; at shutdown it cancels every experiment task (their rounds waiting
// for workers or for people end at once) and waits for them, so nothing outlives the group. The experiments
// stay "running" in storage and the next gateway resumes them.
import Logging
import Orchestration
import ServiceLifecycle

struct ExperimentsService: Service {
  let experiments: ExperimentHandlers
  let desk: AnnotationDesk
  let logger: Logger

  func run() async throws {
    await cancelWhenGracefulShutdown { await experiments.resumeInterrupted() }
    try? await gracefulShutdown()
    let waiting = await desk.waiting
    let cancelled = await experiments.book.cancelAll()
    logger.info("shutdown: cancelled \(cancelled) experiment task(s), released \(waiting) annotation wait(s)")
  }
}

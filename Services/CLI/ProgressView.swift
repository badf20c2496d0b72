// Live progress of an experiment from the gateway's events: round steps as lines, and the training jobs
// as a progress bar redrawn in place on a terminal, or otherwise as a plain line every `plainInterval`.
import Foundation
import Messaging

final class ProgressView {
  let terminal: Bool
  /// Seconds between plain training lines (output that is not a terminal: logs, CI).
  let plainInterval: Duration
  /// The running training jobs, by job id, with their last event.
  private var jobs: [String: ProgressEvent] = [:]
  private var lastPlain = ContinuousClock.now
  private var barShown = false

  init(terminal: Bool = isatty(STDOUT_FILENO) != 0, plainInterval: Duration = .seconds(30)) {
    self.terminal = terminal
    self.plainInterval = plainInterval
  }

  func show(_ event: ProgressEvent) {
    if event.kind == "train" && event.totalIterations > 0 {
      train(event)
    } else if !event.message.isEmpty {
      clearBar()
      say("  \(event.message)")
      drawBar()
    }
  }

  private func train(_ event: ProgressEvent) {
    let key = event.jobID
    if event.iteration >= event.totalIterations { jobs[key] = nil } else { jobs[key] = event }
    if terminal {
      drawBar()
      return
    }
    guard ContinuousClock.now - lastPlain >= plainInterval, jobs[key] != nil else { return }
    lastPlain = ContinuousClock.now
    let others = jobs.count > 1 ? " (+\(jobs.count - 1) more jobs)" : ""
    say("  training\(event.message.isEmpty ? "" : " " + event.message): \(Self.describe(event))\(others)")
  }

  /// `[#####-----] 50% it 200/400 loss 0.412 best Dice 0.61 ETA 0:35` (the first running job, plus a count).
  static func describe(_ event: ProgressEvent, bar width: Int = 0) -> String {
    let fraction = Double(event.iteration) / Double(max(1, event.totalIterations))
    var text = ""
    if width > 0 {
      let filled = Int((fraction * Double(width)).rounded())
      text += "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
    }
    text += String(
      format: "%3.0f%% it %lld/%lld loss %.3f", fraction * 100, event.iteration, event.totalIterations, event.loss)
    if event.bestDice > 0 { text += String(format: " best Dice %.2f", event.bestDice) }
    if event.etaSeconds > 0 {
      text += String(format: " ETA %d:%02d", Int(event.etaSeconds) / 60, Int(event.etaSeconds) % 60)
    }
    return text
  }

  private func drawBar() {
    guard terminal else { return }
    guard let first = jobs.values.sorted(by: { $0.jobID < $1.jobID }).first else { return clearBar() }
    let others = jobs.count > 1 ? " (+\(jobs.count - 1) more jobs)" : ""
    print(
      "\r\u{1B}[2K  training\(first.message.isEmpty ? "" : " " + first.message): \(Self.describe(first, bar: 24))\(others)",
      terminator: "")
    fflush(nil)
    barShown = true
  }

  private func clearBar() {
    guard terminal, barShown else { return }
    print("\r\u{1B}[2K", terminator: "")
    barShown = false
  }
}

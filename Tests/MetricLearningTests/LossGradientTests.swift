// Finite-difference checks of every contrastive loss's gradient w.r.t. the projections.

import MetricLearning
import TensorCore
import TestSupport
import Testing

@Suite struct LossGradientTests {
  enum Kind: String, CaseIterable { case ntXent, negative, allOthers, volume, patient, total }

  static let layout = GroupLayout(batchSize: 8, roles: [.anchor, .neighbour, .volume, .patient])

  static func evaluate(_ kind: Kind, _ z: Tensor) -> (loss: Double, dz: Tensor) {
    switch kind {
    case .ntXent: return ContrastiveLoss.ntXent(z, temperature: 0.5)
    case .negative: return ContrastiveLoss.groupNegative(z, layout: layout, temperature: 0.5)
    case .allOthers:
      return ContrastiveLoss.groupPositive(
        z, layout: layout, excludedRoles: [.patient], form: .allOthers, temperature: 0.5)
    case .volume:
      return ContrastiveLoss.groupPositive(
        z, layout: layout, excludedRoles: [.patient, .neighbour], form: .groupOnly,
        temperature: 0.5)
    case .patient:
      return ContrastiveLoss.groupPositive(z, layout: layout, excludedRoles: [], form: .groupOnly, temperature: 0.5)
    case .total:
      let config = ContrastiveLossConfig(groupNegativeWeight: 0.2)
      let r = ContrastiveLoss.total(z, layout: layout, config: config)
      return (r.loss, r.dz)
    }
  }

  // z: (16, 6) = 2 views × 8 slices in 2 groups of 4
  @Test(arguments: Kind.allCases)
  func finiteDifferences(_ kind: Kind) {
    let z = Tensor.random([16, 6], seed: 7)
    let analytic = Self.evaluate(kind, z).dz
    let worst = GradientCheck.worstRatio(
      analytic: analytic, { Self.evaluate(kind, $0).loss }, at: z, eps: 1e-3,
      rtol: 1e-2, atol: 1e-4, maxChecks: 96)
    #expect(worst <= 1, "\(kind): worst ratio \(worst)")
  }

  @Test func scaleInvariant() {
    // cosine similarity: scaling a row leaves every loss unchanged
    var z = Tensor.random([16, 6], seed: 3)
    let before = Self.evaluate(.total, z).loss
    for c in 0..<6 { z.data[2 * 6 + c] *= 3 }
    #expect(abs(Self.evaluate(.total, z).loss - before) < 1e-9)
  }
}

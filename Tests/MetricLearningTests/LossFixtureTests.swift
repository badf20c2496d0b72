// Contrastive losses against PyTorch autograd on a fixed batch of 6 slices in groups [anchor, volume, patient].

import MetricLearning
import TensorCore
import TestSupport
import Testing

@Suite struct LossFixtureTests {
  let fx: LossFixtures
  let layout: GroupLayout

  init() throws {
    fx = try Fixture.load("losses.json")
    layout = GroupLayout(batchSize: fx.batch_size, roles: fx.roles.map { GroupRole(rawValue: $0)! })
  }

  func check(_ result: (loss: Double, dz: Tensor), _ expected: LossCase) {
    #expect(
      abs(result.loss - expected.loss) <= 1e-5 * max(1, abs(expected.loss)), "loss \(result.loss) vs \(expected.loss)")
    #expect(result.dz.shape == expected.grad.shape)
    #expect(Approx.worstRatio(result.dz.data, expected.grad.data, rtol: 1e-4, atol: 1e-6) <= 1)
  }

  @Test func ntXent() {
    check(ContrastiveLoss.ntXent(fx.z.tensor, temperature: fx.temperature), fx.ntxent)
  }

  @Test func groupNegative() {
    check(ContrastiveLoss.groupNegative(fx.z.tensor, layout: layout, temperature: fx.temperature), fx.neg)
  }

  @Test func groupPositiveAllOthersIgnoresMask() {
    for mask in [[], [GroupRole.patient]] {
      check(
        ContrastiveLoss.groupPositive(
          fx.z.tensor, layout: layout, excludedRoles: mask, form: .allOthers,
          temperature: fx.temperature), fx.pos_all_others)
    }
  }

  @Test func groupPositiveGroupOnly() {
    check(
      ContrastiveLoss.groupPositive(
        fx.z.tensor, layout: layout, excludedRoles: [.patient], form: .groupOnly,
        temperature: fx.temperature), fx.pos_volume)
    check(
      ContrastiveLoss.groupPositive(
        fx.z.tensor, layout: layout, excludedRoles: [], form: .groupOnly,
        temperature: fx.temperature), fx.pos_patient)
  }

  @Test func weightedTotals() {
    let paper = ContrastiveLoss.total(fx.z.tensor, layout: layout, config: .acdcPaper)
    check((paper.loss, paper.dz), fx.total_paper)
    #expect(paper.terms.keys.sorted() == ["ntxent", "pos0", "pos1"])
    let code = ContrastiveLoss.total(fx.z.tensor, layout: layout, config: .acdcPublishedCode)
    check((code.loss, code.dz), fx.total_code)
  }
}

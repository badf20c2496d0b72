// Which contrastive terms are summed and with what weights (method spec §3.6); defaults = the paper's best
// ACDC configuration: NT-Xent 1, volume 0.35, patient 0.05, τ = 0.5.

/// How a group-positive loss chooses its positives and denominator.
public enum GroupPositiveForm: String, Codable, Sendable {
  /// The paper's Eq. 4: positives are the (unmasked) group members, the denominator is the positives plus the
  /// slices outside the group.
  case groupOnly
  /// The published code (`NT_Xent_Group_Pos`): every other row is a positive, each against the slices outside the
  /// group; `excludedRoles` has no effect, as in the code.
  case allOthers
}

/// One group-positive term: its weight and the roles dropped from the positives (`[.patient]` for the volume loss).
public struct GroupPositiveTerm: Codable, Sendable, Hashable {
  public var weight: Float
  public var excludedRoles: [GroupRole]

  public init(weight: Float, excludedRoles: [GroupRole]) {
    self.weight = weight
    self.excludedRoles = excludedRoles
  }
}

/// Weights and forms of the total loss `L = w·L_ntx + w_neg·L_neg + Σ w_k·L_pos_k`.
public struct ContrastiveLossConfig: Codable, Sendable, Hashable {
  public var temperature: Float
  public var ntXentWeight: Float
  /// 0 leaves the group-negative term out.
  public var groupNegativeWeight: Float
  public var positiveTerms: [GroupPositiveTerm]
  public var positiveForm: GroupPositiveForm

  public init(
    temperature: Float = 0.5, ntXentWeight: Float = 1, groupNegativeWeight: Float = 0,
    positiveTerms: [GroupPositiveTerm] = ContrastiveLossConfig.acdcPositiveTerms,
    positiveForm: GroupPositiveForm = .groupOnly
  ) {
    self.temperature = temperature
    self.ntXentWeight = ntXentWeight
    self.groupNegativeWeight = groupNegativeWeight
    self.positiveTerms = positiveTerms
    self.positiveForm = positiveForm
  }

  /// Volume loss 0.35 (patient slice masked) and patient loss 0.05 (no mask): the ACDC "ours" yml.
  public static let acdcPositiveTerms = [
    GroupPositiveTerm(weight: 0.35, excludedRoles: [.patient]),
    GroupPositiveTerm(weight: 0.05, excludedRoles: [])
  ]
  /// The paper's best ACDC setting (λ0, λ_patient, λ_volume) = (1, 0.05, 0.35), Eq. 4 positives.
  public static let acdcPaper = ContrastiveLossConfig()
  /// The same weights with the published code's positive sets.
  public static let acdcPublishedCode = ContrastiveLossConfig(positiveForm: .allOthers)
}

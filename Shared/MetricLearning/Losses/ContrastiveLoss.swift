// NT-Xent, group-negative and group-positive losses on projections z = [z_i; z_j] (method spec §3.6), forward
// and backward. Every term is a mean of −log(e^{S_ap} / Σ_k m_k e^{S_ak}) over (anchor a, positive p) pairs,
// with S_ab = cos(z_a, z_b)/τ and a multiplicity m_k per denominator row; one kernel does them all.

import TensorCore

/// Contrastive losses. z: (2B, D), rows 0..<B are view i, rows B..<2B view j of the same slices.
public enum ContrastiveLoss {
  public typealias Result = (loss: Double, dz: Tensor)

  /// SimCLR NT-Xent (Chen et al. 2020; code `NT_Xent`): positive a′, every other row a negative; mean over 2B rows.
  public static func ntXent(_ z: Tensor, temperature: Float) -> Result {
    let n = z.shape[0], b = n / 2
    return pairLoss(z, temperature: temperature) { a in
      let p = (a + b) % n
      var m = [Double](repeating: 1, count: n)
      m[a] = 0
      return [(p, m)]
    }
  }

  /// NT-Xent whose negatives exclude all group members (code `NT_Xent_Group_Neg`); mean over 2B rows.
  public static func groupNegative(_ z: Tensor, layout: GroupLayout, temperature: Float) -> Result {
    let n = layout.rows
    precondition(z.shape[0] == n, "z has \(z.shape[0]) rows, the layout \(n)")
    return pairLoss(z, temperature: temperature) { a in
      let p = layout.partner(ofRow: a), g = layout.group(ofRow: a)
      var m = (0..<n).map { layout.group(ofRow: $0) == g ? 0.0 : 1.0 }
      m[p] += 1
      return [(p, m)]
    }
  }

  /// Group-positive loss (code `NT_Xent_Group_Pos` as `.allOthers`, paper Eq. 4 as `.groupOnly`).
  ///
  /// `.groupOnly`: Pos(a) = the other view of a, plus the group members (both views) when neither a nor k has an
  /// excluded role; each positive p is scored against Pos(a) ∪ (rows outside the group); mean over all pairs.
  /// `.allOthers`: every k ≠ a is a positive, scored against {k} ∪ (rows outside the group); mean over 2B(2B−1).
  public static func groupPositive(
    _ z: Tensor, layout: GroupLayout, excludedRoles: [GroupRole],
    form: GroupPositiveForm, temperature: Float
  ) -> Result {
    let n = layout.rows
    precondition(z.shape[0] == n, "z has \(z.shape[0]) rows, the layout \(n)")
    let excluded = Set(excludedRoles)
    return pairLoss(z, temperature: temperature) { a in
      let g = layout.group(ofRow: a)
      let outside = (0..<n).map { layout.group(ofRow: $0) == g ? 0.0 : 1.0 }
      switch form {
      case .allOthers:
        return (0..<n).filter { $0 != a }.map { p in
          var m = outside
          m[p] += 1
          return (p, m)
        }
      case .groupOnly:
        let aIn = !excluded.contains(layout.role(ofRow: a))
        let positives = (0..<n).filter { k in
          k != a && layout.group(ofRow: k) == g
            && (k == layout.partner(ofRow: a) || (aIn && !excluded.contains(layout.role(ofRow: k))))
        }
        var m = outside
        for k in positives { m[k] += 1 }
        return positives.map { ($0, m) }
      }
    }
  }

  /// The weighted total of `config` and each term's unweighted value (keys "ntxent", "neg", "pos0", "pos1", …).
  public static func total(_ z: Tensor, layout: GroupLayout, config: ContrastiveLossConfig)
    -> (loss: Double, dz: Tensor, terms: [String: Double])
  {
    var loss = 0.0, dz = Tensor(shape: z.shape), terms: [String: Double] = [:]
    func add(_ key: String, _ weight: Float, _ r: Result) {
      terms[key] = r.loss
      loss += Double(weight) * r.loss
      for i in 0..<dz.count { dz.data[i] += weight * r.dz.data[i] }
    }
    if config.ntXentWeight != 0 { add("ntxent", config.ntXentWeight, ntXent(z, temperature: config.temperature)) }
    if config.groupNegativeWeight != 0 {
      add("neg", config.groupNegativeWeight, groupNegative(z, layout: layout, temperature: config.temperature))
    }
    for (k, term) in config.positiveTerms.enumerated() where term.weight != 0 {
      add(
        "pos\(k)", term.weight,
        groupPositive(
          z, layout: layout, excludedRoles: term.excludedRoles,
          form: config.positiveForm, temperature: config.temperature))
    }
    return (loss, dz, terms)
  }

  /// Mean over (a, p) pairs of −S_ap + log Σ_k m_k e^{S_ak}; `pairs(a)` lists a's positives with their
  /// multiplicity vectors (length 2B, m_a = 0). Returns the loss and dL/dz.
  static func pairLoss(_ z: Tensor, temperature: Float, pairs: (Int) -> [(Int, [Double])]) -> Result {
    let (n, d) = (z.shape[0], z.shape[1])
    let tau = Double(temperature)
    // u: (2B, D) unit rows; S: (2B, 2B) = u·uᵀ/τ
    var norms = [Double](repeating: 0, count: n), u = [Double](repeating: 0, count: n * d)
    for r in 0..<n {
      var s = 0.0
      for c in 0..<d { s += Double(z.data[r * d + c]) * Double(z.data[r * d + c]) }
      norms[r] = max(s.squareRoot(), 1e-8)
      for c in 0..<d { u[r * d + c] = Double(z.data[r * d + c]) / norms[r] }
    }
    var sim = [Double](repeating: 0, count: n * n)
    for a in 0..<n {
      for b in a..<n {
        var s = 0.0
        for c in 0..<d { s += u[a * d + c] * u[b * d + c] }
        sim[a * n + b] = s / tau
        sim[b * n + a] = s / tau
      }
    }
    var total = 0.0, count = 0
    var dS = [Double](repeating: 0, count: n * n)  // (2B, 2B), unnormalised
    for a in 0..<n {
      let row = a * n
      let top = (0..<n).reduce(-Double.infinity) { $1 == a ? $0 : max($0, sim[row + $1]) }
      for (p, m) in pairs(a) {
        var denom = 0.0
        for k in 0..<n where m[k] != 0 { denom += m[k] * _exp(sim[row + k] - top) }
        total += -sim[row + p] + top + _log(denom)
        count += 1
        dS[row + p] -= 1
        for k in 0..<n where m[k] != 0 { dS[row + k] += m[k] * _exp(sim[row + k] - top) / denom }
      }
    }
    guard count > 0 else { return (0, Tensor(shape: z.shape)) }
    let scale = 1 / Double(count)
    // dU = (dS + dSᵀ)·U / τ, then through u = z/‖z‖: dz = (dU − u (u·dU)) / ‖z‖
    var dz = Tensor(shape: z.shape)
    for a in 0..<n {
      var du = [Double](repeating: 0, count: d)
      for b in 0..<n {
        let w = (dS[a * n + b] + dS[b * n + a]) * scale / tau
        if w == 0 { continue }
        for c in 0..<d { du[c] += w * u[b * d + c] }
      }
      var dot = 0.0
      for c in 0..<d { dot += du[c] * u[a * d + c] }
      for c in 0..<d { dz.data[a * d + c] = Float((du[c] - u[a * d + c] * dot) / norms[a]) }
    }
    return (total * scale, dz)
  }
}

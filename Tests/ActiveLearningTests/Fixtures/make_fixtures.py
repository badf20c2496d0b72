"""Reference fixtures for ActiveLearningTests, computed with NumPy and scikit-learn.

Run: /work/helpers/venv-selection/bin/python make_fixtures.py   (writes *.json next to this file)
Each file holds small inputs and the scores the Swift code must reproduce (method-spec §4-§5).
"""
import json
import os

import numpy as np
from sklearn.metrics import pairwise_distances
from sklearn.neighbors import NearestNeighbors

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.RandomState(7)


def dump(name, obj):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))


def softmax(logits, axis):
    e = np.exp(logits - logits.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def entropy(p, axis):  # utils.py::seg_entropy_score
    return -(p * np.log(p + 1e-10)).sum(axis=axis)


# ---- Ensemble entropy and variance ratio (spec §5.4, §5.5) ----------------------------------
M, S, C, P = 3, 5, 3, 8
probs = softmax(rng.randn(M, S, C, P).astype(np.float32) * 2, axis=2).astype(np.float32)
probs[:, 4] = probs[0:1, 4]  # slice 4: all members agree -> variance ratio 0
entropy_scores = entropy(probs.astype(np.float64).mean(axis=0), axis=1).mean(axis=1)  # (S,)
votes = probs.argmax(axis=2)  # (M, S, P)
vr = np.zeros(S)
for s in range(S):
    per_px = []
    for px in range(P):
        f_m = np.bincount(votes[:, s, px], minlength=M).max()
        per_px.append(1 - f_m / M)
    vr[s] = np.mean(per_px)
dump("ensemble.json", {"members": M, "slices": S, "classes": C, "pixels": P,
                       "values": probs.ravel().tolist(),
                       "entropy": entropy_scores.tolist(), "varianceRatio": vr.tolist()})

# ---- BALD with MC dropout (spec §5.7) ------------------------------------------------------
models, T, S, C, P = 2, 4, 4, 3, 6
mc = softmax(rng.randn(models, T, S, C, P).astype(np.float32) * 1.5, axis=3).astype(np.float32)
per_model = np.zeros((models, S))
for m in range(models):
    p = mc[m].astype(np.float64)  # (T, S, C, P)
    predictive = entropy(p.mean(axis=0), axis=1)  # (S, P)
    expected = entropy(p, axis=2).mean(axis=0)  # (S, P)
    per_model[m] = (predictive - expected).mean(axis=1)
dump("bald.json", {"models": models, "passes": T, "slices": S, "classes": C, "pixels": P,
                   "values": mc.ravel().tolist(), "perModel": per_model.tolist(),
                   "mean": per_model.mean(axis=0).tolist()})

# ---- Typicality and the TypiClust selection loop (spec §5.8) -------------------------------
def typicality(feats, k_nn=20):
    m = len(feats)
    k = min(max(min(k_nn, m // 2), 1), m - 1)
    nn = NearestNeighbors(n_neighbors=k + 1).fit(feats)
    dist, _ = nn.kneighbors(feats)
    return 1 / (dist[:, 1:].mean(axis=1) + 1e-5)


typ_sets = []
for m, k_nn in [(12, 20), (9, 3), (3, 20), (2, 20)]:
    feats = rng.randn(m, 4).astype(np.float32)
    typ_sets.append({"rows": m, "columns": 4, "kNN": k_nn, "features": feats.ravel().tolist(),
                     "typicality": typicality(feats.astype(np.float64), k_nn).tolist()})

N, D = 40, 3
centers = np.array([[0, 0, 0], [5, 5, 0], [0, 6, 6], [7, 0, 7]], dtype=np.float32)
assign = np.array([i % 4 for i in range(N)])
assign[36:] = 0  # cluster 0 is the largest
X = (centers[assign] + rng.randn(N, D).astype(np.float32)).astype(np.float32)
labeled = [1, 5, 3]  # clusters 1, 1, 3
unlabeled = [i for i in range(N) if i not in labeled]
sizes = np.bincount(assign, minlength=4)
lab_counts = np.bincount(assign[labeled], minlength=4)
order = sorted([c for c in range(4) if sizes[c] > 5], key=lambda c: (lab_counts[c], -sizes[c], c))
used = set(labeled)
picks = []
budget = 7
for i in range(budget):
    c = order[i % len(order)]
    members = [r for r in unlabeled if assign[r] == c and r not in used]
    t = typicality(X[members].astype(np.float64), 20)
    pick = members[int(np.argmax(t))]
    picks.append(pick)
    used.add(pick)
dump("typiclust.json", {"sets": typ_sets, "rows": N, "columns": D, "features": X.ravel().tolist(),
                        "assignments": assign.tolist(), "labeled": labeled, "budget": budget,
                        "picks": picks})

# ---- The "ours" distance on fused rows and k-center greedy (spec §3.8, §4.2, §4.3) ---------
N, side, E = 10, 8, 2
P = side * side
r = int(0.10 * P / E)  # 3
pixels = rng.rand(N, P).astype(np.float32)
emb = rng.randn(N, E).astype(np.float32)
scrib = np.full((N, P), 4, dtype=np.uint8)
for i in range(N):
    if i == 3:
        continue  # slice 3 has no scribble: pixel term guarded to 0
    row = rng.randint(side)
    scrib[i, row * side: row * side + rng.randint(2, side)] = rng.randint(4)
    col = rng.randint(side)
    scrib[i, col::side][: rng.randint(1, side)] = rng.randint(4)
pos_wt, label_wt, default_pos_val = 1500.0, 1.0, 0.0
labmask = np.where(scrib < 4, label_wt, default_pos_val).astype(np.float64)
fused = np.concatenate([pixels.astype(np.float64), np.repeat(emb.astype(np.float64), r, axis=1), labmask], axis=1)
F, L = P + E * r, P


def metric(x, c):  # dist_metrics.py::metric_w_config, "ours" settings, argument order (x, c)
    mask = c[F:F + L]
    nnz = np.count_nonzero(mask)
    pos = 0.0
    if nnz > 0:  # guard of spec §4.2 (numpy would give inf/nan)
        pos = np.sqrt(np.sum(mask * (x[:L] - c[:L]) ** 2)) / nnz * pos_wt
    mdl = np.sqrt(np.sum((x[L:F] - c[L:F]) ** 2))
    return pos + mdl


# A copy as Y: with X is Y, sklearn computes only one triangle and mirrors it (assumes symmetry).
dist = pairwise_distances(fused, fused.copy(), metric=metric)  # dist[i, j] = d(row_i, center_j)
already = [2]
min_d = dist[:, already].min(axis=1)
kc = []
for _ in range(5):
    ind = int(np.argmax(min_d))
    kc.append(ind)
    min_d = np.minimum(min_d, dist[:, ind])
dump("ours.json", {"slices": N, "pixels": P, "dims": E, "pixelValues": pixels.ravel().tolist(),
                   "embeddings": emb.ravel().tolist(), "scribbles": scrib.ravel().tolist(),
                   "distances": dist.ravel().tolist(), "labeled": already, "picks": kc})
print("fixtures written:", sorted(f for f in os.listdir(HERE) if f.endswith(".json")))

"""NumPy peer of SelectorBench: k-center greedy with the "ours" distance (method-spec §4.2-4.3, with OursMetric's
default fixed pixel term),
vectorised over candidates, on the same synthetic pool (same hashed pixels/embeddings, same
SplitMix64 scribbles and first pick), so its picks must equal the Swift picks.
Usage: python kcenter_numpy.py [--row-major] [--prune] [--service] [N ...]  (default 1454 20000)
--service is the service's workload, as in SelectorBench: the first 1 % of the pool is labeled and scribbled (the
first centers), the candidates have no scribbles.
By default the pixels are stored pixel-major (as the Swift OursMetric stores them), so the masked
gather reads whole contiguous columns; --row-major stores one row per slice instead.
--prune computes the embedding term only for candidates whose pixel term is still below their
current minimum distance (the vectorised form of the Swift early exit; same picks).
"""
import math
import sys
import time

import numpy as np

SIDE, DIMS, MASK64 = 128, 512, (1 << 64) - 1
EMB_WT = np.float32(np.sqrt(int(0.10 * SIDE * SIDE / DIMS)))  # sqrt(3) at 128x128, 512-d
# The default (fixed) pixel term of OursMetric: pos_wt 1500 tuned at 256² with 512-d embeddings, scaled by
# area^(1/4) · w_E / w_E(256², 512) (1500 · 0.7071 · √3/√12 = 530 at 128²), and a center without scribbles masked
# by a golden-ratio lattice of the mean annotated scribble size (OursDistanceConfiguration, OursMetric.lattice).
_FACTOR = math.sqrt(math.sqrt(SIDE * SIDE / (256 * 256))) * float(EMB_WT) / float(np.float32(math.sqrt(12.0)))
POS_WT = np.float32(1500.0) * np.float32(_FACTOR)


def lattice(count, pixels):
    """OursMetric.lattice: the golden-ratio sequence floor(frac(1/2 + i/phi) * pixels), ascending, deduplicated."""
    m, step = min(max(count, 1), pixels), (math.sqrt(5.0) - 1) / 2
    seen = set()
    for i in range(m):
        u = 0.5 + i * step
        seen.add(min(int((u - math.floor(u)) * pixels), pixels - 1))
    return np.array(sorted(seen), dtype=np.int64)


def unannotated_mask(scrib):
    """The mask of centers without scribbles: a lattice of the mean scribble size of the annotated slices."""
    sizes = (scrib != 4).sum(axis=1)
    annotated = sizes[sizes > 0]
    mean = annotated.sum() / len(annotated) if len(annotated) else 1.28 * SIDE
    return lattice(int(math.floor(mean + 0.5)), SIDE * SIDE)


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def uniform_below(self, bound):  # Lemire, as Shuffle.uniform in Swift
        threshold = ((1 << 64) - bound) % bound
        while True:
            m = self.next() * bound
            if m & MASK64 >= threshold:
                return m >> 64


def hash_unit(i, j, salt):
    h = (i.astype(np.uint32) * np.uint32(0x9E3779B1)) ^ (j.astype(np.uint32) * np.uint32(0x85EBCA77)) ^ np.uint32(salt)
    h ^= h >> np.uint32(15)
    h *= np.uint32(0x2C1B3C6D)
    h ^= h >> np.uint32(12)
    return (h >> np.uint32(8)).astype(np.float32) / np.float32(16777216)


def make_pool(n, row_major, scribbled=None):
    p = SIDE * SIDE
    if row_major:  # (n, p)
        pixels = np.empty((n, p), dtype=np.float32)
        cols = np.arange(p, dtype=np.uint32)[None, :]
        for start in range(0, n, 1024):
            rows = np.arange(start, min(start + 1024, n), dtype=np.uint32)[:, None]
            pixels[start:start + len(rows)] = hash_unit(rows, cols, 0x12345678)
    else:  # (p, n), pixel-major
        pixels = np.empty((p, n), dtype=np.float32)
        rows = np.arange(n, dtype=np.uint32)[None, :]
        for start in range(0, p, 256):
            cols = np.arange(start, min(start + 256, p), dtype=np.uint32)[:, None]
            pixels[start:start + len(cols)] = hash_unit(rows, cols, 0x12345678)
    emb = hash_unit(np.arange(n, dtype=np.uint32)[:, None], np.arange(DIMS, dtype=np.uint32)[None, :], 0x0BADF00D)
    emb = emb * np.float32(2) - np.float32(1)
    scrib = np.full((n, p), 4, dtype=np.uint8)
    for i in range(n if scribbled is None else min(n, scribbled)):
        rng = SplitMix64(i + 12345)
        if rng.next() % 10 == 0:
            continue
        for _ in range(2 + rng.next() % 3):
            label = rng.next() % 4
            orientation = rng.next() % 3
            length = 16 + rng.next() % 64
            row, col = rng.next() % SIDE, rng.next() % SIDE
            for t in range(length):
                r = row if orientation == 0 else row + t
                c = col if orientation == 1 else col + t
                if r >= SIDE or c >= SIDE:
                    break
                scrib[i, r * SIDE + c] = label
    return pixels, emb, scrib


def distances_to_center(pixels, emb, scrib, c, row_major, lattice_mask, bound=None):
    """d(x, c) for every candidate x: masked pixel term (center's scribbles, else the lattice) + embedding term."""
    idx = np.flatnonzero(scrib[c] != 4)
    if len(idx) == 0:
        idx = lattice_mask
    d = np.zeros(len(emb), dtype=np.float32)
    if len(idx) > 0:
        if row_major:
            diff = pixels[:, idx] - pixels[c, idx]
            sq = np.einsum("ij,ij->i", diff, diff)
        else:
            diff = pixels[idx, :] - pixels[idx, c][:, None]
            sq = np.einsum("ij,ij->j", diff, diff)
        d += np.sqrt(sq) * (POS_WT / np.float32(len(idx)))
    if bound is None:
        de = emb - emb[c]
        d += EMB_WT * np.sqrt(np.einsum("ij,ij->i", de, de))
    else:  # candidates already at or above their bound cannot lower it: skip their embedding term
        sel = np.flatnonzero(d < bound)
        de = emb[sel] - emb[c]
        d[sel] += EMB_WT * np.sqrt(np.einsum("ij,ij->i", de, de))
    d[np.isnan(d)] = 0
    return d


def kcenter(pixels, emb, scrib, budget, row_major, prune, labeled=(), seed=0):
    n = len(emb)
    mask = unannotated_mask(scrib)
    taken = np.zeros(n, dtype=bool)
    min_d = np.full(n, np.inf, dtype=np.float32)
    picks = []
    for c in labeled:
        taken[c] = True
        np.minimum(min_d, distances_to_center(pixels, emb, scrib, c, row_major, mask, min_d if prune else None), out=min_d)
    first = SplitMix64(seed).uniform_below(n) if len(labeled) == 0 else None
    for t in range(budget):
        ind = first if t == 0 and first is not None else int(np.argmax(np.where(taken, -np.inf, min_d)))
        taken[ind] = True
        picks.append(ind)
        if t < budget - 1:  # the last center moves no pick
            np.minimum(min_d, distances_to_center(pixels, emb, scrib, ind, row_major, mask, min_d if prune else None), out=min_d)
    return picks


def main():
    row_major, prune, service = "--row-major" in sys.argv, "--prune" in sys.argv, "--service" in sys.argv
    sizes = [int(a) for a in sys.argv[1:] if not a.startswith("--")] or [1454, 20000]
    for n in sizes:
        t0 = time.perf_counter()
        budget = n // 100
        labeled = list(range(budget)) if service else []
        pixels, emb, scrib = make_pool(n, row_major, len(labeled) if service else None)
        generation = time.perf_counter() - t0
        t1, c1 = time.perf_counter(), time.process_time()
        picks = kcenter(pixels, emb, scrib, budget, row_major, prune, labeled)
        selection, cpu = time.perf_counter() - t1, time.process_time() - c1
        checksum = 0
        for offset, p in enumerate(picks):
            checksum = (checksum * 31 + p + offset) & MASK64
        if checksum >= 1 << 63:
            checksum -= 1 << 64
        print(f"numpy{'-rowmajor' if row_major else ''}{'-prune' if prune else ''} N={n} workload={'service' if service else 'synthetic'} labeled={len(labeled)} budget={budget} generate={generation:.3f}s select={selection:.3f}s cpu={cpu:.3f}s "
              f"picks[:8]={','.join(map(str, picks[:8]))} checksum={checksum}")


if __name__ == "__main__":
    main()

"""The PyTorch peer of `scripts/bench predict`: MC-dropout class probabilities of the method spec's UNet (the same
module as Benchmarks/TrainerBench/unet_torch.py) over a pool of random slices, under torch.inference_mode(), with
batch norm in eval mode and the encoder's dropout active. As PredictBench: chunks of 32 slices, the chunk's
passes pass-major in batches of min(64, 262144 // size²), softmax over classes, every pass of a chunk kept
(then laid out per slice, as ours returns them).
Usage: python predict_torch.py SIZE THREADS PASSES POOL -> one line with seconds, slices_per_s, peak_rss_mb
(and rss_baseline_mb, the interpreter with PyTorch imported, and rss_net_mb, the peak net of it)."""
import os
import resource
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "TrainerBench"))
from unet_torch import UNet  # noqa: E402

# The interpreter with PyTorch imported: the peak is also reported net of it, as TrainerBench does.
BASELINE_MB = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def predict(net, pool, passes, batch):
    checksum = 0.0
    for start in range(0, pool.shape[0], 32):
        chunk = pool[start:start + 32]
        items = chunk.repeat(passes, 1, 1, 1)  # item t·len + k is slice k, pass t
        probs = torch.cat([torch.softmax(net(items[b:b + batch]), dim=1) for b in range(0, items.shape[0], batch)])
        per_slice = probs.view(passes, chunk.shape[0], *probs.shape[1:]).transpose(0, 1).contiguous()
        checksum += float(per_slice[0, 0, 0, 0, 0])  # each chunk's probabilities are dropped, as the trainer stores them
    return checksum


def main():
    size, threads, passes, pool_size = (int(a) for a in sys.argv[1:5])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    net = UNet()
    assert sum(p.numel() for p in net.parameters()) == 1_944_324
    net.eval()
    for m in net.modules():
        if isinstance(m, nn.Dropout):
            m.train()  # MC dropout: dropout active, batch norm on running statistics
    pool = torch.rand(pool_size, 1, size, size)
    batch = max(1, min(64, 262144 // (size * size)))
    with torch.inference_mode():
        predict(net, pool[:32], passes, batch)  # warm-up
        t0 = time.perf_counter()
        predict(net, pool, passes, batch)
        seconds = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pytorch {torch.__version__} size={size} pool={pool_size} passes={passes} threads={threads} batch={batch} "
          f"seconds={seconds:.2f} slices_per_s={pool_size / seconds:.2f} peak_rss_mb={rss:.0f} "
          f"rss_baseline_mb={BASELINE_MB:.0f} rss_net_mb={rss - BASELINE_MB:.0f}")


if __name__ == "__main__":
    main()

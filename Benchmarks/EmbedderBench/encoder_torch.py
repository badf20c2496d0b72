"""The PyTorch peer of `scripts/bench embedder`: one group-contrastive training step of the GCL encoder, the same
network, batch, losses and optimiser as `ContrastiveTrainer.step` with the `cpu` preset (or `paper`):
ResNet with a 3x3 stride-1 stem (`cpu`: width 16, one BasicBlock per stage, 128-d GAP feature) or the 7x7 stem +
max-pool (`paper`: ResNet-18, 512-d), bias-free convs, BN, head Linear(F, F) -> ReLU -> Linear(F, 64) without biases;
batch 9 slices in groups [anchor, volume slice, patient slice], two views -> 18 views, each view batch through the
network separately (BN statistics per view, as the GCL code); loss NT-Xent + 0.35 volume + 0.05 patient
group-positive (paper Eq. 4), tau 0.5; Adam(3e-4, weight decay 1e-6). Inputs are fixed uniform [0, 1] views
(augmentation is not timed, on either side).
Usage: python encoder_torch.py SIZE THREADS STEPS [cpu|paper]  -> one line with s_per_step, views_per_s, peak_rss_mb."""
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# The interpreter with PyTorch imported: the peak is also reported net of it, as TrainerBench does.
BASELINE_MB = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

PRESETS = {"cpu": dict(stem="small", width=16, blocks=(1, 1, 1, 1)),
           "paper": dict(stem="imagenet", width=64, blocks=(2, 2, 2, 2))}
BATCH, ROLES, TAU = 9, ("anchor", "volume", "patient"), 0.5
POSITIVE_TERMS = ((0.35, {"patient"}), (0.05, set()))        # (weight, excluded roles): volume loss, patient loss


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (x if self.downsample is None else self.downsample(x)))


class ContrastiveNet(nn.Module):
    def __init__(self, stem, width, blocks, projection=64):
        super().__init__()
        if stem == "imagenet":
            self.stem = nn.Sequential(nn.Conv2d(1, width, 7, 2, 3, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
                                      nn.MaxPool2d(3, 2, 1))
        else:
            self.stem = nn.Sequential(nn.Conv2d(1, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
        layers, cin = [], width
        for s, count in enumerate(blocks):
            cout = width << s
            for j in range(count):
                layers.append(BasicBlock(cin, cout, 2 if s > 0 and j == 0 else 1))
                cin = cout
        self.layers = nn.Sequential(*layers)
        self.projector = nn.Sequential(nn.Linear(cin, cin, bias=False), nn.ReLU(), nn.Linear(cin, projection, bias=False))
        for m in self.layers.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        h = self.layers(self.stem(x)).mean(dim=(2, 3))
        return h, self.projector(h)


def masks(n, b, g):
    """Positive masks and denominator multiplicities of each loss term, as ContrastiveLoss builds them."""
    rows = torch.arange(n)
    group, role, partner = (rows % b) // g, [ROLES[(r % b) % g] for r in range(n)], (rows + b) % n
    eye = torch.eye(n, dtype=torch.bool)
    same = group[:, None] == group[None, :]
    is_partner = partner[:, None] == rows[None, :]
    terms = [(1.0, is_partner, (~eye).float())]                                  # NT-Xent
    for weight, excluded in POSITIVE_TERMS:
        keep = torch.tensor([r not in excluded for r in role])
        pos = same & ~eye & (is_partner | (keep[:, None] & keep[None, :]))
        terms.append((weight, pos, (~same).float() + pos.float()))
    return terms


def pair_loss(s, pos, mult):
    """Mean over (a, p) with pos[a, p] of -S_ap + log sum_k mult[a, k] exp(S_ak)."""
    log_denominator = torch.logsumexp(s + torch.log(mult), dim=1)              # log 0 = -inf drops a row
    return ((log_denominator[:, None] - s) * pos).sum() / pos.sum()


def main():
    size, threads, steps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    preset = sys.argv[4] if len(sys.argv) > 4 else "cpu"
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    net = ContrastiveNet(**PRESETS[preset])
    opt = torch.optim.Adam(net.parameters(), lr=3e-4, weight_decay=1e-6)
    xi, xj = torch.rand(BATCH, 1, size, size), torch.rand(BATCH, 1, size, size)
    terms = masks(2 * BATCH, BATCH, len(ROLES))
    net.train()
    total = 0.0
    for step in range(steps + 1):
        t0 = time.perf_counter()
        opt.zero_grad()
        _, zi = net(xi)
        _, zj = net(xj)
        u = F.normalize(torch.cat([zi, zj]), dim=1)
        s = u @ u.t() / TAU
        loss = sum(w * pair_loss(s, pos, mult) for w, pos, mult in terms)
        loss.backward()
        opt.step()
        if step > 0:
            total += time.perf_counter() - t0
    per = total / steps
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    params = sum(p.numel() for p in net.parameters())
    print(f"pytorch {torch.__version__} preset={preset} size={size} threads={threads} parameters={params} "
          f"s_per_step={per:.3f} views_per_s={2 * BATCH / per:.2f} peak_rss_mb={rss:.0f} "
          f"rss_baseline_mb={BASELINE_MB:.0f} rss_net_mb={rss - BASELINE_MB:.0f}")


if __name__ == "__main__":
    main()

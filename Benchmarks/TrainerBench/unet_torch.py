"""The PyTorch peer of `scripts/bench trainer`: one training step of the method spec's UNet (WSL4MIS layout,
16-32-64-128-256 channels, BN, LeakyReLU, dropout, 2x2 transposed-conv upsampling; 1,944,324 parameters with
4 classes), batch 6, SGD(0.01, momentum 0.9, wd 1e-4) on 0.5 * (CE + soft Dice), on the CPU.
Usage: python unet_torch.py SIZE THREADS STEPS  -> prints one line with s_per_step, images_per_s, peak_rss_mb
(and rss_baseline_mb, the interpreter with PyTorch imported, and rss_net_mb, the peak net of it)."""
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# The interpreter with PyTorch loaded, before any tensor: reported so the peak can be read net of it.
BASELINE_MB = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def conv_block(cin, cout, p):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.LeakyReLU(0.01), nn.Dropout(p),
        nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.LeakyReLU(0.01))


class UNet(nn.Module):
    def __init__(self, classes=4, ch=(16, 32, 64, 128, 256), drop=(0.05, 0.1, 0.2, 0.3, 0.5)):
        super().__init__()
        self.enc = nn.ModuleList([conv_block(1 if i == 0 else ch[i - 1], ch[i], drop[i]) for i in range(5)])
        self.up = nn.ModuleList([nn.ConvTranspose2d(ch[i], ch[i - 1], 2, stride=2) for i in range(4, 0, -1)])
        self.dec = nn.ModuleList([conv_block(2 * ch[i - 1], ch[i - 1], 0.0) for i in range(4, 0, -1)])
        self.out = nn.Conv2d(ch[0], classes, 3, padding=1)

    def forward(self, x):
        skips = []
        for i, block in enumerate(self.enc):
            x = block(x if i == 0 else F.max_pool2d(x, 2))
            skips.append(x)
        x = skips.pop()
        for up, block in zip(self.up, self.dec):
            x = block(torch.cat([skips.pop(), up(x)], dim=1))
        return self.out(x)


def dice_loss(logits, target, classes):
    p = torch.softmax(logits, dim=1)
    t = F.one_hot(target, classes).permute(0, 3, 1, 2).float()
    inter = (p * t).sum(dim=(0, 2, 3))
    return (1 - (2 * inter + 1e-5) / ((t * t).sum(dim=(0, 2, 3)) + (p * p).sum(dim=(0, 2, 3)) + 1e-5)).mean()


def main():
    size, threads, steps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    net = UNet()
    assert sum(p.numel() for p in net.parameters()) == 1_944_324
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    x = torch.rand(6, 1, size, size) * 2 - 1
    y = torch.randint(0, 4, (6, size, size))
    net.train()
    total = 0.0
    for step in range(steps + 1):
        t0 = time.perf_counter()
        opt.zero_grad()
        logits = net(x)
        loss = 0.5 * (F.cross_entropy(logits, y) + dice_loss(logits, y, 4))
        loss.backward()
        opt.step()
        if step > 0:
            total += time.perf_counter() - t0
    per = total / steps
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pytorch {torch.__version__} size={size} threads={threads} s_per_step={per:.3f} images_per_s={6 / per:.2f} peak_rss_mb={rss:.0f} "
          f"rss_baseline_mb={BASELINE_MB:.0f} rss_net_mb={rss - BASELINE_MB:.0f}")


if __name__ == "__main__":
    main()

"""Reference fixtures for MetricLearningTests, made once with PyTorch (CPU, float32).

Run:  /work/helpers/venv-tensorcore/bin/python make_fixtures.py   (writes losses.json, encoder.json)

losses.json: the contrastive losses of method spec §3.6 on a fixed batch z = [z_i; z_j] of B = 6 slices in groups of
G = 3 with roles [anchor, volume, patient], written in the published code's style (cosine similarity / τ, a
positive logit followed by the masked negatives, CrossEntropy(sum) / count) and, for the paper's Eq. 4, a
logsumexp over positives and outside-group rows. Values and gradients w.r.t. z come from autograd.

encoder.json: a tiny torchvision-layout ResNet (BasicBlock, names conv1/bn1/layer{i}.{j}.…/downsample.{0,1}) with
the SimCLR head projector.{0,2} (no biases), both stems (3×3 stride 1; 7×7 stride 2 + maxpool 3/2/1). Train-mode
forward, loss = Σ z ⊙ r, every parameter gradient, dx, running statistics, then an eval-mode feature.
"""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)


def flat(t):
    return [float(f"{v:.8g}") for v in t.detach().reshape(-1).tolist()]


def pack(t):
    return {"shape": list(t.shape), "data": flat(t)}


# ------------------------------------------------------------------------------------------------ losses
B, G, D, TAU = 6, 3, 5, 0.5
ROLES = ["anchor", "volume", "patient"]
N = 2 * B
rows = torch.arange(N)
group = (rows % B) // G
role = [ROLES[(r % B) % G] for r in range(N)]
partner = (rows + B) % N
same_group = group[:, None] == group[None, :]


def similarity(z):
    cos = nn.CosineSimilarity(dim=2)
    return cos(z.unsqueeze(1), z.unsqueeze(0)) / TAU


def nt_xent(z):
    s = similarity(z)
    pos = s[rows, partner]
    mask = torch.ones(N, N, dtype=torch.bool)
    mask[rows, rows] = False
    mask[rows, partner] = False
    neg = s[mask].reshape(N, -1)
    logits = torch.cat([pos[:, None], neg], 1)
    return F.cross_entropy(logits, torch.zeros(N, dtype=torch.long), reduction="sum") / N


def group_neg(z):
    s = similarity(z)
    pos = s[rows, partner]
    neg = s[~same_group].reshape(N, -1)
    logits = torch.cat([pos[:, None], neg], 1)
    return F.cross_entropy(logits, torch.zeros(N, dtype=torch.long), reduction="sum") / N


def group_pos_all_others(z):
    s = similarity(z)
    neg = s[~same_group].reshape(N, -1)
    total = 0.0
    for k in range(1, N):                         # the k-th other row as the positive, every anchor at once
        other = (rows + k) % N
        logits = torch.cat([s[rows, other][:, None], neg], 1)
        total = total + F.cross_entropy(logits, torch.zeros(N, dtype=torch.long), reduction="sum")
    return total / (N * (N - 1))


def group_pos_group_only(z, excluded):
    s = similarity(z)
    total, count = 0.0, 0
    for a in range(N):
        a_in = role[a] not in excluded
        pos = [k for k in range(N) if k != a and same_group[a, k]
               and (k == partner[a] or (a_in and role[k] not in excluded))]
        denom = pos + [k for k in range(N) if not same_group[a, k]]
        lse = torch.logsumexp(s[a, denom], 0)
        for p in pos:
            total = total + lse - s[a, p]
            count += 1
    return total / count


def case(fn, z):
    z = z.clone().requires_grad_(True)
    loss = fn(z)
    loss.backward()
    return {"loss": float(loss), "grad": pack(z.grad)}


z = torch.randn(N, D)
losses = {
    "z": pack(z), "batch_size": B, "roles": ROLES, "temperature": TAU,
    "ntxent": case(nt_xent, z),
    "neg": case(group_neg, z),
    "pos_all_others": case(group_pos_all_others, z),
    "pos_volume": case(lambda t: group_pos_group_only(t, ["patient"]), z),
    "pos_patient": case(lambda t: group_pos_group_only(t, []), z),
    "total_paper": case(lambda t: nt_xent(t) + 0.35 * group_pos_group_only(t, ["patient"])
                        + 0.05 * group_pos_group_only(t, []), z),
    "total_code": case(lambda t: nt_xent(t) + 0.40 * group_pos_all_others(t), z),
}
json.dump(losses, open("losses.json", "w"), separators=(",", ":"))


# ------------------------------------------------------------------------------------------------ encoder
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
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


class Encoder(nn.Module):
    def __init__(self, stem, base, blocks):
        super().__init__()
        if stem == "imagenet":
            self.conv1 = nn.Conv2d(1, base, 7, 2, 3, bias=False)
            self.maxpool = nn.MaxPool2d(3, 2, 1)
        else:
            self.conv1 = nn.Conv2d(1, base, 3, 1, 1, bias=False)
            self.maxpool = nn.Identity()
        self.bn1 = nn.BatchNorm2d(base)
        cin = base
        for s, count in enumerate(blocks):
            layer = []
            for j in range(count):
                layer.append(BasicBlock(cin, base << s, 2 if (s > 0 and j == 0) else 1))
                cin = base << s
            setattr(self, f"layer{s + 1}", nn.Sequential(*layer))
        self.stages = len(blocks)

    def forward(self, x):
        x = self.maxpool(F.relu(self.bn1(self.conv1(x))))
        for s in range(self.stages):
            x = getattr(self, f"layer{s + 1}")(x)
        return x.mean(dim=(2, 3))


class Net(nn.Module):
    def __init__(self, stem, base, blocks, proj):
        super().__init__()
        self.encoder = Encoder(stem, base, blocks)
        f = base << (len(blocks) - 1)
        self.projector = nn.Sequential(nn.Linear(f, f, bias=False), nn.ReLU(), nn.Linear(f, proj, bias=False))


def encoder_case(stem, size):
    net = Net(stem, 4, [1, 1], 8)
    with torch.no_grad():                      # non-trivial BN affine parameters
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
    state = {k: pack(v) for k, v in net.state_dict().items() if not k.endswith("num_batches_tracked")}
    x = torch.randn(3, 1, size, size, requires_grad=True)
    net.train()
    feat = net.encoder(x)
    zz = net.projector(feat)
    r = torch.randn_like(zz)
    (zz * r).sum().backward()
    grads = {k: pack(p.grad) for k, p in net.named_parameters()}
    running = {k: pack(v) for k, v in net.state_dict().items() if "running" in k}
    net.eval()
    with torch.no_grad():
        eval_feat = net.encoder(x)
    return {"stem": stem, "state": state, "x": pack(x), "feature": pack(feat), "z": pack(zz), "r": pack(r),
            "grads": grads, "dx": pack(x.grad), "running": running, "eval_feature": pack(eval_feat)}


json.dump({"small": encoder_case("small", 8), "imagenet": encoder_case("imagenet", 16)},
          open("encoder.json", "w"), separators=(",", ":"))

"""Reference fixtures for NeuralNetTests, made once with PyTorch (CPU, float32).

Run:  /work/helpers/venv-tensorcore/bin/python make_fixtures.py   (writes layers.json, losses.json, unet.json, unet_cct.json)

The network below re-states WSL4MIS `networks/unet.py` (ConvBlock / DownBlock / UpBlock with ConvTranspose2d,
Encoder, Decoder, UNet, UNet_CCT) with configurable widths so the fixtures stay tiny; parameter names match the
upstream state_dict names. Losses follow method-spec §2.3-2.4 (CrossEntropyLoss(ignore_index=4), DiceLoss, pDLoss).
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


# ---------------------------------------------------------------- network (WSL4MIS layout, configurable widths)
from wsl4mis_unet import ConvBlock, DownBlock, UpBlock, Encoder, Decoder, UNet, UNetCCT  # noqa: E402,F401


# ---------------------------------------------------------------- losses (method spec §2.3, §2.4)
def one_hot(t, C):  # t: [B,1,H,W] -> [B,C,H,W]; labels >= C give all zeros
    return torch.cat([(t == i).float() for i in range(C)], dim=1)


def dice_loss(p, y, C):  # DiceLoss(C)(softmax probs, y.unsqueeze(1))
    t = one_hot(y.unsqueeze(1), C)
    loss = 0.0
    for i in range(C):
        s, g = p[:, i], t[:, i]
        loss = loss + 1 - (2 * torch.sum(s * g) + 1e-5) / (torch.sum(g * g) + torch.sum(s * s) + 1e-5)
    return loss / C


def pdice_loss(p, y, C, ignore=4):  # pDLoss(C, 4)(probs, y.unsqueeze(1)), mask broadcast as upstream
    target = y.unsqueeze(1)
    mask = torch.ones_like(target, dtype=torch.float32)
    mask[target == ignore] = 0
    t = one_hot(target, C)
    loss = 0.0
    for i in range(C):
        s, g = p[:, i], t[:, i]
        inter = torch.sum(s * g * mask)
        ysum = torch.sum(g * g * mask)
        zsum = torch.sum(s * s * mask)
        loss = loss + 1 - (2 * inter + 1e-5) / (zsum + ysum + 1e-5)
    return loss / C


ce = nn.CrossEntropyLoss(ignore_index=4)


def dice_ce(logits, y, C):
    return 0.5 * (ce(logits, y.long()) + dice_loss(torch.softmax(logits, 1), y, C))


def dmpls(main, aux, s, beta, C):
    p1, p2 = torch.softmax(main, 1), torch.softmax(aux, 1)
    l_ce = 0.5 * (ce(main, s.long()) + ce(aux, s.long()))
    pl = torch.argmax(beta * p1.detach() + (1 - beta) * p2.detach(), dim=1)
    l_pse = 0.5 * (pdice_loss(p1, pl, C) + pdice_loss(p2, pl, C))
    return l_ce + 0.5 * l_pse


def rand_labels(shape, C, ignore_frac):
    y = torch.randint(0, C, shape)
    y[torch.rand(shape) < ignore_frac] = 4
    return y


# ---------------------------------------------------------------- per-layer fixtures
def layer_case(module, x, extra=None):
    x = x.clone().requires_grad_(True)
    y = module(x)
    dy = torch.randn_like(y)
    (y * dy).sum().backward()
    out = {"x": pack(x), "y": pack(y), "dy": pack(dy), "dx": pack(x.grad),
           "params": {n: pack(p) for n, p in module.named_parameters()},
           "grads": {n: pack(p.grad) for n, p in module.named_parameters()}}
    out["buffers"] = {n: pack(b) for n, b in module.named_buffers() if b.dtype == torch.float32}
    return out


layers = {}
layers["conv3x3"] = layer_case(nn.Conv2d(3, 4, 3, padding=1), torch.randn(2, 3, 5, 5))
layers["conv3x3_stride2"] = layer_case(nn.Conv2d(2, 3, 3, stride=2, padding=1), torch.randn(1, 2, 6, 6))
layers["conv_transpose2x2"] = layer_case(nn.ConvTranspose2d(4, 3, 2, stride=2), torch.randn(2, 4, 3, 3))
bn = nn.BatchNorm2d(3)
with torch.no_grad():
    bn.weight.copy_(torch.randn(3)); bn.bias.copy_(torch.randn(3))
layers["batchnorm_train"] = layer_case(bn, torch.randn(2, 3, 4, 4) * 2 + 1)
bn.eval()
with torch.no_grad():
    xe = torch.randn(2, 3, 2, 2)
    layers["batchnorm_eval"] = {"x": pack(xe), "y": pack(bn(xe)),
                                "params": {n: pack(p) for n, p in bn.named_parameters()},
                                "buffers": {n: pack(b) for n, b in bn.named_buffers() if b.dtype == torch.float32}}
layers["leaky_relu"] = layer_case(nn.LeakyReLU(), torch.randn(2, 2, 3, 3))
layers["maxpool2"] = layer_case(nn.MaxPool2d(2), torch.randn(2, 2, 4, 6))
layers["linear"] = layer_case(nn.Linear(5, 3), torch.randn(4, 5))

# ---------------------------------------------------------------- loss fixtures
C = 4
losses = {}
for name, fn, labels in [
    ("cross_entropy", lambda l, y: ce(l, y.long()), rand_labels((2, 4, 4), C, 0.4)),
    ("dice", lambda l, y: dice_loss(torch.softmax(l, 1), y, C), rand_labels((2, 4, 4), C, 0.0)),
    ("pdice", lambda l, y: pdice_loss(torch.softmax(l, 1), y, C), rand_labels((2, 4, 4), C, 0.4)),
    ("dice_ce", lambda l, y: dice_ce(l, y, C), rand_labels((2, 4, 4), C, 0.2)),
]:
    logits = torch.randn(2, C, 4, 4, requires_grad=True)
    loss = fn(logits, labels)
    loss.backward()
    losses[name] = {"logits": pack(logits), "labels": labels.reshape(-1).tolist(), "labels_shape": list(labels.shape),
                    "loss": float(loss), "grad": pack(logits.grad)}
main = torch.randn(2, C, 4, 4, requires_grad=True)
aux = torch.randn(2, C, 4, 4, requires_grad=True)
scr = rand_labels((2, 4, 4), C, 0.6)
loss = dmpls(main, aux, scr, 0.37, C)
loss.backward()
losses["dmpls"] = {"main": pack(main), "aux": pack(aux), "labels": scr.reshape(-1).tolist(), "labels_shape": [2, 4, 4],
                   "beta": 0.37, "loss": float(loss), "grad_main": pack(main.grad), "grad_aux": pack(aux.grad)}

# ---------------------------------------------------------------- tiny UNet: forward, loss, gradients, 20 SGD steps
CH, DROP = [2, 4, 8], [0.0, 0.0, 0.0]
net = UNet(1, C, CH, DROP)
state0 = {k: pack(v) for k, v in net.state_dict().items() if v.dtype == torch.float32}
x = torch.randn(2, 1, 16, 16)
y = rand_labels((2, 16, 16), C, 0.1)
net.train()
logits = net(x)
loss = dice_ce(logits, y, C)
loss.backward()
grads = {n: pack(p.grad) for n, p in net.named_parameters()}
running = {k: pack(v) for k, v in net.state_dict().items() if "running" in k}
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
curve = []
max_iter = 20
net.zero_grad()
for it in range(max_iter):
    opt.zero_grad()
    l = dice_ce(net(x), y, C)
    l.backward()
    opt.step()
    curve.append(float(l))
    lr = 0.01 * (1.0 - it / max_iter) ** 0.9
    for g in opt.param_groups:
        g["lr"] = lr
net.eval()
with torch.no_grad():
    eval_logits = net(x)
unet = {"config": {"channels": CH, "classes": C, "input_channels": 1}, "state": state0, "x": pack(x),
        "labels": y.reshape(-1).tolist(), "labels_shape": list(y.shape), "logits": pack(logits),
        "loss": float(loss), "grads": grads, "running_after_forward": running, "sgd_losses": curve,
        "eval_logits_after_sgd": pack(eval_logits),
        "parameter_count": sum(p.numel() for p in net.parameters())}

# ---------------------------------------------------------------- tiny UNet_CCT with the DMPLS loss (aux dropout off)
cct = UNetCCT(1, C, CH, DROP, 0.0)
cstate = {k: pack(v) for k, v in cct.state_dict().items() if v.dtype == torch.float32}
xc = torch.randn(2, 1, 8, 8)
sc = rand_labels((2, 8, 8), C, 0.7)
cct.train()
m, a = cct(xc)
lc = dmpls(m, a, sc, 0.61, C)
lc.backward()
unet_cct = {"config": {"channels": CH, "classes": C, "input_channels": 1}, "state": cstate, "x": pack(xc),
            "labels": sc.reshape(-1).tolist(), "labels_shape": list(sc.shape), "beta": 0.61, "main": pack(m),
            "aux": pack(a), "loss": float(lc), "grads": {n: pack(p.grad) for n, p in cct.named_parameters()}}

# full-size parameter counts, for the record (the Swift tests assert the spec's numbers)
full = UNet(1, 4, [16, 32, 64, 128, 256], [0.05, 0.1, 0.2, 0.3, 0.5])
full_cct = UNetCCT(1, 4, [16, 32, 64, 128, 256], [0.05, 0.1, 0.2, 0.3, 0.5], 0.5)
print("UNet params", sum(p.numel() for p in full.parameters()), "UNet_CCT params", sum(p.numel() for p in full_cct.parameters()))

for fname, obj in [("layers.json", layers), ("losses.json", losses), ("unet.json", unet), ("unet_cct.json", unet_cct)]:
    with open(fname, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
print("torch", torch.__version__)

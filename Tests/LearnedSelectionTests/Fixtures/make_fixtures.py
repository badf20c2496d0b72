"""Reference fixtures for LearnedSelectionTests, made once with PyTorch (CPU, float32).

Run:  /work/helpers/venv-tensorcore/bin/python make_fixtures.py   (writes gcn.json and vaal.json)

The modules below re-state al-seg's `active_learning/data_geometry/gcn.py` (GraphConvolution, GCN with gc1/gc3,
`aff_to_adj`, `BCEAdjLoss`) and `vaal.py` (VAE, Discriminator, `vae_loss`) with tiny widths, so the fixtures stay
a few KB; parameter names match the upstream state_dict names.
"""
import json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)


def flat(t):
    return [float(f"{v:.8g}") for v in torch.as_tensor(t).detach().reshape(-1).tolist()]


def pack(t):
    t = torch.as_tensor(t)
    return {"shape": list(t.shape), "data": flat(t)}


# ---------------------------------------------------------------- CoreGCN on a 4-node graph
class GraphConvolution(nn.Module):
    def __init__(self, fin, fout):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(fin, fout))
        self.bias = nn.Parameter(torch.empty(fout))
        stdv = 1.0 / fout ** 0.5
        self.weight.data.uniform_(-stdv, stdv)
        self.bias.data.uniform_(-stdv, stdv)

    def forward(self, x, adj):
        return adj @ (x @ self.weight) + self.bias


class GCN(nn.Module):
    def __init__(self, nfeat, nhid):
        super().__init__()
        self.gc1 = GraphConvolution(nfeat, nhid)
        self.gc3 = GraphConvolution(nhid, 1)

    def forward(self, x, adj):
        feat = F.relu(self.gc1(x, adj))          # eval mode: dropout is the identity
        x = self.gc3(feat, adj)
        return torch.sigmoid(x), feat, torch.cat((feat, x), 1)


def aff_to_adj(x, eps=1e-10):
    adj = np.matmul(x, x.transpose())
    adj += -1.0 * np.eye(adj.shape[0], dtype=np.float32)
    adj_diag = np.sum(adj, axis=0)
    adj = np.matmul(adj, np.diag(1 / (adj_diag + eps)).astype(np.float32))
    adj = adj + np.eye(adj.shape[0], dtype=np.float32)
    return torch.tensor(adj, dtype=torch.float32)


def gcn_fixture():
    raw = torch.rand(4, 3) + 0.1
    x = F.normalize(raw)
    adj = aff_to_adj(x.numpy().astype(np.float32))
    net = GCN(3, 5)
    scores, feat, cat = net(x, adj)
    lbl, nlbl, lam = [2, 3], [0, 1], 1.2
    loss = -torch.mean(torch.log(scores[lbl] + 1e-10)) - lam * torch.mean(torch.log(1 - scores[nlbl] + 1e-10))
    loss.backward()
    out = {"features": pack(raw), "adjacency": pack(adj), "scores": pack(scores), "coreset": pack(cat),
           "loss": loss.item(), "labeled": lbl, "unlabeled": nlbl, "lambda": lam}
    for name, p in net.named_parameters():
        out[name] = pack(p)
        out["grad." + name] = pack(p.grad)
    return out


# ---------------------------------------------------------------- VAAL, channels [2, 4], 8x8 slices, latent 3
class View(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.size = size

    def forward(self, t):
        return t.view(self.size)


class VAE(nn.Module):
    def __init__(self, z=3):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 2, 4, 2, 1), nn.ReLU(True),
            nn.Conv2d(2, 4, 4, 2, 1), nn.BatchNorm2d(4), nn.ReLU(True),
            View((-1, 4 * 2 * 2)))
        self.fc_mu = nn.Linear(16, z)
        self.fc_logvar = nn.Linear(16, z)
        self.decoder = nn.Sequential(
            nn.Linear(z, 16), View((-1, 4, 2, 2)),
            nn.ConvTranspose2d(4, 2, 4, 2, 1), nn.BatchNorm2d(2), nn.ReLU(True),
            nn.ConvTranspose2d(2, 1, 4, 2, 1))
        for m in self.modules():  # non-trivial BN affine parameters, so they matter in the check
            if isinstance(m, nn.BatchNorm2d):
                m.weight.data.uniform_(0.5, 1.5)
                m.bias.data.uniform_(-0.3, 0.3)

    def forward(self, x, eps):
        h = self.encoder(x)
        mu, logvar = self.fc_mu(h), self.fc_logvar(h)
        z = eps * (0.5 * logvar).exp() + mu
        return self.decoder(z), z, mu, logvar


class Discriminator(nn.Module):
    def __init__(self, z=3, w=5):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(z, w), nn.ReLU(True), nn.Linear(w, w), nn.ReLU(True), nn.Linear(w, 1),
                                 nn.Sigmoid())

    def forward(self, z):
        return self.net(z)


def vae_loss(x, recon, mu, logvar, beta):
    mse = F.mse_loss(recon, x)
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return mse + kld * beta


def vaal_fixture():
    vae, disc = VAE(), Discriminator()
    state = {k: v.clone() for k, v in vae.state_dict().items()}
    dstate = {k: v.clone() for k, v in disc.state_dict().items()}
    xl, xu = torch.rand(2, 1, 8, 8), torch.rand(3, 1, 8, 8)
    el, eu = torch.randn(2, 3), torch.randn(3, 3)
    beta, adv = 0.5, 0.7
    out = {"xl": pack(xl), "xu": pack(xu), "noise_l": pack(el), "noise_u": pack(eu), "klWeight": beta, "adversaryWeight": adv}
    for k, v in state.items():
        if not k.endswith("num_batches_tracked"):
            out["param." + k] = pack(v)
    for k, v in dstate.items():
        out["param." + k] = pack(v)

    # VAE step (train mode): per-batch losses plus the adversarial BCE toward 1 for both sets
    vae.train()
    recon_l, _, mu_l, lv_l = vae(xl, el)
    recon_u, _, mu_u, lv_u = vae(xu, eu)
    bce = nn.BCELoss()
    loss_l = vae_loss(xl, recon_l, mu_l, lv_l, beta) + adv * bce(disc(mu_l), torch.ones(2, 1))
    loss_u = vae_loss(xu, recon_u, mu_u, lv_u, beta) + adv * bce(disc(mu_u), torch.ones(3, 1))
    total = loss_l + loss_u
    total.backward()
    out["vae.loss_l"], out["vae.loss_u"] = float(loss_l), float(loss_u)
    out["vae.recon_l"] = pack(recon_l)
    out["vae.mu_u"] = pack(mu_u)
    for k, p in vae.named_parameters():
        out["vae.grad." + k] = pack(p.grad)
    for k in ["encoder.3.running_mean", "encoder.3.running_var", "decoder.3.running_mean", "decoder.3.running_var"]:
        out["vae.buffer." + k] = pack(vae.state_dict()[k])

    # discriminator step from the initial weights, both quirk targets
    for target_name, target in [("fixed", 0.0), ("faithful", 1.0)]:
        v2, d2 = VAE(), Discriminator()
        v2.load_state_dict(state)
        d2.load_state_dict(dstate)
        v2.train()
        with torch.no_grad():
            _, _, m_l, _ = v2(xl, el)
            _, _, m_u, _ = v2(xu, eu)
        loss = bce(d2(m_l), torch.ones(2, 1)) + bce(d2(m_u), torch.full((3, 1), target))
        loss.backward()
        out[f"disc.{target_name}.loss"] = float(loss)
        for k, p in d2.named_parameters():
            out[f"disc.{target_name}.grad.{k}"] = pack(p.grad)

    # eval-mode scoring with the running statistics left by the VAE step
    vae.eval()
    with torch.no_grad():
        _, _, m, _ = vae(xu, eu)
        out["eval.probabilities_u"] = pack(disc(m))
    return out


with open("gcn.json", "w") as f:
    json.dump(gcn_fixture(), f)
with open("vaal.json", "w") as f:
    json.dump(vaal_fixture(), f)

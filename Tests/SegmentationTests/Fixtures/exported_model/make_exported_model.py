"""Fixtures for ExportedModelTests: PyTorch and ActiveSeg agree on the safetensors files of `activeseg export --model`.

Run once with a Python that has torch and safetensors (from PyPI):
  python make_exported_model.py             # writes torch_{unet,unet_cct}.safetensors and logits.json
  swift test --filter ExportedModelTests    # with ACTIVESEG_WRITE_EXPORT_FIXTURE=1: writes activeseg_*.safetensors,
                                            #   ActiveSeg's own export of the models it loaded from the torch files
  python make_exported_model.py --check     # loads activeseg_*.safetensors into the same networks with
                                            #   load_state_dict(strict=True) and records their logits in checked.json
The tests then check, without PyTorch: the torch files load into ActiveSeg's networks and give PyTorch's logits, and
ActiveSeg's export of them is byte for byte the file PyTorch was shown to load with the same logits.
The networks are WSL4MIS networks/unet.py UNet and UNet_CCT (Tests/NeuralNetTests/Fixtures/wsl4mis_unet.py).
"""
import hashlib, json, os, sys

import torch
from safetensors.torch import load_file, save_file

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "..", "NeuralNetTests", "Fixtures"))
from wsl4mis_unet import UNet, UNetCCT  # noqa: E402

CHANNELS, DROPOUT, CLASSES = [4, 8, 16], [0.05, 0.1, 0.2], 4
torch.set_num_threads(1)


def networks():
    """The two networks with seeded weights and non-trivial batch-norm statistics, in eval mode."""
    torch.manual_seed(0)
    made = {"unet": UNet(1, CLASSES, CHANNELS, DROPOUT), "unet_cct": UNetCCT(1, CLASSES, CHANNELS, DROPOUT, 0.5)}
    for net in made.values():
        for module in net.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.running_mean.uniform_(-0.2, 0.2)
                module.running_var.uniform_(0.5, 1.5)
        net.eval()
    return made


def main_logits(net, x):
    with torch.no_grad():
        out = net(x)
    return out[0] if isinstance(out, tuple) else out


def flat(t):
    return [float(f"{v:.8g}") for v in t.reshape(-1).tolist()]


def sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


torch.manual_seed(1)
x = torch.rand(2, 1, 16, 16)

if "--check" not in sys.argv:
    result = {"channels": CHANNELS, "dropout": DROPOUT, "classes": CLASSES, "x": {"shape": list(x.shape), "data": flat(x)}}
    for name, net in networks().items():
        save_file(net.state_dict(), os.path.join(here, f"torch_{name}.safetensors"))
        logits = main_logits(net, x)
        result[name] = {"shape": list(logits.shape), "data": flat(logits)}
    json.dump(result, open(os.path.join(here, "logits.json"), "w"))
    print("wrote torch_unet.safetensors, torch_unet_cct.safetensors, logits.json (torch %s)" % torch.__version__)
else:
    reference = json.load(open(os.path.join(here, "logits.json")))
    checked = {}
    for name, net in networks().items():
        path = os.path.join(here, f"activeseg_{name}.safetensors")
        fresh = (UNet(1, CLASSES, CHANNELS, DROPOUT) if name == "unet" else UNetCCT(1, CLASSES, CHANNELS, DROPOUT, 0.5)).eval()
        missing, unexpected = fresh.load_state_dict(load_file(path), strict=True)
        logits = main_logits(fresh, x)
        expected = torch.tensor(reference[name]["data"]).reshape(reference[name]["shape"])
        difference = float((logits - expected).abs().max())
        assert difference < 1e-5, f"{path}: logits differ from the torch file's by {difference}"
        checked[name] = {"file": os.path.basename(path), "sha256": sha256(path), "max_abs_difference": difference,
                         "loaded_with": "safetensors.torch.load_file + load_state_dict(strict=True), torch %s" % torch.__version__}
        print(f"{path}: PyTorch loads it, logits within {difference:.2g} of the torch file's")
    json.dump(checked, open(os.path.join(here, "checked.json"), "w"), indent=1)

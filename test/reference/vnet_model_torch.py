# Reference for src/engine/model (test helper, run by vitest through /usr/bin/python3):
# the UA-MT/DTC V-Net in PyTorch (float64), fed the TF.js weights, so the TF.js forward pass,
# its gradients and the BatchNorm running-statistics update can be compared number by number.
#
# Usage: vnet_model_torch.py count CONFIG_JSON   -> prints sum(p.numel() for p in parameters())
#        vnet_model_torch.py DIR
#   DIR/in.json  {"config": ResolvedVNetConfig, "tensors": {name: {"shape", "offset", "size"}}}
#   DIR/in.bin   float32 little-endian values; names are the TF.js parameter keys plus
#                "input", "r_logits", "r_sdm" (loss weights), all channels-last.
# Writes DIR/out.json + DIR/out.bin in the same layout: logits, sdm, bottleneck, features
# (training pass), eval_logits (eval pass with the updated running stats), grad:<key> and
# moving:<key> for every parameter.
import json
import sys

import numpy as np
import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)


def load(folder):
    manifest = json.load(open(f"{folder}/in.json"))
    raw = np.fromfile(f"{folder}/in.bin", dtype="<f4")
    tensors = {}
    for name, e in manifest["tensors"].items():
        tensors[name] = raw[e["offset"] : e["offset"] + e["size"]].reshape(e["shape"]).astype(np.float64)
    return manifest["config"], tensors


def to_torch_kernel(w):
    # TF.js conv [k,k,k,in,out] -> Conv3d [out,in,k,k,k];
    # TF.js transposed [2,2,2,out,in] -> ConvTranspose3d [in,out,2,2,2]: the same permutation.
    return torch.from_numpy(np.ascontiguousarray(w.transpose(4, 3, 0, 1, 2)))


def from_torch_kernel(w):
    return w.permute(2, 3, 4, 1, 0).detach().numpy()


class Unit(nn.Module):
    """conv (or transposed conv) + optional BN + ReLU, one UA-MT block stage."""

    def __init__(self, conv, channels, cfg):
        super().__init__()
        self.conv = conv
        self.bn = None
        if cfg["normalization"] == "batch":
            self.bn = nn.BatchNorm3d(channels, eps=cfg["bnEpsilon"], momentum=cfg["bnMomentum"])

    def forward(self, x):
        x = self.conv(x)
        if self.bn is not None:
            x = self.bn(x)
        return torch.relu(x)


class VNetRef(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        depth, f = cfg["depth"], cfg["baseFilters"]
        ch = [f * 2**level for level in range(depth + 1)]
        # ModuleDict keys cannot contain dots; keep the TF.js keys beside it.
        self.units = nn.ModuleDict()
        self.keys = []
        for level in range(depth + 1):
            for j in range(cfg["stageConvs"][level]):
                cin = cfg["inChannels"] if (level == 0 and j == 0) else ch[level]
                self.add(f"enc{level}.conv{j}", Unit(nn.Conv3d(cin, ch[level], 3, padding=1), ch[level], cfg))
            if level < depth:
                self.add(f"down{level}", Unit(nn.Conv3d(ch[level], ch[level + 1], 2, stride=2), ch[level + 1], cfg))
        for level in range(depth - 1, -1, -1):
            self.add(f"up{level}", Unit(nn.ConvTranspose3d(ch[level + 1], ch[level], 2, stride=2), ch[level], cfg))
            for j in range(cfg["decoderConvs"][depth - 1 - level]):
                self.add(f"dec{level}.conv{j}", Unit(nn.Conv3d(ch[level], ch[level], 3, padding=1), ch[level], cfg))
        self.seg = nn.Conv3d(ch[0], cfg["numClasses"], 1)
        self.sdm = nn.Conv3d(ch[0], cfg["numClasses"] - 1, 1) if cfg["sdmHead"] else None

    def add(self, key, unit):
        self.units[key.replace(".", "_")] = unit
        self.keys.append(key)

    def unit(self, key):
        return self.units[key.replace(".", "_")]

    def block(self, prefix, n, x):
        for j in range(n):
            x = self.unit(f"{prefix}.conv{j}")(x)
        return x

    def forward(self, x):
        cfg, depth = self.cfg, self.cfg["depth"]
        skips = []
        for level in range(depth):
            x = self.block(f"enc{level}", cfg["stageConvs"][level], x)
            skips.append(x)
            x = self.unit(f"down{level}")(x)
        bottleneck = self.block(f"enc{depth}", cfg["stageConvs"][depth], x)
        x = bottleneck
        for level in range(depth - 1, -1, -1):
            x = self.unit(f"up{level}")(x) + skips[level]
            x = self.block(f"dec{level}", cfg["decoderConvs"][depth - 1 - level], x)
        sdm = torch.tanh(self.sdm(x)) if self.sdm is not None else None
        return self.seg(x), sdm, bottleneck, x

    def named_tf_params(self):
        """(tf key, torch tensor, kind) for every parameter and BN buffer."""
        out = []
        for key in self.keys:
            unit = self.unit(key)
            out += [(f"{key}.kernel", unit.conv.weight, "kernel"), (f"{key}.bias", unit.conv.bias, "vec")]
            if unit.bn is not None:
                out += [
                    (f"{key}.bn.gamma", unit.bn.weight, "vec"),
                    (f"{key}.bn.beta", unit.bn.bias, "vec"),
                    (f"{key}.bn.movingMean", unit.bn.running_mean, "vec"),
                    (f"{key}.bn.movingVariance", unit.bn.running_var, "vec"),
                ]
        out += [("head.seg.kernel", self.seg.weight, "kernel"), ("head.seg.bias", self.seg.bias, "vec")]
        if self.sdm is not None:
            out += [("head.sdm.kernel", self.sdm.weight, "kernel"), ("head.sdm.bias", self.sdm.bias, "vec")]
        return out


def to_cl(t):
    return t.permute(0, 2, 3, 4, 1).detach().numpy()


def from_cl(a):
    return torch.from_numpy(np.ascontiguousarray(a.transpose(0, 4, 1, 2, 3)))


def main(folder):
    cfg, tensors = load(folder)
    net = VNetRef(cfg)
    params = net.named_tf_params()
    with torch.no_grad():
        for key, t, kind in params:
            t.copy_(to_torch_kernel(tensors[key]) if kind == "kernel" else torch.from_numpy(tensors[key]))
    net.train()
    logits, sdm, bottleneck, features = net(from_cl(tensors["input"]))
    loss = (logits * from_cl(tensors["r_logits"])).sum()
    if sdm is not None:
        loss = loss + (sdm * from_cl(tensors["r_sdm"])).sum()
    loss.backward()
    results = {"logits": to_cl(logits), "bottleneck": to_cl(bottleneck), "features": to_cl(features)}
    if sdm is not None:
        results["sdm"] = to_cl(sdm)
    for key, t, kind in params:
        if t.requires_grad:
            results[f"grad:{key}"] = from_torch_kernel(t.grad) if kind == "kernel" else t.grad.numpy()
        else:
            results[f"moving:{key}"] = t.detach().numpy()
    net.eval()
    with torch.no_grad():
        results["eval_logits"] = to_cl(net(from_cl(tensors["input"]))[0])
    manifest, chunks, offset = {}, [], 0
    for name, a in results.items():
        flat = np.asarray(a, dtype="<f4").ravel()
        manifest[name] = {"shape": list(a.shape), "offset": offset, "size": int(flat.size)}
        chunks.append(flat)
        offset += flat.size
    np.concatenate(chunks).tofile(f"{folder}/out.bin")
    json.dump({"tensors": manifest}, open(f"{folder}/out.json", "w"))


if __name__ == "__main__":
    if sys.argv[1] == "count":
        print(sum(p.numel() for p in VNetRef(json.loads(sys.argv[2])).parameters()))
    else:
        main(sys.argv[1])

# PyTorch reference for the SimCVD loss integration test (Debian Python, run by Vitest), written
# from the method text (docs simcvd.md §2, UA-MT/DTC conventions) in PyTorch's own idioms:
# channels-first tensors, F.cross_entropy, F.adaptive_avg_pool2d, nn.AlphaDropout, nn.Linear.
#
# Usage: losses_torch.py <request.json>  → JSON on stdout.
# Tensors arrive channels-last and flat ({"shape": [...], "data": [...]}); every gradient is sent
# back in the same layout. Computation is float64.
import json
import math
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def tensor(spec, grad=False):
    t = torch.tensor(spec["data"], dtype=torch.float64).reshape(spec["shape"])
    return t.requires_grad_(grad)


def flat(t):
    return t.detach().reshape(-1).tolist()


def channels_first(t):
    return t.permute(0, t.dim() - 1, *range(1, t.dim() - 1))


# ---- losses, as the method text states them -------------------------------------------------


def dice_loss(score, target, smooth=1e-5):
    # UA-MT dice_loss on one class map, sums over the whole labeled sub-batch
    intersect = torch.sum(score * target)
    return 1 - (2 * intersect + smooth) / (torch.sum(score * score) + torch.sum(target * target) + smooth)


def multiclass_dice(probs_cf, onehot_cf):
    # foreground classes only (class 1 alone for 2 classes), averaged
    k = probs_cf.shape[1]
    return sum(dice_loss(probs_cf[:, c], onehot_cf[:, c]) for c in range(1, k)) / (k - 1)


def supervised(logits_cl, labels, sdm_pred, sdm_target):
    logits = channels_first(logits_cl)
    k = logits.shape[1]
    onehot = channels_first(F.one_hot(labels, k).to(torch.float64))
    ce = F.cross_entropy(logits, labels)
    dice = multiclass_dice(torch.softmax(logits, dim=1), onehot)
    mse = F.mse_loss(sdm_pred, sdm_target)
    return 0.5 * ce + 0.5 * dice + 0.1 * mse, ce, dice, mse


def info_nce_symmetric(zs, zt, tau):
    zs = F.normalize(zs, dim=1)
    zt = F.normalize(zt.detach(), dim=1)
    logits = zs @ zt.t() / tau
    target = torch.arange(zs.shape[0])
    return 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target))


def pairwise_distillation(sb, tb):
    n, c = sb.shape[0], sb.shape[-1]
    s = sb.reshape(n, -1, c)
    t = tb.detach().reshape(n, -1, c)
    total = 0
    for i in range(n):
        cos = F.cosine_similarity(s[i][:, None, :], t[i][None, :, :], dim=-1)
        total = total + F.cross_entropy(cos, torch.arange(cos.shape[0]), reduction="sum")
    return total / n


def sigmoid_rampup(current, rampup_length):
    if rampup_length == 0:
        return 1.0
    current = min(max(current, 0.0), rampup_length)
    phase = 1.0 - current / rampup_length
    return float(math.exp(-5.0 * phase * phase))


def ramp(iteration, max_iterations, step=150):
    return sigmoid_rampup(iteration // step, max_iterations / step)


class Head(torch.nn.Module):
    def __init__(self, weights, biases, pool, p):
        super().__init__()
        self.drop = torch.nn.AlphaDropout(p)
        self.pool = pool
        layers = []
        for w, b in zip(weights, biases):
            lin = torch.nn.Linear(w.shape[0], w.shape[1])
            with torch.no_grad():
                lin.weight.copy_(w.t())
                lin.bias.copy_(b)
            layers.append(lin)
        self.layers = torch.nn.ModuleList(layers)

    def forward(self, q, axis):
        x = self.drop(q)[..., 0]  # [N, D, H, W]
        x = {"D": x, "H": x.permute(0, 2, 1, 3), "W": x.permute(0, 3, 1, 2)}[axis]
        n, s = x.shape[0], x.shape[1]
        x = F.adaptive_avg_pool2d(x.reshape(n * s, 1, *x.shape[2:]), self.pool).flatten(1)
        for i, lin in enumerate(self.layers):
            x = lin(x)
            if i < len(self.layers) - 1:
                x = F.relu(x)
        return F.normalize(x, dim=1)


# ---- cases -----------------------------------------------------------------------------------


def case_dice(c):
    probs = tensor(c["probs"], True)
    onehot = tensor(c["oneHot"])
    loss = multiclass_dice(channels_first(probs), channels_first(onehot))
    loss.backward()
    return {"value": loss.item(), "grad": flat(probs.grad)}


def case_ce(c):
    logits = tensor(c["logits"], True)
    labels = tensor(c["labels"]).long()
    loss = F.cross_entropy(channels_first(logits), labels)
    loss.backward()
    return {"value": loss.item(), "grad": flat(logits.grad)}


def case_supervised(c):
    logits = tensor(c["logits"], True)
    sdm_pred = tensor(c["sdmPred"], True)
    total, ce, dice, mse = supervised(
        logits, tensor(c["labels"]).long(), sdm_pred, tensor(c["sdmTarget"])
    )
    total.backward()
    return {
        "value": total.item(),
        "ce": ce.item(),
        "dice": dice.item(),
        "sdm": mse.item(),
        "gradLogits": flat(logits.grad),
        "gradSdm": flat(sdm_pred.grad),
    }


def case_consistency(c):
    s = tensor(c["student"], True)
    t = tensor(c["teacher"], True)
    loss = F.mse_loss(s, t.detach())
    loss.backward()
    return {"value": loss.item(), "grad": flat(s.grad)}


def case_pool(c):
    x = tensor(c["x"])
    return {"value": flat(F.adaptive_avg_pool2d(x[:, None], c["out"])[:, 0])}


def case_alpha_dropout(c):
    out = {}
    for p in c["rates"]:
        zeros = F.alpha_dropout(torch.zeros(200000), p, True).unique().tolist()
        ones = F.alpha_dropout(torch.ones(200000), p, True).unique().tolist()
        out[str(p)] = {"zeros": zeros, "ones": ones}
    x = torch.linspace(-3, 3, 11)
    identity = torch.equal(torch.nn.AlphaDropout(0.0).train()(x), x)
    return {"values": out, "identityAtZero": identity}


def case_projection(c):
    weights = [tensor(w, True) for w in c["weights"]]
    biases = [tensor(b) for b in c["biases"]]
    head = Head(weights, biases, c["pool"], 0.0).train()
    q = tensor(c["q"], True)
    emb = head(q, c["axis"])
    loss = torch.sum(emb * tensor(c["target"]))
    loss.backward()
    return {
        "embeddings": flat(emb),
        "gradQ": flat(q.grad),
        "gradW0": flat(head.layers[0].weight.grad.t()),
    }


def case_contrastive(c):
    zs = tensor(c["student"], True)
    loss = info_nce_symmetric(zs, tensor(c["teacher"]), c["temperature"])
    loss.backward()
    return {"value": loss.item(), "grad": flat(zs.grad)}


def case_pd(c):
    sb = tensor(c["student"], True)
    loss = pairwise_distillation(sb, tensor(c["teacher"]))
    loss.backward()
    return {"value": loss.item(), "grad": flat(sb.grad)}


def case_ramp(c):
    return {"values": [ramp(i, c["maxIterations"]) for i in c["iterations"]]}


def case_total(c):
    logits = tensor(c["logits"], True)
    sdm_pred = tensor(c["sdmPred"], True)
    u_logits = tensor(c["unlabeledLogits"], True)
    zs = tensor(c["studentEmb"], True)
    sb = tensor(c["studentBottleneck"], True)
    sup, _, _, _ = supervised(logits, tensor(c["labels"]).long(), sdm_pred, tensor(c["sdmTarget"]))
    con = F.mse_loss(torch.softmax(u_logits, -1), torch.softmax(tensor(c["teacherLogits"]), -1))
    contrast = info_nce_symmetric(zs, tensor(c["teacherEmb"]), 0.5)
    pd = pairwise_distillation(sb, tensor(c["teacherBottleneck"]))
    psi = ramp(c["iteration"], c["maxIterations"])
    total = sup + psi * (0.5 * contrast + 0.1 * pd + 0.1 * con)
    total.backward()
    return {
        "value": total.item(),
        "ramp": psi,
        "gradLogits": flat(logits.grad),
        "gradSdm": flat(sdm_pred.grad),
        "gradUnlabeledLogits": flat(u_logits.grad),
        "gradStudentEmb": flat(zs.grad),
        "gradStudentBottleneck": flat(sb.grad),
    }


def case_partial(c):
    # A partially labeled batch, nnU-Net v2's way: unannotated voxels carry an ignore value,
    # which CE skips (ignore_index) and Dice masks out of both prediction and target; the SDM
    # MSE runs over the voxels whose SDM target is known.
    logits = tensor(c["logits"], True)
    sdm_pred = tensor(c["sdmPred"], True)
    known = tensor(c["known"]).bool()
    sdm_known = tensor(c["sdmKnown"]).bool()
    labels = tensor(c["labels"]).long()
    ignore = 255
    target = torch.where(known, labels, torch.full_like(labels, ignore))
    lf = channels_first(logits)
    k = lf.shape[1]
    ce = F.cross_entropy(lf, target, ignore_index=ignore)
    valid = known.unsqueeze(1).to(torch.float64)
    onehot = channels_first(F.one_hot(labels, k).to(torch.float64)) * valid
    dice = multiclass_dice(torch.softmax(lf, dim=1) * valid, onehot)
    diff = ((sdm_pred - tensor(c["sdmTarget"])) ** 2).mean(dim=-1)
    mse = diff[sdm_known].mean()
    total = 0.5 * ce + 0.5 * dice + 0.1 * mse
    total.backward()
    return {
        "value": total.item(),
        "ce": ce.item(),
        "dice": dice.item(),
        "sdm": mse.item(),
        "gradLogits": flat(logits.grad),
        "gradSdm": flat(sdm_pred.grad),
    }


CASES = {
    "partial": case_partial,
    "dice": case_dice,
    "ce": case_ce,
    "supervised": case_supervised,
    "consistency": case_consistency,
    "pool": case_pool,
    "alphaDropout": case_alpha_dropout,
    "projection": case_projection,
    "contrastive": case_contrastive,
    "pd": case_pd,
    "ramp": case_ramp,
    "total": case_total,
}


def main():
    with open(sys.argv[1]) as f:
        request = json.load(f)
    torch.manual_seed(0)
    results = [CASES[c["kind"]](c) for c in request["cases"]]
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main()

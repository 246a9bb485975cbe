"""PyTorch counterpart of one SimCVD training step for bench/train.bench.ts: the same V-Net
(test/reference/vnet_model_torch.py), the same batch (L labeled + U unlabeled patches for the
student, U for the EMA teacher without gradients), CE + Dice + SDM + consistency losses, SGD
with momentum, float32 on the CPU. Prints JSON: ms per iteration and peak RSS."""
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "test", "reference"))
import torch  # noqa: E402
from vnet_model_torch import VNetRef  # noqa: E402

torch.set_default_dtype(torch.float32)
spec = json.loads(sys.argv[1])
cfg, (pi, pj, pk) = spec["network"], spec["patchSize"]
L, U, iterations = spec["labeled"], spec["unlabeled"], spec["iterations"]
torch.manual_seed(0)
student, teacher = VNetRef(cfg), VNetRef(cfg)
teacher.load_state_dict(student.state_dict())
for p in teacher.parameters():
    p.requires_grad_(False)
opt = torch.optim.SGD(student.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
x = torch.randn(L + U, 1, pk, pj, pi)
y = (torch.rand(L, pk, pj, pi) > 0.7).long()
sdm_t = torch.rand(L, 1, pk, pj, pi) * 2 - 1


def step():
    with torch.no_grad():
        t_logits, _, _, _ = teacher(x[L:] + torch.clamp(torch.randn_like(x[L:]) * 0.1, -0.2, 0.2))
    logits, sdm, _, _ = student(x)
    probs = torch.softmax(logits, 1)
    ce = torch.nn.functional.cross_entropy(logits[:L], y)
    fg = probs[:L, 1]
    g = (y == 1).float()
    dice = 1 - (2 * (fg * g).sum() + 1e-5) / ((fg * fg).sum() + (g * g).sum() + 1e-5)
    loss = 0.5 * ce + 0.5 * dice + 0.1 * ((sdm[:L] - sdm_t) ** 2).mean()
    loss = loss + 0.1 * ((probs[L:] - torch.softmax(t_logits, 1)) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():
        for tp, sp in zip(teacher.parameters(), student.parameters()):
            tp.mul_(0.99).add_(sp, alpha=0.01)


step()  # warm-up
start = time.perf_counter()
for _ in range(iterations):
    step()
ms = (time.perf_counter() - start) * 1000 / iterations
print(json.dumps({"msPerIteration": ms, "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "threads": torch.get_num_threads()}))

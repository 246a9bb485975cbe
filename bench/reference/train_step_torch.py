"""PyTorch counterpart of one SimCVD training step for bench/train.bench.ts: the same V-Net
(test/reference/vnet_model_torch.py), the same batch (L labeled + U unlabeled patches for the
student, U for the EMA teacher without gradients), CE + Dice + SDM + consistency losses, SGD
with momentum, float32 (TF32 off) on the CPU with spec["threads"] threads, or on CUDA when
spec["device"] is "cuda" and a GPU is visible. Prints JSON: ms per iteration, peak RSS and
peak GPU memory, or {"unavailable": why}."""
import json
import os
import resource
import sys
import time

# The model beside this file (the GPU kit carries it there), else the repository's test copy.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "test", "reference"))
sys.path.insert(0, os.path.dirname(__file__))
import torch  # noqa: E402
from vnet_model_torch import VNetRef  # noqa: E402

torch.set_default_dtype(torch.float32)
spec = json.loads(sys.argv[1])
device = spec.get("device", "cpu")
if device == "cuda":
    if not torch.cuda.is_available():
        print(json.dumps({"unavailable": "PyTorch sees no CUDA GPU"}))
        sys.exit(0)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.benchmark = True
if spec.get("threads"):
    torch.set_num_threads(int(spec["threads"]))
cfg, (pi, pj, pk) = spec["network"], spec["patchSize"]
L, U, iterations = spec["labeled"], spec["unlabeled"], spec["iterations"]
torch.manual_seed(0)
student, teacher = VNetRef(cfg).to(device), VNetRef(cfg).to(device)
teacher.load_state_dict(student.state_dict())
for p in teacher.parameters():
    p.requires_grad_(False)
opt = torch.optim.SGD(student.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
x = torch.randn(L + U, 1, pk, pj, pi, device=device)
y = (torch.rand(L, pk, pj, pi, device=device) > 0.7).long()
sdm_t = torch.rand(L, 1, pk, pj, pi, device=device) * 2 - 1


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


def sync():
    if device == "cuda":
        torch.cuda.synchronize()


step()  # warm-up
sync()
start = time.perf_counter()
for _ in range(iterations):
    step()
sync()
ms = (time.perf_counter() - start) * 1000 / iterations
result = {
    "msPerIteration": ms,
    "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "threads": torch.get_num_threads(),
    "device": torch.cuda.get_device_name(0) if device == "cuda" else "cpu",
}
if device == "cuda":
    result["peakGpuMiB"] = torch.cuda.max_memory_allocated() / 2**20
print(json.dumps(result))

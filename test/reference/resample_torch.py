"""Reference for src/engine/data/resample.ts: PyTorch trilinear (align_corners=False) and
nearest-exact interpolation. Reads a float32 volume (i-fastest) from argv[1], writes results."""
import json
import sys

import numpy as np
import torch

src, out_linear, out_nearest = sys.argv[1], sys.argv[2], sys.argv[3]
nx, ny, nz, mx, my, mz = (int(v) for v in sys.argv[4:10])
vol = np.fromfile(src, dtype=np.float32).reshape(nz, ny, nx)
t = torch.from_numpy(vol)[None, None]
lin = torch.nn.functional.interpolate(t, size=(mz, my, mx), mode="trilinear", align_corners=False)
near = torch.nn.functional.interpolate(t, size=(mz, my, mx), mode="nearest-exact")
lin[0, 0].numpy().astype(np.float32).tofile(out_linear)
near[0, 0].numpy().astype(np.float32).tofile(out_nearest)
print(json.dumps({"ok": True}))

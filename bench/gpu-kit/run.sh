#!/usr/bin/env bash
# GPU kit, on a GPU machine without network (unpacked from gpu-kit.tar.xz): installs the Vulkan
# loader it carries, finds the NVIDIA Vulkan driver, then runs the WebGPU correctness checks
# and bench:train on the GPU with PyTorch (CUDA) beside it. Results also go to $OUT if set.
# PROFILES (default tiny,quick,paper) and ITERATIONS (default 3) choose the bench's work.
set -uo pipefail
cd "$(dirname "$0")"
for deb in debs/*.deb; do dpkg -x "$deb" /; done
ldconfig 2>/dev/null || true
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ] && [ -f "$nvidia_icd" ]; then
  export VK_DRIVER_FILES="$nvidia_icd"
fi
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
export SIMCVD_PYTHON="${SIMCVD_PYTHON:-$(command -v python3 || echo /usr/bin/python3)}"
out="${OUT:-.}"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$out/gpu.txt"
./node check.mjs 2>&1 | tee "$out/gpu-check.txt"
status=${PIPESTATUS[0]}
./node train.bench.mjs --backend webgpu --profiles "${PROFILES:-tiny,quick,paper}" \
  --iterations "${ITERATIONS:-3}" 2>&1 | tee "$out/bench-train.txt"
exit "$status"

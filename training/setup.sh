#!/usr/bin/env bash
# Install the Debian packages the training module needs (idempotent; quiet when everything is present).
# The module uses the system Python (/usr/bin/python3) with Debian's python3-torch and friends; no pip.
set -euo pipefail
PY=${PYTHON:-/usr/bin/python3}
PKGS=(python3-torch python3-torchvision python3-onnx python3-sklearn python3-scipy python3-pil
      python3-matplotlib python3-pytest python3-tqdm python3-numpy python3-h5py)
if "$PY" -c 'import torch, torchvision, onnx, sklearn, scipy, PIL, matplotlib, pytest, tqdm, numpy, h5py' 2>/dev/null; then
  exit 0
fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
"$PY" -c 'import torch, torchvision, onnx, sklearn, scipy, PIL, matplotlib, pytest, tqdm, numpy, h5py' \
  || { echo "setup.sh: packages installed but $PY cannot import them" >&2; exit 1; }

#!/usr/bin/env bash
# Run the training CLI from anywhere: training/cli.sh <command> [options]  (see training/README.md)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# glibc would hand PyTorch's large activation buffers back to the kernel after every step and fault them in
# again; keeping them mapped makes a CPU training step ~2.5x faster (docs/model-card.md, training speed)
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-17179869184}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-17179869184}"
PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}" exec "${PYTHON:-/usr/bin/python3}" -m lesion_training "$@"

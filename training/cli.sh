#!/usr/bin/env bash
# Run the training CLI from anywhere: training/cli.sh <command> [options]  (see training/README.md)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# glibc would hand PyTorch's large activation buffers back to the kernel after every step and fault them in
# again; keeping them mapped makes a CPU training step ~2.5x faster (docs/model-card.md, training speed)
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-17179869184}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-17179869184}"
# OpenMP threads that wait at a barrier sleep instead of spinning: on the two cores shared with builds, a
# spinning thread holds a core the other thread needs, and a 2-thread MobileNetV2 step took 8-9 s instead of
# 0.55 s (training/notes/triagenet-3.0.0-wip.md)
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}" exec "${PYTHON:-/usr/bin/python3}" -m lesion_training "$@"

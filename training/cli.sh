#!/usr/bin/env bash
# Run the training CLI from anywhere: training/cli.sh <command> [options]  (see training/README.md)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}" exec "${PYTHON:-/usr/bin/python3}" -m lesion_training "$@"

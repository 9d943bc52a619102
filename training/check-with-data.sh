#!/usr/bin/env bash
# Data-dependent checks (CI runs this when ../shared/data/isic exists next to the repository):
#  1. verify the data folder against MANIFEST.tsv (sha256 of every file);
#  2. smoke training on the real data: 1 epoch on a ~200-image stratified subset, evaluate, export, golden check;
#  3. the committed model: metadata consistent with its card, golden tensors + probabilities reproduce
#     (NumPy evaluation of model.onnx), and the manifest it was trained on is this data folder's.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
DATA="${1:-$REPO/../shared/data/isic}"
CLI="$HERE/cli.sh"
if [ ! -f "$DATA/MANIFEST.tsv" ]; then
  echo "check-with-data: no data set at $DATA (skipped)"; exit 0
fi
"$CLI" verify-data --data "$DATA"
"$CLI" smoke --data "$DATA" --limit 200 --threads "${THREADS:-2}" --no-progress
for dir in "$REPO"/models/*/*/; do
  [ -f "$dir/model.onnx" ] || continue
  "$CLI" golden --model-dir "$dir" --check
  PYTHONPATH="$HERE" "${PYTHON:-/usr/bin/python3}" -m lesion_training.consistency "$dir" --data "$DATA"
done
echo "check-with-data: OK"

#!/usr/bin/env bash
# Install kubectl for the offline checks of k8s/ (idempotent; quiet when one is present, or $KUBECTL names one).
# Debian's kubernetes-client (kubectl 1.20, kustomize v2.0.3) is enough: the manifests use only what it renders.
set -euo pipefail
if command -v "${KUBECTL:-kubectl}" >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing: kubernetes-client"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
command -v kubectl >/dev/null || { echo "deploy/setup.sh: kubernetes-client installed but no kubectl on PATH" >&2; exit 1; }

#!/usr/bin/env bash
# Installs what the dashboard's browser tests need: Debian's chromium and chromium-driver (idempotent; quiet when
# both are present). The tests drive /usr/bin/chromium through /usr/bin/chromedriver with Selenium from Maven.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing: chromium chromium-driver"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
/usr/bin/chromedriver --version >/dev/null \
  || { echo "setup-browser.sh: chromium-driver installed but /usr/bin/chromedriver does not run" >&2; exit 1; }

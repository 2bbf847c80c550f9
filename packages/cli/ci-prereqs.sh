#!/usr/bin/env bash
# Installs squid (Debian's package) for @finauth/cli's doctor egress-proxy tests when it is missing.
# The tests start their own squid on 127.0.0.1 and a free port; nothing is started here.
set -euo pipefail

if command -v squid >/dev/null 2>&1; then
  echo "squid present: $(squid -v | head -1)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "squid is missing and this user cannot install packages (not root, no sudo)" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends squid
# Debian's package may start a system service on 3128; the tests do not use it.
command -v squid >/dev/null 2>&1 || { echo "squid still missing after apt-get install" >&2; exit 1; }
echo "installed: $(squid -v | head -1)"

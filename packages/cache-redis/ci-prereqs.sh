#!/usr/bin/env bash
# Installs redis-server (Debian's package) for @finauth/cache-redis's tests when it is missing.
# The tests start their own server on 127.0.0.1 and a free port; nothing is started here.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
  echo "redis-server present: $(redis-server --version)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "redis-server is missing and this user cannot install packages (not root, no sudo)" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends redis-server
# Debian's package may start a system service on 6379; the tests do not use it.
command -v redis-server >/dev/null 2>&1 || { echo "redis-server still missing after apt-get install" >&2; exit 1; }
echo "installed: $(redis-server --version)"

#!/usr/bin/env bash
# Installs SoftHSM2 (Debian's softhsm2: softhsm2-util and /usr/lib/softhsm/libsofthsm2.so) for
# @finauth/signer-pkcs11's tests when it is missing. The tests make their own token directory
# (SOFTHSM2_CONF in a temporary folder); the system token directory is never touched.
# pkcs11js itself is built from source by `npm ci` (node-gyp: python3, make, g++).
set -euo pipefail

if command -v softhsm2-util >/dev/null 2>&1 && [ -f /usr/lib/softhsm/libsofthsm2.so ]; then
  echo "softhsm2 present: $(softhsm2-util --version)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "softhsm2 is missing and this user cannot install packages (not root, no sudo): apt-get install softhsm2" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends softhsm2
command -v softhsm2-util >/dev/null 2>&1 || { echo "softhsm2-util still missing after apt-get install" >&2; exit 1; }
echo "installed: $(softhsm2-util --version)"

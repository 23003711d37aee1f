#!/usr/bin/env bash
# Installs what building and testing Dangan needs on Debian (run as root, or with sudo).
# Rust itself comes from rustup (https://rustup.rs); everything else is here.
set -euo pipefail

need=()
command -v cc >/dev/null || need+=(build-essential)      # the bundled SQLite is C
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v setpriv >/dev/null || need+=(util-linux)      # tests act as an unprivileged user

if [ ${#need[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
command -v cargo >/dev/null || { echo "Rust is missing: install it from https://rustup.rs" >&2; exit 1; }
echo "setup: all build and test dependencies are present"

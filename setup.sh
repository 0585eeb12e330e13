#!/bin/sh
# setup.sh — the quick start in one command: install the Debian packages the
# build needs (only those missing), build mrsc and its runtime, and run an
# example. `./setup.sh --deps-only` stops after the packages.
set -e
cd "$(dirname "$0")"
pkgs="build-essential flex bison check pkg-config autoconf automake libtool"
missing=
for p in $pkgs; do
    dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
    sudo=
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    echo "setup.sh: installing$missing"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
fi
[ "${1:-}" = --deps-only ] && exit 0
autoreconf -fi
./configure
make -j2
./mrsc --run examples/hello.mrs

#!/usr/bin/env sh
# Installs the Debian packages of the real servers the tests start (PostgreSQL), where missing.
# Part of the README's test command; a no-op on a machine that has them.
set -eu
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
echo "installing Debian's postgresql (the tests start a real server)"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null

#!/usr/bin/env sh
# Installs the Debian packages of the real programs the tests start, where missing: PostgreSQL
# (a real server) and Chromium (the report is opened in a real headless browser, at
# /usr/bin/chromium). Part of the README's test command; a no-op on a machine that has them.
set -eu
MISSING=""
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || MISSING="postgresql"
[ -x /usr/bin/chromium ] || MISSING="$MISSING chromium"
if [ -z "$MISSING" ]; then
    exit 0
fi
echo "installing Debian's$(printf ' %s' $MISSING) (the tests start them)"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get update -qq
# shellcheck disable=SC2086  # one word per package
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $MISSING >/dev/null

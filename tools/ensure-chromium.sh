#!/usr/bin/env bash
# The browser test drives Debian's Chromium through Playwright; install it when it is missing.
# (Playwright's own browser download is never used: it needs hosts outside the package registries.)
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
echo "installing Debian's chromium for the browser test ..."
if [ "$(id -u)" = 0 ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
elif command -v sudo >/dev/null; then
    sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
else
    echo "error: /usr/bin/chromium is missing and this user cannot install it;" \
         "run 'apt-get install chromium' as root, then make test again." >&2
    exit 1
fi

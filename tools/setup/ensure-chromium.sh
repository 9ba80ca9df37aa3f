#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through Playwright; install it when it is missing, and a CJK
# font with it (Debian's fonts-noto-cjk): without one, Chromium draws the notebooks' Chinese as boxes.
# (Playwright's own browser download is never used: it needs hosts outside the package registries.)
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed" || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "installing Debian's ${missing[*]} for the browser tests ..."
if [ "$(id -u)" = 0 ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
elif command -v sudo >/dev/null; then
    sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
else
    echo "error: ${missing[*]} missing and this user cannot install packages;" \
         "run 'apt-get install ${missing[*]}' as root, then make test again." >&2
    exit 1
fi

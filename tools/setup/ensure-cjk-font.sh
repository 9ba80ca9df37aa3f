#!/usr/bin/env bash
# The Chinese notebooks' figures need a font with CJK glyphs (else matplotlib draws empty boxes):
# companion/plotting.py tries Noto Sans CJK (Debian's fonts-noto-cjk), PingFang / Heiti / Hiragino
# (macOS) and Microsoft YaHei / SimHei (Windows). On Debian or Ubuntu install fonts-noto-cjk when it is
# missing; elsewhere, or without the rights to install, say what to do and go on (the English
# notebooks do not need it).
set -uo pipefail

command -v dpkg-query >/dev/null || exit 0
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed" && exit 0

echo "installing Debian's fonts-noto-cjk for the Chinese notebooks' figures ..."
if [ "$(id -u)" = 0 ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-cjk && exit 0
elif command -v sudo >/dev/null; then
    sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-cjk && exit 0
fi
echo "warning: fonts-noto-cjk is not installed; the Chinese figures will show empty boxes." \
     "Install it with 'sudo apt-get install fonts-noto-cjk', then restart the kernel." >&2
exit 0

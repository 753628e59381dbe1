#!/usr/bin/env bash
# Debian packages the test suite needs beyond pip: pdftoppm (poppler-utils) renders the annual
# report's PDF pages to PNG; Chromium runs the web platform's end-to-end tests (Playwright drives
# /usr/bin/chromium; `playwright install` would download a browser and fails offline). Installs
# what is missing when run as root with apt-get available, saying first what it installs;
# otherwise says what to install and fails.
set -euo pipefail
need=()
command -v pdftoppm >/dev/null || need+=(poppler-utils)
[ -x /usr/bin/chromium ] || need+=(chromium)
if ! ((${#need[@]})); then
    echo "系统软件包齐全 / system packages present: poppler-utils (pdftoppm), chromium"
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "以 root 身份用 apt-get 安装系统软件包 / installing Debian packages as root with apt-get: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    echo "已安装 / installed: ${need[*]}"
else
    echo "缺少系统软件包 / missing system packages: ${need[*]} (sudo apt-get install ${need[*]})" >&2
    exit 1
fi

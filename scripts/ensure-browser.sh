#!/usr/bin/env bash
# Browser tests drive Debian's Chromium. Install it when we can (root + apt); otherwise say so loudly.
# With PINGAN_REQUIRE_BROWSER=1 (CI) a missing browser is a failure, not a skip.
set -u
# A CJK font too: without one, Chinese labels in screenshots render as empty boxes.
have_browser() {
    command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 &&
        fc-list 2>/dev/null | grep -qiE 'wqy|noto sans cjk'
}

if have_browser; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian chromium, chromium-driver and a CJK font for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null
fi
if have_browser; then
    exit 0
fi
cat >&2 <<'MSG'
************************************************************************
*  Chromium is not installed and could not be installed here.          *
*  Browser tests will be SKIPPED. Install Debian's `chromium` and       *
*  `chromium-driver` packages to run them.                              *
************************************************************************
MSG
if [ "${PINGAN_REQUIRE_BROWSER:-0}" = "1" ]; then
    echo "PINGAN_REQUIRE_BROWSER=1: a missing browser is a failure." >&2
    exit 1
fi
exit 0

#!/usr/bin/env bash
# Some tests drive Debian packages: Chromium (browser tests) and python3-gdal (GDAL's GeoPackage
# validator). Install them when we can (root + apt); otherwise say so loudly.
# With PINGAN_REQUIRE_SYSTEM=1 (CI) a missing package is a failure, not a skip.
set -u
# A CJK font too: without one, Chinese labels in screenshots render as empty boxes.
have_packages() {
    command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 &&
        fc-list 2>/dev/null | grep -qiE 'wqy|noto sans cjk' &&
        test -f /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py
}

if have_packages; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian chromium, chromium-driver, a CJK font and python3-gdal for the tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei python3-gdal >/dev/null
fi
if have_packages; then
    exit 0
fi
cat >&2 <<'MSG'
************************************************************************
*  Chromium or python3-gdal is missing and could not be installed.     *
*  Browser and GeoPackage-validator tests will be SKIPPED. Install      *
*  Debian's chromium, chromium-driver, fonts-wqy-microhei, python3-gdal *
************************************************************************
MSG
if [ "${PINGAN_REQUIRE_SYSTEM:-0}" = "1" ]; then
    echo "PINGAN_REQUIRE_SYSTEM=1: a missing system package is a failure." >&2
    exit 1
fi
exit 0

#!/usr/bin/env bash
# Some tests drive Debian packages: Chromium (browser tests), python3-gdal (GDAL's GeoPackage
# validator) and PostgreSQL with PostGIS (the PostGIS store; the tests start their own server). Install them when we can (root + apt); otherwise say so loudly.
# With PINGAN_REQUIRE_SYSTEM=1 (CI) a missing package is a failure, not a skip.
set -u
# A CJK font too: without one, Chinese labels in screenshots render as empty boxes.
have_packages() {
    command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 &&
        fc-list 2>/dev/null | grep -qiE 'wqy|noto sans cjk' &&
        test -f /usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py &&
        compgen -G '/usr/share/postgresql/*/extension/postgis.control' >/dev/null
}

if have_packages; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian chromium, chromium-driver, a CJK font, python3-gdal and PostGIS for the tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver \
        fonts-wqy-microhei python3-gdal postgresql postgresql-15-postgis-3 >/dev/null
fi
if have_packages; then
    exit 0
fi
cat >&2 <<'MSG'
************************************************************************
*  Chromium, python3-gdal or PostGIS is missing and could not be       *
*  installed. Browser, GeoPackage-validator and PostGIS tests will be   *
*  SKIPPED. Install Debian's chromium, chromium-driver,                 *
*  fonts-wqy-microhei, python3-gdal, postgresql-15-postgis-3            *
************************************************************************
MSG
if [ "${PINGAN_REQUIRE_SYSTEM:-0}" = "1" ]; then
    echo "PINGAN_REQUIRE_SYSTEM=1: a missing system package is a failure." >&2
    exit 1
fi
exit 0

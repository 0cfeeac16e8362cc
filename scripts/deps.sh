#!/bin/sh
# Installs what OpenNOS needs to build, run and test, if it is missing: Debian packages with
# apt-get, front-end and browser-test packages with npm. Safe to run again: it installs only
# what is absent. Needs root or sudo the first time.
set -eu
cd "$(dirname "$0")/.."

APT_PACKAGES="
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libxapian-dev libicu-dev libsodium-dev libkainjow-mustache-dev libcmark-dev zlib1g-dev
  python3 python3-jsonschema chromium curl procps
  clang libfuzzer-14-dev libclang-rt-14-dev
"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

missing=""
for p in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing="$missing $p"
done
# Node.js and npm: Debian's, unless the machine already has its own.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
  echo "deps: installing$missing"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi

# npm packages, pinned in package.json and package-lock.json.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "deps: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

#!/usr/bin/env bash
# Fetch the front-end files we serve ourselves from the npm registry and copy the built files into
# partyedu/core/static/vendor/. Run by hand when upgrading; the results are committed, so a fresh machine (and a
# government intranet) needs neither npm nor the internet.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=partyedu/core/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() { # package@version file-in-package target-name
  (cd "$tmp" && npm pack --silent "$1" >/dev/null)
  local tgz
  tgz=$(ls "$tmp"/*.tgz)
  tar -xzf "$tgz" -C "$tmp"
  cp "$tmp/package/$2" "$dest/$3"
  rm -rf "$tmp/package" "$tgz"
}
fetch htmx.org@2.0.8 dist/htmx.min.js htmx.min.js
fetch echarts@5.6.0 dist/echarts.min.js echarts.min.js
( cd "$dest" && sha256sum htmx.min.js echarts.min.js > SHA256SUMS )
echo "vendored into $dest"

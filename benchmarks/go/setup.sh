#!/usr/bin/env bash
# Sets up the Go side of the side-by-side benchmarks: Prometheus 2.42.0 from Debian's
# source package, built with Debian's Go 1.19 and Go libraries, in GOPATH mode, with this
# folder's benchmark packages linked in. Needs root (apt-get build-dep) on Debian 12.
#
#   benchmarks/go/setup.sh [DEST]        (default: ~/.cache/promtsdb/go)
#   source DEST/env.sh && cd DEST/gopath/src/promtsdbbench/core && go test -run XXX -bench .
#   (benchmarks/go/wal needs PROMTSDB_TESTDATA=<repo>/testdata)
#
# The apt mirror is the one this machine is configured with; no host is named here.
set -euo pipefail
DEST=${1:-$HOME/.cache/promtsdb/go}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$DEST" && DEST=$(cd "$DEST" && pwd)

uri=$(grep -hoE '^URIs:\s*\S+' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1)
[ -n "$uri" ] || { echo "no Debian mirror configured in apt" >&2; exit 1; }
list=/etc/apt/sources.list.d/promtsdb-bookworm-src.sources
if [ ! -f "$list" ]; then
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" > "$list"
  apt-get -qq update
fi
command -v go >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get -y -qq build-dep prometheus >/dev/null
# benchmarks/go/wal decompresses zstd records as Prometheus 3.x does (klauspost/compress).
[ -d /usr/share/gocode/src/github.com/klauspost/compress/zstd ] ||
  DEBIAN_FRONTEND=noninteractive apt-get -y -qq install golang-github-klauspost-compress-dev >/dev/null
if [ ! -d "$DEST/src" ]; then
  mkdir -p "$DEST/src" && (cd "$DEST/src" && apt-get -qq source prometheus=2.42.0+ds-5+deb12u1 >/dev/null 2>&1)
fi
src=$(ls -d "$DEST"/src/prometheus-2.42.0*/ | head -1)
mkdir -p "$DEST/gopath/src/github.com/prometheus" "$DEST/gopath/src/promtsdbbench"
ln -sfn "$src" "$DEST/gopath/src/github.com/prometheus/prometheus"
for pkg in "$HERE"/*/; do ln -sfn "$pkg" "$DEST/gopath/src/promtsdbbench/$(basename "$pkg")"; done
echo "export GOPATH=$DEST/gopath:/usr/share/gocode GO111MODULE=off GOPROXY=off GOFLAGS=" > "$DEST/env.sh"
echo "ready: source $DEST/env.sh; Prometheus 2.42.0 in $src"

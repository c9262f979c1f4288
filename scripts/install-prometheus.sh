#!/usr/bin/env bash
# Installs real Prometheus and promtool binaries (Debian's builds) for the tests that hold
# PromTSDB against the reference implementation. Nothing is installed system-wide.
#
#   scripts/install-prometheus.sh [DEST] [VERSION...]
#     DEST     default: $PROMTSDB_PROMETHEUS_HOME or ~/.cache/promtsdb/prometheus
#     VERSION  3.5.3 and/or 2.53.3 (default: both)
#   Result: DEST/<version>/prometheus and DEST/<version>/promtool; prints DEST.
#
# The packages come from the Debian mirror this machine's apt is configured with (read from
# /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list); no host is named here. The
# newer suites holding these versions (sid, trixie) are added in a private apt state folder.
# Exits 3, with a message, when no mirror is configured or the packages cannot be had, so
# that callers can skip visibly.
set -euo pipefail
DEST=${1:-${PROMTSDB_PROMETHEUS_HOME:-$HOME/.cache/promtsdb/prometheus}}
shift || true
VERSIONS=("$@")
[ ${#VERSIONS[@]} -eq 0 ] && VERSIONS=(3.5.3 2.53.3)

declare -A DEBVER=([3.5.3]="3.5.3+ds1-6" [2.53.3]="2.53.3+ds1-2")
need=()
for v in "${VERSIONS[@]}"; do
  [ -n "${DEBVER[$v]:-}" ] || { echo "unknown version $v (known: ${!DEBVER[*]})" >&2; exit 2; }
  if [ ! -x "$DEST/$v/promtool" ] || [ ! -x "$DEST/$v/prometheus" ]; then need+=("$v"); fi
done
if [ ${#need[@]} -eq 0 ]; then echo "$DEST"; exit 0; fi

for tool in apt-get dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "install-prometheus: $tool not found (Debian or Ubuntu needed)" >&2; exit 3; }
done

uri=""
if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
  uri=$(grep -hoE '^URIs:\s*\S+' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -1 || true)
fi
if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
  uri=$(grep -hoE '^deb\s+(\[[^]]*\]\s+)?\S+' /etc/apt/sources.list | awk '{print $NF}' | grep -v security | head -1 || true)
fi
[ -n "$uri" ] || { echo "install-prometheus: no Debian mirror configured in apt" >&2; exit 3; }
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || { echo "install-prometheus: $keyring missing" >&2; exit 3; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/archives/partial"
cat > "$work/sources.sources" <<SRC
Types: deb
URIs: $uri
Suites: sid trixie
Components: main
Signed-By: $keyring
SRC
A=(-o Dir::Etc::SourceList="$work/sources.sources" -o Dir::Etc::SourceParts=/dev/null
   -o Dir::State::Lists="$work/lists" -o Dir::Cache::Archives="$work/archives"
   -o APT::Sandbox::User=root)
if ! apt-get "${A[@]}" -qq update >/dev/null 2>"$work/err"; then
  echo "install-prometheus: apt update against $uri failed: $(tail -1 "$work/err")" >&2; exit 3
fi
for v in "${need[@]}"; do
  if ! (cd "$work" && apt-get "${A[@]}" -qq download "prometheus=${DEBVER[$v]}" "promtool=${DEBVER[$v]}" >/dev/null 2>"$work/err"); then
    echo "install-prometheus: cannot download Prometheus $v: $(tail -1 "$work/err")" >&2; exit 3
  fi
  mkdir -p "$work/x$v" "$DEST/$v"
  for deb in "$work"/prometheus_"${DEBVER[$v]}"_*.deb "$work"/promtool_"${DEBVER[$v]}"_*.deb; do
    dpkg-deb -x "$deb" "$work/x$v"
  done
  cp "$work/x$v/usr/bin/prometheus" "$work/x$v/usr/bin/promtool" "$DEST/$v/"
  echo "install-prometheus: $("$DEST/$v/promtool" --version 2>&1 | head -1)" >&2
done
echo "$DEST"

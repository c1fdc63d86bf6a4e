# Shared by scripts/*: where the project is, which environment it builds in.
# shellcheck shell=bash
VIGIE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VIGIE_PACKAGES="$VIGIE_ROOT/scripts/packages.txt"
VIGIE_CACHE=${VIGIE_CACHE:-/var/cache/vigie}
VIGIE_SUITE=trixie
VIGIE_BUILD=${VIGIE_BUILD:-$VIGIE_ROOT/build}

say() { printf 'vigie: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# The packages of the list, comments and blank lines removed, one per line, sorted.
package_list() { sed -e 's/#.*//' -e 's/[[:space:]]//g' "$VIGIE_PACKAGES" | grep -v '^$' | sort -u; }

# The cached tree is keyed by the suite and the package list: a changed list is a new tree.
env_dir() {
    local key
    key=$( { echo "$VIGIE_SUITE"; package_list; } | sha256sum | cut -c1-16)
    echo "$VIGIE_CACHE/env-$key"
}

# True when this host can build Vigie itself: Qt >= 6.5, KF6 SyntaxHighlighting, QCustomPlot for
# Qt 6 and libvirt's development files. VIGIE_NATIVE=0 forces the Debian 13 tree.
native_ok() {
    [ "${VIGIE_NATIVE:-auto}" = 0 ] && return 1
    command -v cmake >/dev/null && command -v ninja >/dev/null || return 1
    pkg-config --atleast-version=6.5 Qt6Core 2>/dev/null || return 1
    pkg-config --exists libvirt 2>/dev/null || return 1
    local d found=0
    for d in /usr/lib /usr/lib64 /usr/local/lib /usr/lib/*-linux-gnu; do
        [ -d "$d/cmake/KF6SyntaxHighlighting" ] && found=$((found + 1))
        [ -d "$d/cmake/QCustomPlotQt6" ] && found=$((found + 10))
    done
    [ $((found % 10)) -ge 1 ] && [ "$found" -ge 10 ]
}

elapsed() { echo "$(( $(date +%s) - $1 )) s"; }

# Shared by scripts/*: where the project is, which environment it builds in.
# shellcheck shell=bash
VIGIE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VIGIE_PACKAGES="$VIGIE_ROOT/scripts/packages.txt"
VIGIE_CACHE=${VIGIE_CACHE:-/var/cache/vigie}
VIGIE_SUITE=trixie
VIGIE_BUILD=${VIGIE_BUILD:-$VIGIE_ROOT/build}
# The compiler cache lives beside the environment's trees, not in one: a changed package list
# (a new tree) keeps it, and every tree, clone and worktree of this machine shares it.
VIGIE_CCACHE=${VIGIE_CCACHE:-$VIGIE_CACHE/ccache}

say() { printf 'vigie: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Opt-in packages for one machine or one run, never in the list (CI must not get them), e.g.
# VIGIE_EXTRA_PACKAGES="virt-manager" for tests/bench/virt-manager-side-by-side.sh: space- or
# comma-separated, one per line here, sorted.
extra_packages() {
    local p extras=${VIGIE_EXTRA_PACKAGES:-}
    for p in ${extras//,/ }; do echo "$p"; done | sort -u
}

# The packages of the list, comments and blank lines removed, plus the extras, one per line, sorted.
package_list() {
    { sed -e 's/#.*//' -e 's/[[:space:]]//g' "$VIGIE_PACKAGES"; extra_packages; } | grep -v '^$' | sort -u
}

# The cached tree is keyed by the suite and the package list, extras included: a changed list is
# a new tree, and the list plus extras is a tree of its own beside the list's.
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

# The environment's tree: the cached Debian 13 tree of the package list, or VIGIE_ENV_DIR (a tree
# made elsewhere; "/" inside the environment, to nest it, as tests/app/tst_signals does).
env_root() { echo "${VIGIE_ENV_DIR:-$(env_dir)}"; }

# The invoking user's XDG folders for configuration and data (Vigie's settings and databases),
# created if missing: the environment binds them at their own path, so QStandardPaths finds the
# same files inside it as natively.
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
user_config_dir() { echo "${XDG_CONFIG_HOME:-$HOME/.config}"; }
user_data_dir() { echo "${XDG_DATA_HOME:-$HOME/.local/share}"; }

# Replaces the calling (sub)shell with CMD in new mount and PID namespaces, inside the
# environment: chrooted into the Debian 13 tree with a clean environment, or as is when the
# host builds natively or the caller is already inside. When the namespace's first process
# ends, the kernel kills every process left in it.
env_unshare() {
    local ns=(unshare --mount --propagation private --pid --fork --kill-child)
    if [ -n "${VIGIE_IN_ENV:-}" ] || native_ok; then
        exec "${ns[@]}" "$@"
    fi
    local config data
    config=$(user_config_dir)
    data=$(user_data_dir)
    mkdir -p "$config" "$data" "$VIGIE_CCACHE"
    # Inside the new namespaces: bind the tree onto itself (so nested namespaces work there
    # too), give it /proc of the new PID namespace, /sys, /dev, the checkout, the host's /tmp (so
    # file arguments such as a screenshot path mean the same inside and out), the user's XDG
    # configuration and data folders.
    local inner='set -e
root=$1; work=$2; cwd=$3; ccache=$4; shift 4
mount --rbind "$root" "$root"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mount --rbind /tmp "$root/tmp"
mkdir -p "$root$work"
mount --rbind "$work" "$root$work"
mkdir -p "$root/root/.cache/ccache"
mount --rbind "$ccache" "$root/root/.cache/ccache"
if [ -n "${VIGIE_CACHE_MOUNT:-}" ]; then mkdir -p "$root$VIGIE_CACHE_MOUNT"; mount --rbind "$VIGIE_CACHE_MOUNT" "$root$VIGIE_CACHE_MOUNT"; fi
for dir in "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"; do mkdir -p "$root$dir"; mount --rbind "$dir" "$root$dir"; done
cd "$root$cwd" 2>/dev/null || cd "$root$work"
set +e
# Not exec: this shell stays PID 1 of the namespace. The kernel drops every signal that PID 1
# has no handler for, so CMD (which an exec, even the implicit one of the last command of bash
# -c, would make PID 1) runs as a child, and this shell passes TERM, INT and HUP on to it. When
# this shell goes, every process left in the namespace goes with it.
(trap - INT QUIT; exec chroot "$root" /usr/bin/env -C "$cwd" "$@") <&0 &
child=$!
trap "kill -TERM $child 2>/dev/null" TERM
trap "kill -INT $child 2>/dev/null" INT
trap "kill -HUP $child 2>/dev/null" HUP
wait $child
status=$?
# A trapped signal interrupts wait: wait again for the real exit status.
while kill -0 $child 2>/dev/null; do wait $child; status=$?; done
exit $status'
    exec "${ns[@]}" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME="$HOME" XDG_CONFIG_HOME="$config" XDG_DATA_HOME="$data" \
        LANG=C.UTF-8 TERM="${TERM:-dumb}" ${DISPLAY:+DISPLAY=$DISPLAY} \
        ${XAUTHORITY:+XAUTHORITY=$XAUTHORITY} ${QT_QPA_PLATFORM:+QT_QPA_PLATFORM=$QT_QPA_PLATFORM} \
        ${LANGUAGE:+LANGUAGE=$LANGUAGE} ${LC_ALL:+LC_ALL=$LC_ALL} ${CI:+CI=$CI} \
        ${QT_LOGGING_RULES:+QT_LOGGING_RULES=$QT_LOGGING_RULES} ${CTEST_ARGS:+CTEST_ARGS=$CTEST_ARGS} \
        ${VIGIE_LAB_DIR:+VIGIE_LAB_DIR=$VIGIE_LAB_DIR} ${VIGIE_LAB_NB_PORT:+VIGIE_LAB_NB_PORT=$VIGIE_LAB_NB_PORT} \
        ${VIGIE_LAB_SB_PORT:+VIGIE_LAB_SB_PORT=$VIGIE_LAB_SB_PORT} ${VIGIE_FUZZ_SECONDS:+VIGIE_FUZZ_SECONDS=$VIGIE_FUZZ_SECONDS} \
        ${VIGIE_EXTRA_PACKAGES:+VIGIE_EXTRA_PACKAGES="$VIGIE_EXTRA_PACKAGES"} \
        VIGIE_ROOT="$VIGIE_ROOT" VIGIE_BUILD="$VIGIE_BUILD" VIGIE_IN_ENV=1 \
        bash -c "$inner" vigie-enter "$(env_root)" "$VIGIE_ROOT" "$PWD" "$VIGIE_CCACHE" "$@"
}

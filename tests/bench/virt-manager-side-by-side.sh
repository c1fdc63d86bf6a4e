#!/usr/bin/env bash
# Live monitoring's client CPU, side by side on the lab (issue 17): Vigie, virt-manager and the
# floor (bench_statsfloor: a persistent client doing only the bulk stats call), each connected to
# the lab's hosts, polling every second with every stats group, one after the other (never at
# the same time) under one Xvfb display, for ROUNDS rounds of SECONDS seconds after WARM seconds of
# warm-up. Prints, per round and the median, the client's CPU (utime + stime of the process and
# its children, /proc/PID/stat) per running VM per tick, the ratios Vigie/virt-manager and
# Vigie/floor next to the issue's targets, and the lab's libvirt daemons' CPU over the same
# windows and over one with no client (a client also costs the daemon). Installs nothing; needs,
# inside Vigie's environment:
#   virt-manager (Debian's, not in scripts/packages.txt: CI does not get it), Xvfb, dbus-daemon,
#   gsettings, and the built vigie and bench_statsfloor (scripts/build --target vigie bench_statsfloor).
#
#   VIGIE_EXTRA_PACKAGES=virt-manager scripts/enter tests/bench/virt-manager-side-by-side.sh [ROUNDS [SECONDS [WARM]]]
#
# ROUNDS rounds (default 3) of SECONDS-second windows (default 120), each after WARM seconds of
# warm-up (default 30): arguments, since scripts/enter passes only its own variables on. The lab
# is its own: VIGIE_LAB_DIR (default /tmp/vigie-lab-virtman), VIGIE_LAB_NB_PORT (6671) and
# VIGIE_LAB_SB_PORT (6672); it is taken down at the end. Screenshots of the measured windows (the
# X root window, grabbed with GDK at the end of each window) and the clients' logs go to
# /tmp/virt-manager-side-by-side.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${VIGIE_BUILD:-$root/build}
ROUNDS=${1:-3}
WINDOW=${2:-120}
WARM=${3:-30}
OUT=/tmp/virt-manager-side-by-side
export VIGIE_LAB_DIR=${VIGIE_LAB_DIR:-/tmp/vigie-lab-virtman}
export VIGIE_LAB_NB_PORT=${VIGIE_LAB_NB_PORT:-6671} VIGIE_LAB_SB_PORT=${VIGIE_LAB_SB_PORT:-6672}
lab() { "$root/scripts/lab" "$@"; }
say() { printf '%s\n' "$*" >&2; }

# What it needs, and how to get it.
missing=()
command -v virt-manager >/dev/null || missing+=("virt-manager: VIGIE_EXTRA_PACKAGES=virt-manager scripts/enter $0 (a separate environment with Debian's virt-manager, made once; CI's stays without)")
command -v Xvfb >/dev/null || missing+=("Xvfb (package xvfb, in scripts/packages.txt: run through scripts/enter)")
command -v dbus-daemon >/dev/null || missing+=("dbus-daemon (package dbus-daemon)")
command -v gsettings >/dev/null || missing+=("gsettings (package libglib2.0-bin)")
[ -x "$build/app/vigie" ] || missing+=("$build/app/vigie: scripts/build --target vigie bench_statsfloor")
[ -x "$build/tests/bench/bench_statsfloor" ] || missing+=("$build/tests/bench/bench_statsfloor: scripts/build --target vigie bench_statsfloor")
if [ ${#missing[@]} -gt 0 ]; then
    say "virt-manager-side-by-side: missing:"
    for m in "${missing[@]}"; do say "  - $m"; done
    exit 2
fi
[[ $ROUNDS =~ ^[1-9][0-9]*$ && $WINDOW =~ ^[1-9][0-9]*$ && $WARM =~ ^[0-9]+$ ]] || { say "usage: $0 [ROUNDS [SECONDS [WARM]]]"; exit 2; }

mkdir -p "$OUT"
rm -f "$OUT"/*.png "$OUT"/*.log
work=$(mktemp -d /tmp/side-by-side.XXXXXX)
xvfb= bus=
cleanup() {
    [ -z "$bus" ] || kill "$bus" 2>/dev/null || true
    [ -z "$xvfb" ] || kill "$xvfb" 2>/dev/null || true
    lab down >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

hz=$(getconf CLK_TCK)
# Ticks of CPU of PID and its waited-for children: utime stime cutime cstime (fields 14-17; the
# command name, field 2, may hold spaces, so count after its closing parenthesis).
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13 + $14 + $15}'; }
# The lab's libvirt daemons, by their PID namespace.
pidns=
daemon_ticks() {
    local f p s=0
    for f in /proc/[0-9]*/ns/pid; do
        [ "$(readlink "$f" 2>/dev/null)" = "$pidns" ] || continue
        p=${f#/proc/}; p=${p%/ns/pid}
        case $(cat "/proc/$p/comm" 2>/dev/null) in
            libvirtd | virtqemud) s=$((s + $(cpu_ticks "$p" 2>/dev/null || echo 0))) ;;
        esac
    done
    echo $s
}
running_vms() {
    local u n=0
    for u in "${uris[@]}"; do n=$((n + $(virsh -q -c "$u" list --state-running --name 2>/dev/null | grep -c . || true))); done
    echo $n
}
now() { date +%s.%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "load before: $(load) ($(nproc) cores)"
say "starting a lab in $VIGIE_LAB_DIR"
lab down >/dev/null 2>&1 || true
lab up >/dev/null
lab check >/dev/null || say "warning: scripts/lab check did not pass (the guests run; their network is not the point here)"
pidns=$(cat "$VIGIE_LAB_DIR/pidns")
mapfile -t uris < <(python3 -c 'import json, sys; [print(h["uri"]) for h in json.load(open(sys.argv[1]))["hosts"]]' "$VIGIE_LAB_DIR/status.json")
echo "lab: ${#uris[@]} hosts, $(running_vms) running guests"

# One X display and one session bus for all three; a private HOME, so neither client reads the
# user's settings and each starts as a new user would (Vigie's metrics interval: 1 s by default).
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >"$OUT/xvfb.log" 2>&1 &
xvfb=$!
export DISPLAY=$display
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share \
    XDG_CACHE_HOME=$work/home/.cache XDG_RUNTIME_DIR=$work/run
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
dbus-daemon --session --fork --nopidfile --address="unix:path=$XDG_RUNTIME_DIR/bus" --print-pid=3 3>"$work/bus.pid"
bus=$(cat "$work/bus.pid")
export DBUS_SESSION_BUS_ADDRESS=unix:path=$XDG_RUNTIME_DIR/bus

# virt-manager's settings (GSettings, keyfile backend under the private HOME): the lab's hosts,
# connected at start, stats every second with CPU, disk, network and memory polling, and every
# graph column of the VM list shown.
export GSETTINGS_BACKEND=keyfile
list=$(printf "'%s', " "${uris[@]}"); list="[${list%, }]"
gs() { gsettings set "org.virt-manager.virt-manager$1" "$2" "$3"; }
gs .connections uris "$list"
gs .connections autoconnect "$list"
gs .stats update-interval 1
for key in enable-cpu-poll enable-disk-poll enable-net-poll enable-memory-poll; do gs .stats "$key" true; done
for key in cpu-usage host-cpu-usage memory-usage disk-usage network-traffic; do gs .vmlist-fields "$key" true; done
gs "" manager-window-width 1200 || true
gs "" manager-window-height 800 || true

# The root window as a PNG, with the GDK that virt-manager brings.
screenshot() {
    python3 - "$1" <<'PY' 2>>"$OUT/screenshot.log" || say "warning: no screenshot $1"
import sys, gi
gi.require_version('Gdk', '3.0')
from gi.repository import Gdk
w = Gdk.get_default_root_window()
Gdk.pixbuf_get_from_window(w, 0, 0, w.get_width(), w.get_height()).savev(sys.argv[1], 'png', [], [])
PY
}

# measure NAME ROUND CMD...: starts CMD, lets it warm up, counts its CPU and the daemons' over the
# window; prints "client_ticks daemon_ticks seconds vms"; leaves a screenshot and the log in OUT.
measure() {
    local name=$1 round=$2 pid c0 c1 d0 d1 t0 t1 vms
    shift 2
    "$@" >"$OUT/$name-$round.log" 2>&1 &
    pid=$!
    sleep "$WARM"
    kill -0 "$pid" 2>/dev/null || { say "$name exited during warm-up (log: $OUT/$name-$round.log)"; tail -5 "$OUT/$name-$round.log" >&2; return 1; }
    vms=$(running_vms)
    c0=$(cpu_ticks "$pid"); d0=$(daemon_ticks); t0=$(now)
    sleep "$WINDOW"
    c1=$(cpu_ticks "$pid"); d1=$(daemon_ticks); t1=$(now)
    case $name in vigie | virt-manager) screenshot "$OUT/$name-$round.png" ;; esac
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "$((c1 - c0)) $((d1 - d0)) $(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}') $vms"
}
# ms per running VM per tick (one tick a second).
per_vm_tick() { awk -v t="$1" -v s="$2" -v n="$3" -v hz="$hz" 'BEGIN {printf "%.3f", (n * s > 0) ? t * 1000 / hz / (n * s) : 0}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }

declare -A results daemons
# idle: the daemons' own cost over a window with nobody polling, the side figure's zero.
names=(vigie virt-manager floor idle)
for round in $(seq "$ROUNDS"); do
    echo
    echo "round $round/$ROUNDS (load $(load)):"
    printf '  %-13s %9s %9s %6s %12s   %s\n' client "CPU s" "window s" VMs "ms/VM/tick" "libvirt daemons: CPU s, ms/VM/tick"
    for name in "${names[@]}"; do
        case $name in
            vigie) cmd=("$build/app/vigie" --lab --view table --lang en) ;;
            virt-manager) cmd=(virt-manager --no-fork --debug) ;;
            floor) cmd=("$build/tests/bench/bench_statsfloor" --interval 1 "${uris[@]}") ;;
            idle) cmd=(sleep $((WARM + WINDOW + 60))) ;;
        esac
        read -r ct dt secs vms < <(measure "$name" "$round" "${cmd[@]}") || exit 1
        results[$name,$round]=$(per_vm_tick "$ct" "$secs" "$vms")
        daemons[$name,$round]=$(per_vm_tick "$dt" "$secs" "$vms")
        label=$name; [ "$name" != idle ] || label="(no client)"
        printf '  %-13s %9.2f %9.1f %6d %12s   %.2f s, %s\n' "$label" "$(awk -v t="$ct" -v hz="$hz" 'BEGIN {print t / hz}')" \
            "$secs" "$vms" "${results[$name,$round]}" "$(awk -v t="$dt" -v hz="$hz" 'BEGIN {print t / hz}')" \
            "${daemons[$name,$round]}"
    done
    printf '  Vigie / virt-manager %s, Vigie / floor %s\n' "$(ratio "${results[vigie,$round]}" "${results[virt-manager,$round]}")" \
        "$(ratio "${results[vigie,$round]}" "${results[floor,$round]}")"
done

median() { sort -n | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
declare -A med dmed
for name in "${names[@]}"; do
    med[$name]=$(for round in $(seq "$ROUNDS"); do echo "${results[$name,$round]}"; done | median)
    dmed[$name]=$(for round in $(seq "$ROUNDS"); do echo "${daemons[$name,$round]}"; done | median)
done
vm=$(ratio "${med[vigie]}" "${med[virt-manager]}")
vf=$(ratio "${med[vigie]}" "${med[floor]}")
verdict() { awk -v r="$1" -v t="$2" 'BEGIN {print (r <= t) ? "met" : "missed"}'; }
echo
echo "median of $ROUNDS rounds of $WINDOW s, ms of client CPU per running VM per tick (issue 17 measured 1.03 / 4.87 / 0.22):"
printf '  Vigie %s, virt-manager %s, floor %s\n' "${med[vigie]}" "${med[virt-manager]}" "${med[floor]}"
printf '  Vigie / virt-manager = %s (target <= 0.10: %s)\n' "$vm" "$(verdict "$vm" 0.10)"
printf '  Vigie / floor        = %s (target <= 1.50: %s)\n' "$vf" "$(verdict "$vf" 1.50)"
printf 'libvirt daemons of the lab over the same windows, median ms per running VM per tick: with Vigie %s, virt-manager %s, floor %s, no client %s\n' \
    "${dmed[vigie]}" "${dmed[virt-manager]}" "${dmed[floor]}" "${dmed[idle]}"

# A window that showed nothing measured nothing: virt-manager says in its debug log which
# connections became active; the screenshots show both windows.
for round in $(seq "$ROUNDS"); do
    active=$(grep -c 'changed to state=Active' "$OUT/virt-manager-$round.log" || true)
    [ "$active" -ge "${#uris[@]}" ] || echo "WARNING: round $round: virt-manager connected $active of ${#uris[@]} hosts (see $OUT/virt-manager-$round.log)"
done
echo "screenshots and logs: $OUT"
echo "load after: $(load)"

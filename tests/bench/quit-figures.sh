#!/usr/bin/env bash
# Figures of Vigie's clean quit (issue 19), printed, not asserted: for each of SIGTERM, SIGINT
# and SIGHUP, RUNS times, the time from the signal sent to the top process of
# `scripts/vigie --demo` (offscreen; through scripts/enter when the machine needs the
# environment) until Vigie itself is gone and until the top process has exited, with its exit
# status and whether the settings were saved. Each run has its own temporary HOME.
# Usage: tests/bench/quit-figures.sh [RUNS]   (default 5)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
"$root/scripts/build" >/dev/null 2>&1
ms() { echo $(( $(date +%s%N) / 1000000 )); }
descendants() { local p=$1 c; echo "$p"; for c in $(cat "/proc/$p/task/$p/children" 2>/dev/null); do descendants "$c"; done; }
for sig in TERM INT HUP; do
    for run in $(seq 1 "$runs"); do
        home=$(mktemp -d)
        # trap -: a background job of a script starts with SIGINT ignored, which would stay so.
        (trap - INT QUIT; HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share \
            QT_QPA_PLATFORM=offscreen exec "$root/scripts/vigie" --demo) >/dev/null 2>"$home/err" &
        top=$!
        until [ -f "$home/.config/Vigie/vigie.conf" ]; do sleep 0.05; done
        sleep 1 # the demo's hosts connect; a quit during start-up is not what is measured here
        vigie=
        for p in $(descendants "$top"); do
            [[ $(readlink "/proc/$p/exe" 2>/dev/null) == */app/vigie ]] && vigie=$p
        done
        t0=$(ms); kill -s "$sig" "$top"
        gone=
        while kill -0 "$top" 2>/dev/null; do
            [ -n "$gone" ] || [ -d "/proc/$vigie" ] || gone=$(ms)
            sleep 0.005
        done
        status=0; wait "$top" || status=$?
        t1=$(ms)
        saved=$(grep -q '^demo=true' "$home/.config/Vigie/vigie.conf" && echo yes || echo no)
        printf 'SIG%s run %d: vigie gone after %d ms, top process exited after %d ms, status %d, settings saved: %s\n' \
            "$sig" "$run" "$(( ${gone:-$t1} - t0 ))" "$(( t1 - t0 ))" "$status" "$saved"
        rm -rf "$home"
    done
done

#!/usr/bin/env bash
# Figures of the lab (issue 3), printed, not asserted: time of scripts/lab up (first start with
# the page cache dropped, then warm), CPU and memory of the idle lab, and live migration time of a
# 64 MiB firmware-only guest and of a 96 MiB Linux guest under load, between two lab hosts; the
# interval between progress reports of a bandwidth-limited migration through Vigie's own code.
# Usage: tests/bench/lab-figures.sh [IDLE_SECONDS]   (uses its own lab dir and port)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export VIGIE_LAB_DIR=/tmp/vigie-lab-bench VIGIE_LAB_NB_PORT=6661 VIGIE_LAB_SB_PORT=6662
idle=${1:-60}
lab() { "$root/scripts/lab" "$@"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {print b - a}'; }

lab down >/dev/null 2>&1 || true
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null && cold="page cache dropped" || cold="page cache NOT dropped (no permission)"
t=$(now); lab up >/dev/null; printf 'lab up, cold (%s): %.1f s\n' "$cold" "$(since "$t")"
t=$(now); lab down >/dev/null; printf 'lab down: %.1f s\n' "$(since "$t")"
for i in 1 2 3; do t=$(now); lab up >/dev/null; printf 'lab up, warm #%d: %.1f s\n' "$i" "$(since "$t")"; [ $i = 3 ] || lab down >/dev/null; done

# Idle: let the guests boot, then count the CPU time and PSS of every process of the lab.
sleep 30
pidns=$(cat "$VIGIE_LAB_DIR/pidns")
lab_pids() { for f in /proc/[0-9]*/ns/pid; do [ "$(readlink "$f" 2>/dev/null)" = "$pidns" ] && { f=${f#/proc/}; echo "${f%/ns/pid}"; }; done; }
cpu_ticks() { local p s=0; for p in $(lab_pids); do s=$((s + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $s; }
c0=$(cpu_ticks); t=$(now); sleep "$idle"; c1=$(cpu_ticks); dt=$(since "$t")
hz=$(getconf CLK_TCK)
printf 'idle lab CPU over %.0f s: %.1f %% of one core (%d processes)\n' "$dt" "$(awk -v d=$((c1 - c0)) -v hz="$hz" -v t="$dt" 'BEGIN {print d * 100 / hz / t}')" "$(lab_pids | wc -l)"
pss=0; for p in $(lab_pids); do pss=$((pss + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0))); done
qemu=0; for p in $(lab_pids); do [ "$(cat /proc/$p/comm 2>/dev/null)" = qemu-system-x86 ] && qemu=$((qemu + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup"))); done
printf 'idle lab memory (PSS): %d MiB in all, of which QEMU %d MiB\n' $((pss / 1024)) $((qemu / 1024))

# Migrations, timed inside the environment (no scripts/enter start-up in the figure).
"$root/scripts/enter" bash -c '
uri() { echo "qemu+unix:///system?socket=$VIGIE_LAB_DIR/hosts/$1/run/libvirt/libvirt-sock"; }
for vm in "tiny-1 64 MiB, firmware only" "app-1 96 MiB, Linux under load"; do
    name=${vm%% *}; src=lab-hv1; dst=lab-hv2; times=()
    for i in 1 2 3 4 5 6; do
        t=$(date +%s.%N)
        virsh -q -c "$(uri $src)" migrate --live --persistent --undefinesource "$name" "$(uri $dst)"
        times+=($(awk -v a="$t" -v b="$(date +%s.%N)" "BEGIN {print b - a}"))
        tmp=$src; src=$dst; dst=$tmp
    done
    printf "virsh migrate --live, %s (%s): %s s; median %s s\n" "$name" "${vm#* }" "$(printf "%.2f " "${times[@]}")" \
        "$(printf "%s\n" "${times[@]}" | sort -n | awk "{a[NR]=\$1} END {printf \"%.2f\", (a[3]+a[4])/2}")"
done'
# Progress reports of a migration through MigrationController (needs the build).
"$root/scripts/enter" "${VIGIE_BUILD:-$root/build}/tests/bench/bench_migrationprogress" tiny-1 8
lab down >/dev/null

#!/usr/bin/env bash
# The controller's figures against a real OVN northbound ovsdb-server of SWITCHES x 100 ports
# (default 1000: 100,000 ports, a large OVN), next to the floor: `ovsdb-client dump` of the
# tables and columns Vigie's snapshot reads. Run inside scripts/enter after
# scripts/build:
#
#   scripts/enter tests/bench/controller-figures.sh [SWITCHES] [RUNS] [DIR]
#
# Makes the database once in DIR (default /tmp/vigie-nb-SWITCHES, tests/bench/nb-20k.sh; about
# 80 s for 100,000 ports) and keeps it for the next run; starts and stops its server. Prints, per
# run, `bench_ovsdb --remote`'s figures (connect to the snapshot mapped, memory, one port's
# change), the dump's wall time, and the medians and ratios.
set -euo pipefail
switches=${1:-1000}
runs=${2:-3}
dir=${3:-/tmp/vigie-nb-$switches}
root=$(cd "$(dirname "$0")/../.." && pwd)
bench=${VIGIE_BUILD:-$root/build}/tests/bench/bench_ovsdb
[ -x "$bench" ] || { echo "build bench_ovsdb first (scripts/build)" >&2; exit 1; }

stop() { [ -f "$dir/ovsdb-server.pid" ] && kill "$(cat "$dir/ovsdb-server.pid")" 2>/dev/null || true; }
trap stop EXIT
if [ -f "$dir/nb.db" ] && [ -f "$dir/complete" ]; then
    mkdir -p /var/run/openvswitch
    ovsdb-server --detach --no-chdir --pidfile="$dir/ovsdb-server.pid" --unixctl="$dir/ovsdb-server.ctl" \
        --log-file="$dir/ovsdb-server.log" --remote="punix:$dir/nb.sock" "$dir/nb.db"
else
    start=$(date +%s)
    "$root/tests/bench/nb-20k.sh" "$dir" "$switches" > /dev/null
    touch "$dir/complete"
    echo "database of $((switches * 100)) ports made in $(($(date +%s) - start)) s"
fi
remote="unix:$dir/nb.sock"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
snapshots=() dumps=() heaps=() peaks=() changes=()
for run in $(seq "$runs"); do
    out=$(QT_NO_GLIB=1 "$bench" --remote "$remote")
    echo "$out"
    snapshots+=("$(sed -n 's/.*snapshot applied.*: \([0-9.]*\) ms/\1/p' <<< "$out")")
    heaps+=("$(sed -n 's/.*held after the snapshot: \([0-9.]*\) bytes per port.*/\1/p' <<< "$out")")
    peaks+=("$(sed -n 's/.*peak over held: \([0-9.]*\)x.*/\1/p' <<< "$out")")
    changes+=("$(sed -n 's/.*update applied (round trip, one port): \([0-9.]*\) ms/\1/p' <<< "$out")")
    # The same tables and columns as Vigie's monitor (OvnNorthbound::monitoredTables; the
    # policy's tables are empty here).
    t0=$(date +%s%N)
    ovsdb-client dump "$remote" OVN_Northbound Logical_Switch_Port name addresses port_security dynamic_addresses type tag \
        tag_request up enabled options external_ids dhcpv4_options > /dev/null
    ovsdb-client dump "$remote" OVN_Northbound Logical_Switch name ports external_ids other_config acls > /dev/null
    dumps+=("$(( ($(date +%s%N) - t0) / 1000000 ))")
    echo "  ovsdb-client dump of the same columns: ${dumps[-1]} ms"
done
snapshot=$(printf '%s\n' "${snapshots[@]}" | median)
dump=$(printf '%s\n' "${dumps[@]}" | median)
echo "medians of $runs runs, $((switches * 100)) ports:"
echo "  Vigie's snapshot $snapshot ms, ovsdb-client dump $dump ms: ratio $(awk -v a="$snapshot" -v b="$dump" 'BEGIN { printf "%.2f", a / b }') (target <= 0.5)"
echo "  held after the snapshot $(printf '%s\n' "${heaps[@]}" | median) bytes per port (target <= 1024)"
echo "  peak over held $(printf '%s\n' "${peaks[@]}" | median)x (target <= 1.5)"
echo "  one port's change, transaction to update applied: $(printf '%s\n' "${changes[@]}" | median) ms (target <= 1)"

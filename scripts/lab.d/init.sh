# PID 1 of the lab's PID and mount namespaces, inside Vigie's environment (the Debian 13 tree, or
# the host when it builds natively). Usage: init.sh LAB HOSTS NB_PORT SB_PORT [PROMETHEUS_PORT
# EXPORTER_PORT] (with them: scripts/lab.d/prometheus.sh's exporters and server).
# Makes a /dev without kvm, the lab network (a namespace with two bridges: "mgmt0" for the
# hosts' addresses and migration traffic, "trunk0" carrying the guests' VLANs between the hosts'
# provider bridges), OVN's central part (northbound and southbound databases, ovn-northd, loaded
# with the lab's switches and ports), the hosts (each an OVN chassis), then the guests. Writes
# LAB/state ("ready" or "failed: ...") and LAB/status.json. When this shell dies, the kernel
# kills every process of the namespace: that is how scripts/lab down stops the lab.
set -euo pipefail
lab=$1 hosts=$2 nb_port=$3 sb_port=$4 prometheus_port=${5:-} exporter_port=${6:-}
# scripts/lab finds this process by the mark in its environment; its children must not carry it.
unset VIGIE_LAB_ROLE
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
fail() { echo "failed: $*" > "$lab/state"; exit 1; }
trap 'fail "init.sh line $LINENO: $BASH_COMMAND"' ERR
start=${EPOCHREALTIME/./}
log() { local us=$(( ${EPOCHREALTIME/./} - start )); printf '[%3d.%02d s] %s\n' $((us / 1000000)) $((us / 10000 % 100)) "$*"; }

mount -t proc proc /proc
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/openvswitch /run/ovn /run/lock

# A /dev without /dev/kvm: KVM does not work here, and while /dev/kvm is visible libvirt
# re-probes QEMU on every domain start (about 40 s per migration).
mount -t tmpfs -o mode=755,nosuid tmpfs /dev
mknod -m 666 /dev/null c 1 3; mknod -m 666 /dev/zero c 1 5; mknod -m 666 /dev/full c 1 7
mknod -m 666 /dev/random c 1 8; mknod -m 666 /dev/urandom c 1 9; mknod -m 666 /dev/tty c 5 0
mkdir -p /dev/pts /dev/shm /dev/net
mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts /dev/pts
ln -s pts/ptmx /dev/ptmx
mknod -m 666 /dev/net/tun c 10 200
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
ln -s /proc/self/fd /dev/fd; ln -s fd/0 /dev/stdin; ln -s fd/1 /dev/stdout; ln -s fd/2 /dev/stderr

# Host names resolve locally, lab-wide.
{
    echo "127.0.0.1 localhost"
    for i in $(seq "$hosts"); do echo "$(host_address "$i") $(host_name "$i")"; done
    echo "$(client_address) lab-client"
} > "$lab/etc-hosts"
mount --bind "$lab/etc-hosts" /etc/hosts
log "namespaces ready"

# Guest boot files, made fresh from the environment's kernel and busybox (under a second).
bash "$here/assets.sh" "$lab/assets" "$here/guest-init"
log "guest kernel and initramfs ready"
# The environment has no ping, arping or nc: busybox's, for the probes (scripts/lab probe).
mkdir -p "$lab/bin"
for tool in ping arping nc; do ln -s /bin/busybox "$lab/bin/$tool"; done

# The lab network lives in a namespace of its own: nothing is added to the machine's network.
# mgmt0 has an address there, the lab's client's (scripts/lab client runs a command in this
# namespace: how a test reaches the hosts' TLS listeners), and the process is marked for it.
env VIGIE_LAB_ROLE="fabric:$lab" unshare --net bash -c '
    ip link set lo up
    for br in mgmt0 trunk0; do ip link add $br type bridge; ip link set $br up; done
    ip addr add "$2/24" dev mgmt0
    touch "$1/fabric.ready"; exec sleep infinity' fabric "$lab" "$(client_address)" &
fabric=$!
wait_for "$lab/fabric.ready" 10
in_fabric() { nsenter --net="/proc/$fabric/ns/net" "$@"; }

# OVN's central part, first: the chassis connect to the southbound database as they start.
mkdir -p "$lab/nb" "$lab/sb" "$lab/northd"
ovsdb-tool create "$lab/nb/ovnnb.db" /usr/share/ovn/ovn-nb.ovsschema
ovsdb-tool create "$lab/sb/ovnsb.db" /usr/share/ovn/ovn-sb.ovsschema
start_nb "$lab" "$nb_port"
start_sb "$lab" "$sb_port"
start_northd "$lab"
log "OVN central: northbound tcp:127.0.0.1:$nb_port, southbound tcp:127.0.0.1:$sb_port, ovn-northd"
# The guests' plan, their switches, ports and DHCP in the northbound database, before any
# chassis claims a port.
bash "$here/guests.sh" plan "$hosts" > "$lab/guests.tsv"
mapfile -t nbctl < <(bash "$here/guests.sh" controller "$lab" "$hosts")
ovn-nbctl --db="unix:$lab/nb/nb.sock" --timeout=20 "${nbctl[@]}" > /dev/null
log "northbound loaded"

bash "$here/network-xml.sh" > "$lab/lab-vlan.xml"
# TLS: the lab's CA, each host's server certificate, the console's client certificate.
bash "$here/tls.sh" pki "$lab" "$hosts"
log "lab CA and certificates ready ($lab/pki)"
declare -A holder
for i in $(seq "$hosts"); do
    name=$(host_name "$i")
    mkdir -p "$lab/hosts/$name"
    unshare --mount --uts --net --propagation private \
        env VIGIE_LAB_ROLE="host:$lab/hosts/$name" bash "$here/host.sh" "$lab" "$name" "$i" "$hosts" \
        > "$lab/hosts/$name/host.log" 2>&1 &
    holder[$i]=$!
done
for i in $(seq "$hosts"); do
    name=$(host_name "$i")
    wait_for "$lab/hosts/$name/ns.ready" 10
    in_fabric ip link add "m-$name" type veth peer name eth0 netns "${holder[$i]}"
    in_fabric ip link set "m-$name" master mgmt0 up
    in_fabric ip link add "t-$name" type veth peer name trunk0 netns "${holder[$i]}"
    in_fabric ip link set "t-$name" master trunk0 up
    touch "$lab/hosts/$name/link.ready"
done

for i in $(seq "$hosts"); do
    name=$(host_name "$i")
    deadline=$(( $(date +%s) + 60 ))
    until [ "$(cat "$lab/hosts/$name/state" 2>/dev/null)" = ready ]; do
        state=$(cat "$lab/hosts/$name/state" 2>/dev/null || true)
        case $state in failed*) fail "${state#failed: } (see $lab/hosts/$name/host.log)";; esac
        [ "$(date +%s)" -lt "$deadline" ] || fail "host $name not ready after 60 s (see $lab/hosts/$name/host.log)"
        sleep 0.1
    done
done
log "$hosts hosts ready"

# Guests, defined and started on every host in parallel.
pids=()
for i in $(seq "$hosts"); do
    bash "$here/guests.sh" create "$lab" "$i" > "$lab/hosts/$(host_name "$i")/guests.log" 2>&1 &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "guests: see $lab/hosts/*/guests.log"; done
log "guests running"

# The control plane as a cloud's would be: every chassis registered, every running ML2/OVN
# guest's port and every probe bound to the chassis of its host (the guests' own DHCP and pings
# come once they have booted: scripts/lab check).
bash "$here/guests.sh" bindings "$lab" "$hosts" 60 || fail "OVN bindings: see $lab/lab.log"
log "chassis registered, ports bound"

if [ -n "$prometheus_port" ]; then
    bash "$here/prometheus.sh" "$lab" "$hosts" "$prometheus_port" "$exporter_port" || fail "Prometheus: see $lab/prometheus/*.log"
    log "Prometheus on 127.0.0.1:$prometheus_port, exporters from 127.0.0.1:$exporter_port"
fi

bash "$here/guests.sh" status "$lab" "$hosts" "$nb_port" "$sb_port" > "$lab/status.json"
bash "$here/guests.sh" text "$lab" "$hosts" "$nb_port" "$sb_port" > "$lab/status.txt"
[ -z "$prometheus_port" ] || echo "Prometheus: $(cat "$lab/prometheus/url") (exporters: prometheus-libvirt-exporter from 127.0.0.1:$exporter_port, prometheus-node-exporter from 127.0.0.1:$((exporter_port + 50)))" >> "$lab/status.txt"
echo ready > "$lab/state"
trap - ERR
# Stay PID 1 and reap the daemons that double-forked into this namespace.
while :; do sleep 3600 & wait $! || true; done

# Shared by the lab's scripts (sourced).
# shellcheck shell=bash

# Waits up to SECONDS for FILE to exist.
wait_for() {
    local file=$1 deadline=$(( $(date +%s) + $2 ))
    while [ ! -e "$file" ]; do
        [ "$(date +%s)" -lt "$deadline" ] || { echo "timed out waiting for $file" >&2; return 1; }
        sleep 0.05
    done
}

host_name() { echo "lab-hv$1"; }
host_address() { echo "10.77.0.$((10 + $1))"; }
host_uuid() { printf '5a1ab000-0000-4000-8000-%012d\n' "$1"; }

# virtlogd first (QEMU's output goes through it), then libvirtd; waits for its socket.
start_libvirtd() {
    # pid files, not pgrep: every host's daemons share the lab's PID namespace.
    kill -0 "$(cat /run/virtlogd.pid 2>/dev/null)" 2>/dev/null || virtlogd --daemon
    libvirtd --daemon
    local i
    for i in $(seq 200); do
        virsh -q -c qemu:///system version >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    echo "libvirtd did not answer within 10 s; see /var/log/libvirt/libvirtd.log" >&2
    return 1
}

# The lab's VLANs: "tag name subnet-prefix".
lab_vlans=("100 front 172.16.1" "200 data 172.16.2" "300 backoffice 172.16.3")

# The OVN northbound database of the lab: loopback TCP and a unix socket.
start_nb() {
    local lab=$1 port=$2
    ovsdb-server --detach --no-chdir --pidfile="$lab/nb/ovsdb-server.pid" \
        --log-file="$lab/nb/ovsdb-server.log" --unixctl="$lab/nb/ovsdb-server.ctl" \
        --remote="ptcp:$port:127.0.0.1" --remote="punix:$lab/nb/nb.sock" "$lab/nb/ovnnb.db"
}

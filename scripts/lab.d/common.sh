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
# The host's Geneve tunnel endpoint (ovn-encap-ip): on br-phys, so that the userspace datapath
# routes and resolves the tunnels itself (on the plain eth0 it silently drops them). The tunnels
# cross the trunk untagged.
tunnel_address() { echo "10.78.0.$((10 + $1))"; }
# The lab network's own address (mgmt0 in the fabric's namespace): where scripts/lab client runs.
client_address() { echo "10.77.0.2"; }
host_uuid() { printf '5a1ab000-0000-4000-8000-%012d\n' "$1"; }

# virtlogd first (QEMU's output goes through it), then libvirtd; waits for its socket.
start_libvirtd() {
    # pid files, not pgrep: every host's daemons share the lab's PID namespace.
    kill -0 "$(cat /run/virtlogd.pid 2>/dev/null)" 2>/dev/null || virtlogd --daemon
    # The daemon's own limits, not its caller's (a console that handled a password runs with a
    # core size of 0, which libvirt could not raise for the guests it starts).
    ulimit -S -c "$(ulimit -H -c)"
    # --listen: the TLS socket of libvirtd.conf (no systemd here to activate it).
    libvirtd --daemon --listen
    local i
    for i in $(seq 200); do
        virsh -q -c qemu:///system version >/dev/null 2>&1 && return 0
        sleep 0.05
    done
    echo "libvirtd did not answer within 10 s; see /var/log/libvirt/libvirtd.log" >&2
    return 1
}

# Stops the host's libvirtd (TERM: its guests keep running) and starts it again, e.g. to serve
# other TLS certificates.
restart_libvirtd() {
    local pid i
    pid=$(cat /run/libvirtd.pid 2>/dev/null || true)
    if [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; then
        for i in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -0 "$pid" 2>/dev/null && { kill -KILL "$pid"; sleep 0.2; }
    fi
    start_libvirtd
}

# SASL on the host's TLS listener (scripts/lab sasl): MECHS, Cyrus SASL's mech_list for
# libvirtd (e.g. "digest-md5 scram-sha-256"), one user USER with the password in PASSWORD_FILE
# (never on a command line) in its own sasldb, and
# the daemon's debug log of its dispatcher (daemon.remote: "Using SASL mechanism ..."); or "off":
# TLS with no SASL again, as the lab starts. The caller restarts libvirtd. Inside the host.
sasl_mode() { # MECHS|off [USER PASSWORD_FILE]
    local conf=/etc/libvirt/libvirtd.conf
    sed -i -e '/^log_filters = /d' "$conf"
    if [ "$1" = off ]; then
        sed -i -e 's/^auth_tls = .*/auth_tls = "none"/' -e 's/^log_outputs = "1:/log_outputs = "3:/' "$conf"
        return
    fi
    printf 'mech_list: %s\nsasldb_path: /etc/sasl2/libvirt.db\n' "$1" > /etc/sasl2/libvirt.conf
    rm -f /etc/sasl2/libvirt.db
    saslpasswd2 -p -c -a libvirt -f /etc/sasl2/libvirt.db "$2" < "$3"
    sed -i -e 's/^auth_tls = .*/auth_tls = "sasl"/' -e 's/^log_outputs = "3:/log_outputs = "1:/' "$conf"
    echo 'log_filters = "1:daemon.remote"' >> "$conf"
}

# The lab's VLANs: "tag name subnet-prefix owner". One is Neutron-shaped (see guests.sh).
lab_vlans=("100 front 172.16.1 lab" "200 data 172.16.2 lab" "300 backoffice 172.16.3 neutron")
# The Neutron-shaped VLAN's network, segment (its localnet port) and subnet ids.
neutron_net=6e657477-0300-4000-8000-000000000300
neutron_segment=7365676d-0300-4000-8000-000000000300
neutron_subnet=7375626e-0300-4000-8000-000000000300
# A tenant's Keystone-style project id (32 hex digits), as Nova and Neutron write it.
project_id() { printf '%s' "$1" | md5sum | cut -c1-32; }
# The position (1...) of VLAN TAG in lab_vlans.
lab_vlan_index() { local tag=$1 i=0 v; for v in "${lab_vlans[@]}"; do i=$((i + 1)); set -- $v; [ "$1" = "$tag" ] && { echo $i; return; }; done; }
# The logical switch carrying VLAN TAG: lab switches by their name, Neutron's as neutron-<uuid>.
vlan_switch() {
    local tag=$1 v; for v in "${lab_vlans[@]}"; do set -- $v
        [ "$1" = "$tag" ] || continue
        if [ "$4" = neutron ]; then echo "neutron-$neutron_net"; else echo "$2"; fi; return
    done
}
# OVN's DHCP lease: short, so a guest whose port moved to another switch renews into the new
# subnet within seconds (OVN NAKs the renewal of an address that is not the port's).
dhcp_lease=20
# A probe port per VLAN (scripts/lab probe): on host ((index - 1) % hosts) + 1, address .250.
probe_mac() { printf 'fa:16:3e:ff:%02x:fa\n' $(( $1 / 100 )); }
# The lab's overlay network, "name subnet-prefix": a logical switch without a localnet port, its
# traffic tunnelled (Geneve) between the chassis. Two probe ports, overlay-1 on lab-hv1 and
# overlay-2 on lab-hv2 (scripts/lab probe overlay-1 ...), at .251 and .252; none in a lab of one host
# (ovn-controller left the lone probe unbound there, so `lab up --hosts 1` failed).
lab_overlay="overlay 172.16.9"
overlay_probes() { local n; [ "$1" -ge 2 ] || return 0; for n in 1 2; do [ "$n" -le "$1" ] && echo "$n"; done; }
overlay_probe_mac() { printf 'fa:16:3e:ff:09:%02x\n' $((0xf0 + $1)); }

# The OVN northbound and southbound databases of the lab: loopback TCP (for Vigie, outside the
# lab's network namespaces) and a unix socket (the chassis use the southbound one: the hosts
# share the lab's files, so no route to the central part is needed).
start_db() { # LAB nb|sb PORT
    local lab=$1 db=$2 port=$3
    ovsdb-server --detach --no-chdir --pidfile="$lab/$db/ovsdb-server.pid" \
        --log-file="$lab/$db/ovsdb-server.log" --unixctl="$lab/$db/ovsdb-server.ctl" \
        --remote="ptcp:$port:127.0.0.1" --remote="punix:$lab/$db/$db.sock" "$lab/$db/ovn$db.db"
}
start_nb() { start_db "$1" nb "$2"; }
start_sb() { start_db "$1" sb "$2"; }
start_northd() {
    local lab=$1
    ovn-northd --detach --no-chdir --pidfile="$lab/northd/ovn-northd.pid" \
        --log-file="$lab/northd/ovn-northd.log" --unixctl="$lab/northd/ovn-northd.ctl" \
        --ovnnb-db="unix:$lab/nb/nb.sock" --ovnsb-db="unix:$lab/sb/sb.sock"
}
# A host's ovn-controller, on the host's own Open vSwitch (run inside the host's namespaces).
start_ovn_controller() {
    mkdir -p /run/ovn /var/log/ovn
    ovn-controller --detach --no-chdir --pidfile=/run/ovn/ovn-controller.pid \
        --log-file=/var/log/ovn/ovn-controller.log unix:/run/openvswitch/db.sock
}

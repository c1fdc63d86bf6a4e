# One lab hypervisor host. Runs (bash, not exec'd) inside its own mount, UTS and network
# namespaces, made by init.sh inside the lab's PID namespace. Usage: host.sh LAB NAME INDEX HOSTS.
# The host's state lives in LAB/hosts/NAME, bound over /run, /etc/libvirt, /etc/sasl2, /var/lib/libvirt,
# /var/cache/libvirt, /var/log, /etc/openvswitch and /var/lib/openvswitch, so each libvirtd has
# its own sockets, configuration, host UUID and domains.
set -euo pipefail
lab=$1 name=$2 index=$3 hosts=$4
hd=$lab/hosts/$name
trap 'echo "failed: $name: line $LINENO: $BASH_COMMAND" > "$hd/state"' ERR
unset VIGIE_LAB_ROLE # marks this process only (scripts/lab finds the host by it)
. "$(dirname "$0")/common.sh"

hostname "$name"
touch "$hd/ns.ready"
# init.sh puts eth0 (lab network) and trunk0 (VLAN trunk) into this namespace.
wait_for "$hd/link.ready" 20
ip link set lo up
ip addr add "$(host_address "$index")/24" dev eth0
ip link set eth0 up
ip link set trunk0 up
# sysfs shows the network devices of the namespace that mounts it: libvirt reads it for taps.
mount -t sysfs sysfs /sys

for d in run etc-libvirt etc-sasl2 lib-libvirt cache-libvirt log etc-openvswitch lib-openvswitch; do mkdir -p "$hd/$d"; done
mkdir -p "$hd/log/libvirt/qemu" "$hd/log/openvswitch" "$hd/run/openvswitch" "$hd/run/libvirt"
# /var/lock is /run/lock: libvirt locks a console's pty there (LCK.._pts_N) before opening it.
mkdir -p "$hd/run/lock"
cp -a /etc/libvirt/. "$hd/etc-libvirt/"
cp -a /etc/sasl2/. "$hd/etc-sasl2/" 2>/dev/null || true
cp -a /var/lib/libvirt/. "$hd/lib-libvirt/"
cp -a /var/cache/libvirt/. "$hd/cache-libvirt/" 2>/dev/null || true
mount --bind "$hd/run" /run
mount --bind "$hd/etc-libvirt" /etc/libvirt
# Cyrus SASL's configuration for libvirtd (scripts/lab sasl HOST MECHS), each host its own.
mount --bind "$hd/etc-sasl2" /etc/sasl2
mount --bind "$hd/lib-libvirt" /var/lib/libvirt
mount --bind "$hd/cache-libvirt" /var/cache/libvirt
mount --bind "$hd/log" /var/log
mount --bind "$hd/etc-openvswitch" /etc/openvswitch
mount --bind "$hd/lib-openvswitch" /var/lib/openvswitch
mkdir -p /var/lib/libvirt/images

# libvirt refuses to migrate between hosts with the same UUID; QEMU runs as root with no
# namespaces, cgroups or security driver (none of them work in this environment).
cat >> /etc/libvirt/libvirtd.conf <<CONF
host_uuid = "$(host_uuid "$index")"
auth_unix_rw = "none"
auth_unix_ro = "none"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
CONF
# TLS on 16514 (qemu+tls://NAME/system from the lab network, see scripts/lab client) with the
# lab's certificates (scripts/lab.d/tls.sh); TCP without TLS never. Only the console's client
# certificate is admitted. No sanity check of the daemon's own certificate: the lab serves
# deliberately bad ones (expired, another name: scripts/lab tls HOST serve DIR) to test clients,
# which libvirtd would otherwise refuse to load.
cat >> /etc/libvirt/libvirtd.conf <<CONF
listen_tls = 1
listen_tcp = 0
tls_port = "16514"
auth_tls = "none"
ca_file = "$hd/pki/cacert.pem"
cert_file = "$hd/pki/servercert.pem"
key_file = "$hd/pki/serverkey.pem"
tls_no_verify_certificate = 0
tls_no_sanity_certificate = 1
tls_allowed_dn_list = ["CN=vigie-console"]
CONF
cat >> /etc/libvirt/qemu.conf <<CONF
namespaces = [ ]
cgroup_controllers = [ ]
security_driver = "none"
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
CONF

# Open vSwitch, userspace datapath (there is no openvswitch kernel module here), and this host's
# OVN chassis, as a compute node of an ML2/OVN cloud runs them: ovn-controller owns br-int
# (made beforehand, or it would make it with the kernel datapath) and reaches the VLANs through
# the provider bridge br-phys, which holds trunk0, this host's leg of the lab's VLAN trunk.
ovsdb-tool create /etc/openvswitch/conf.db /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server --remote=punix:/run/openvswitch/db.sock --pidfile --detach \
    --log-file=/var/log/openvswitch/ovsdb-server.log /etc/openvswitch/conf.db
ovs-vsctl --no-wait init
# TCP through the userspace datapath has bad checksums unless TSO is on before vswitchd starts.
ovs-vsctl --no-wait set Open_vSwitch . other_config:userspace-tso-enable=true \
    external_ids:system-id="$name" external_ids:hostname="$name" \
    external_ids:ovn-remote="unix:$lab/sb/sb.sock" external_ids:ovn-encap-type=geneve \
    external_ids:ovn-encap-ip="$(tunnel_address "$index")" \
    external_ids:ovn-bridge-mappings=physnet:br-phys external_ids:ovn-bridge-datapath-type=netdev \
    external_ids:ovn-remote-probe-interval=5000
ovs-vswitchd --pidfile --detach --log-file=/var/log/openvswitch/ovs-vswitchd.log
ovs-vsctl --timeout=20 add-br br-int -- set Bridge br-int datapath_type=netdev fail_mode=secure \
    other_config:disable-in-band=true \
    -- add-br br-phys -- set Bridge br-phys datapath_type=netdev -- add-port br-phys trunk0
ip addr add "$(tunnel_address "$index")/24" dev br-phys
ip link set br-phys up
start_ovn_controller

start_libvirtd
# The libvirt-wired guests' network: no controller manages it, libvirt tags their ports on
# br-phys, so they share the physical VLANs with OVN's localnet ports.
virsh -q -c qemu:///system net-define "$lab/lab-vlan.xml" >/dev/null
virsh -q -c qemu:///system net-autostart lab-vlan >/dev/null
virsh -q -c qemu:///system net-start lab-vlan >/dev/null
# The storage pool new VMs' system disks are created in (placement from the palette).
virsh -q -c qemu:///system pool-define-as default dir --target /var/lib/libvirt/images >/dev/null
virsh -q -c qemu:///system pool-autostart default >/dev/null
virsh -q -c qemu:///system pool-start default >/dev/null

# The probe ports of the VLANs given to this host (scripts/lab probe): a network namespace
# held by a sleeping process marked for scripts/lab, its veth on br-int bound to the probe's
# logical switch port (made by init.sh), a static address in the VLAN's subnet.
make_probe() { # NAME MAC ADDRESS/PREFIXLEN
    local name=$1 probe i
    env VIGIE_LAB_ROLE="probe:$lab/$name" unshare --net sleep infinity &
    probe=$!
    for i in $(seq 100); do [ "$(readlink /proc/$probe/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break; sleep 0.02; done
    ip link add "pv-$name" type veth peer name eth0 netns "$probe"
    ip link set "pv-$name" up
    nsenter --net="/proc/$probe/ns/net" sh -c "ip link set lo up && ip link set eth0 address $2 mtu 1442 up && ip addr add $3 dev eth0"
    ovs-vsctl --timeout=20 add-port br-int "pv-$name" -- set Interface "pv-$name" \
        external_ids:iface-id="probe-$name" external_ids:vigie-lab=probe
    echo "$name" >> "$hd/probes"
}
for v in "${lab_vlans[@]}"; do
    set -- $v
    tag=$1 vlan=$2 prefix=$3
    [ $(( ($(lab_vlan_index "$tag") - 1) % hosts + 1 )) = "$index" ] || continue
    make_probe "$vlan" "$(probe_mac "$tag")" "$prefix.250/24"
done
# The overlay network's probe of this host, if it has one.
read -r overlay overlay_prefix <<< "$lab_overlay"
if overlay_probes "$hosts" | grep -qx "$index"; then
    make_probe "$overlay-$index" "$(overlay_probe_mac "$index")" "$overlay_prefix.25$index/24"
fi
echo ready > "$hd/state"

# This shell holds the namespaces: it must outlive the daemons (reaping is init.sh's job).
while :; do sleep 3600 & wait $! || true; done

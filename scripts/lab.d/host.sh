# One lab hypervisor host. Runs (bash, not exec'd) inside its own mount, UTS and network
# namespaces, made by init.sh inside the lab's PID namespace. Usage: host.sh LAB NAME INDEX.
# The host's state lives in LAB/hosts/NAME, bound over /run, /etc/libvirt, /var/lib/libvirt,
# /var/cache/libvirt, /var/log, /etc/openvswitch and /var/lib/openvswitch, so each libvirtd has
# its own sockets, configuration, host UUID and domains.
set -euo pipefail
lab=$1 name=$2 index=$3
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

for d in run etc-libvirt lib-libvirt cache-libvirt log etc-openvswitch lib-openvswitch; do mkdir -p "$hd/$d"; done
mkdir -p "$hd/log/libvirt/qemu" "$hd/log/openvswitch" "$hd/run/openvswitch" "$hd/run/libvirt"
cp -a /etc/libvirt/. "$hd/etc-libvirt/"
cp -a /var/lib/libvirt/. "$hd/lib-libvirt/"
cp -a /var/cache/libvirt/. "$hd/cache-libvirt/" 2>/dev/null || true
mount --bind "$hd/run" /run
mount --bind "$hd/etc-libvirt" /etc/libvirt
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
cat >> /etc/libvirt/qemu.conf <<CONF
namespaces = [ ]
cgroup_controllers = [ ]
security_driver = "none"
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
CONF

# Open vSwitch, userspace datapath (there is no openvswitch kernel module here): br-int takes
# the guests' NICs with their VLAN tag and trunks every VLAN to the other hosts over trunk0.
ovsdb-tool create /etc/openvswitch/conf.db /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server --remote=punix:/run/openvswitch/db.sock --pidfile --detach \
    --log-file=/var/log/openvswitch/ovsdb-server.log /etc/openvswitch/conf.db
ovs-vsctl --no-wait init
ovs-vsctl --no-wait set Open_vSwitch . external_ids:system-id="$name" external_ids:hostname="$name"
ovs-vswitchd --pidfile --detach --log-file=/var/log/openvswitch/ovs-vswitchd.log
ovs-vsctl --timeout=20 add-br br-int -- set Bridge br-int datapath_type=netdev fail_mode=standalone \
    -- add-port br-int trunk0

start_libvirtd
virsh -q -c qemu:///system net-define "$lab/lab-ovs.xml" >/dev/null
virsh -q -c qemu:///system net-autostart lab-ovs >/dev/null
virsh -q -c qemu:///system net-start lab-ovs >/dev/null
# The storage pool new VMs' system disks are created in (placement from the palette).
virsh -q -c qemu:///system pool-define-as default dir --target /var/lib/libvirt/images >/dev/null
virsh -q -c qemu:///system pool-autostart default >/dev/null
virsh -q -c qemu:///system pool-start default >/dev/null
echo ready > "$hd/state"

# This shell holds the namespaces: it must outlive the daemons (reaping is init.sh's job).
while :; do sleep 3600 & wait $! || true; done

# The libvirt network every lab host defines for its libvirt-wired guests: their NICs join the
# provider bridge br-phys (beside OVN's localnet ports), tagged by libvirt, one portgroup per
# VLAN. No controller manages it. Usage: network-xml.sh
set -euo pipefail
. "$(dirname "$0")/common.sh"
echo "<network>"
echo "  <name>lab-vlan</name>"
echo "  <forward mode='bridge'/>"
echo "  <bridge name='br-phys'/>"
echo "  <virtualport type='openvswitch'/>"
for v in "${lab_vlans[@]}"; do
    set -- $v
    echo "  <portgroup name='$2'><vlan><tag id='$1'/></vlan></portgroup>"
done
echo "</network>"

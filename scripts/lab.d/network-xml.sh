# The libvirt network every lab host defines: guests' NICs join the Open vSwitch bridge br-int,
# one portgroup per VLAN. Usage: network-xml.sh
set -euo pipefail
. "$(dirname "$0")/common.sh"
echo "<network>"
echo "  <name>lab-ovs</name>"
echo "  <forward mode='bridge'/>"
echo "  <bridge name='br-int'/>"
echo "  <virtualport type='openvswitch'/>"
for v in "${lab_vlans[@]}"; do
    set -- $v
    echo "  <portgroup name='$2'><vlan><tag id='$1'/></vlan></portgroup>"
done
echo "</network>"

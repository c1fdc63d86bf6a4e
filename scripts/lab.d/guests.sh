# The lab's guests. Usage:
#   guests.sh plan HOSTS                 the plan, one guest per line (tab-separated):
#                                        host name tenant MiB load disk running wiring uuid nics
#                                        with wiring ovn|libvirt, uuid the domain's, and
#                                        nics = tag/ip/mac/interfaceid[,...]
#   guests.sh create LAB HOST_INDEX      defines (and starts) that host's guests
#   guests.sh controller LAB HOSTS       ovn-nbctl arguments loading switches, DHCP, ports, probes
#   guests.sh bindings LAB HOSTS SECONDS waits for every chassis and every running ML2/OVN port
#                                        and probe bound to its host's chassis in the SB
#   guests.sh check LAB SECONDS          the data plane: DHCP leases, pings, bindings, probes
#   guests.sh status LAB HOSTS NB SB     the lab's description as JSON
#   guests.sh text LAB HOSTS NB SB       the same for people
#
# Two wirings side by side, as in a cloud that is half OpenStack: "ovn" guests are plugged the
# ML2/OVN way (Nova's bridge interface on br-int, an interfaceid naming their logical switch
# port, no libvirt VLAN, address from OVN's native DHCP); "libvirt" guests (web-N) sit on the
# libvirt network lab-vlan, tagged by libvirt on br-phys, with a static address, unknown to OVN.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

vlan_field() { # tag field-index
    local v; for v in "${lab_vlans[@]}"; do set -- $v; [ "$1" = "$tag" ] && { eval "echo \${$field}"; return; }; done
}
vlan_name() { local tag=$1 field=2; vlan_field; }
vlan_prefix() { local tag=$1 field=3; vlan_field; }
vlan_owner() { local tag=$1 field=4; vlan_field; }
tap_of() { echo "tap${1:0:11}"; } # Nova: "tap" and the port id, cut to 14 characters
domain_uuid() { printf '5a1ad0%02x-%04x-4000-8000-000000000000\n' "$1" "$2"; }
sbctl() { ovn-sbctl --db="unix:$lab/sb/sb.sock" --timeout=10 "$@"; }

plan() {
    local hosts=$1 i role tenants=(acme globex initech)
    for i in $(seq "$hosts"); do
        # role name MiB load disk running tags. Debian's kernel needs about 80 MiB to boot; the
        # 64 MiB "tiny" guest has no kernel (firmware only, idle): the light one to migrate.
        for role in "1 web 80 2 0 1 100" "2 db 96 1 1 1 200" "3 app 96 3 0 1 100,300" \
            "4 batch 80 2 0 0 200" "5 tiny 64 - 0 1 300"; do
            set -- $role
            [ "$1" -ge 4 ] && [ "$i" != 1 ] && continue # on the first host only
            local r=$1 name="$2-$i" mib=$3 load=$4 disk=$5 running=$6 tags=$7 nics="" n=0 tag wiring=ovn
            [ "$2" = web ] && wiring=libvirt
            for tag in ${tags//,/ }; do
                local ip mac id
                ip="$(vlan_prefix "$tag").$((10 * i + r))"
                # Neutron's MAC prefix for ML2/OVN ports, QEMU's for libvirt's.
                if [ $wiring = ovn ]; then
                    mac=$(printf 'fa:16:3e:%02x:%02x:%02x' $((tag / 100)) "$i" $((16 * n + r)))
                else
                    mac=$(printf '52:54:00:%02x:%02x:%02x' $((tag / 100)) "$i" $((16 * n + r)))
                fi
                # UUID-shaped, unique in its first 11 characters (the tap device's name).
                id=$(printf '5a%02x%02x%02x-1ab0-4000-8000-%012x' "$i" "$r" "$n" "$tag")
                nics+="${nics:+,}$tag/$ip/$mac/$id"
                n=$((n + 1))
            done
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$name" "${tenants[$(( (i + r) % 3 ))]}" \
                "$mib" "$load" "$disk" "$running" "$wiring" "$(domain_uuid "$i" "$r")" "$nics"
        done
    done
}

domain_xml() { # lab host name tenant mib load disk wiring uuid nics peers
    local lab=$1 host=$2 name=$3 tenant=$4 mib=$5 load=$6 disk=$7 wiring=$8 uuid=$9 nics=${10} peers=${11} nic ips=""
    for nic in ${nics//,/ }; do
        IFS=/ read -r tag ip mac id <<< "$nic"
        if [ "$wiring" = ovn ]; then ips+="${ips:+,}dhcp"; else ips+="${ips:+,}$ip/24"; fi
    done
    cat <<XML
<domain type='qemu'>
  <name>$name</name>
  <uuid>$uuid</uuid>
  <title>Lab guest $name</title>
  <metadata>
    <vigie:tenant xmlns:vigie="urn:x-vigie:1">$tenant</vigie:tenant>
XML
    if [ "$wiring" = ovn ]; then
        # What Nova writes (nova/virt/libvirt/config.py, LibvirtConfigGuestMetaNovaInstance).
        cat <<XML
    <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
      <nova:package version="31.1.0"/>
      <nova:name>$name</nova:name>
      <nova:creationTime>2026-12-01 09:00:00</nova:creationTime>
      <nova:flavor name="lab.m$mib">
        <nova:memory>$mib</nova:memory>
        <nova:disk>0</nova:disk>
        <nova:swap>0</nova:swap>
        <nova:ephemeral>0</nova:ephemeral>
        <nova:vcpus>1</nova:vcpus>
      </nova:flavor>
      <nova:owner>
        <nova:user uuid="$(project_id "user-$tenant")">$tenant-admin</nova:user>
        <nova:project uuid="$(project_id "$tenant")">$tenant</nova:project>
      </nova:owner>
      <nova:ports>
XML
        for nic in ${nics//,/ }; do
            IFS=/ read -r tag ip mac id <<< "$nic"
            echo "        <nova:port uuid=\"$id\"><nova:ip type=\"fixed\" address=\"$ip\" ipVersion=\"4\"/></nova:port>"
        done
        cat <<XML
      </nova:ports>
    </nova:instance>
XML
    fi
    cat <<XML
  </metadata>
  <memory unit='MiB'>$mib</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
XML
    if [ "$load" != - ]; then
        cat <<XML
    <kernel>$lab/assets/vmlinuz</kernel>
    <initrd>$lab/assets/initrd.gz</initrd>
    <cmdline>console=ttyS0 quiet panic=5 vigie.name=$name vigie.ip=$ips vigie.peers=$peers vigie.load=$load</cmdline>
XML
    fi
    cat <<XML
  </os>
  <features>
    <acpi/>
    <tcg><tb-cache unit='MiB'>24</tb-cache></tcg>
  </features>
  <on_crash>restart</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
XML
    if [ "$disk" = 1 ]; then
        cat <<XML
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/$name.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
XML
    fi
    for nic in ${nics//,/ }; do
        IFS=/ read -r tag ip mac id <<< "$nic"
        if [ "$wiring" = ovn ]; then
            # Nova's vif for ML2/OVN (nova/virt/libvirt/vif.py, designer.py): a bridge interface
            # on the integration bridge, the Neutron port id as the Open vSwitch interfaceid, the
            # tap named after it, the network's MTU (1442: Geneve's overhead), no VLAN.
            cat <<XML
    <interface type='bridge'>
      <mac address='$mac'/>
      <model type='virtio'/>
      <source bridge='br-int'/>
      <mtu size='1442'/>
      <target dev='$(tap_of "$id")'/>
      <virtualport type='openvswitch'><parameters interfaceid='$id'/></virtualport>
    </interface>
XML
        else
            cat <<XML
    <interface type='network'>
      <mac address='$mac'/>
      <source network='lab-vlan' portgroup='$(vlan_name "$tag")'/>
      <vlan><tag id='$tag'/></vlan>
      <virtualport type='openvswitch'><parameters interfaceid='$id'/></virtualport>
      <model type='virtio'/>
    </interface>
XML
        fi
    done
    cat <<XML
    <serial type='pty'><log file='/var/log/libvirt/qemu/$name-console.log' append='on'/><target port='0'/></serial>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
    <video><model type='vga' vram='4096' heads='1'/></video>
    <memballoon model='virtio'><stats period='2'/></memballoon>
  </devices>
</domain>
XML
}

# Running guests' addresses in VLAN TAG other than IP (guests with a kernel: they answer).
peers_of() {
    local plan=$1 tag=$2 self=$3 out="" nic
    while IFS=$'\t' read -r _ _ _ _ load _ running _ _ nics; do
        [ "$running" = 1 ] && [ "$load" != - ] || continue
        for nic in ${nics//,/ }; do IFS=/ read -r t ip _ _ <<< "$nic"; [ "$t" = "$tag" ] && [ "$ip" != "$self" ] && out+="${out:+,}$ip"; done
    done < "$plan"
    echo "$out"
}

create() {
    local lab=$1 index=$2 name host uri starts=() later=()
    host=$(host_name "$index")
    uri="qemu+unix:///system?socket=$lab/hosts/$host/run/libvirt/libvirt-sock"
    while IFS=$'\t' read -r i name tenant mib load disk running wiring uuid nics; do
        [ "$i" = "$index" ] || continue
        local peers="" nic
        for nic in ${nics//,/ }; do
            IFS=/ read -r tag ip _ _ <<< "$nic"
            local p; p=$(peers_of "$lab/guests.tsv" "$tag" "$ip"); peers+="${peers:+${p:+,}}$p"
        done
        [ "$disk" = 1 ] && qemu-img create -q -f qcow2 "$lab/hosts/$host/lib-libvirt/images/$name.qcow2" 32M
        domain_xml "$lab" "$host" "$name" "$tenant" "$mib" "$load" "$disk" "$wiring" "$uuid" "$nics" "$peers" > "$lab/hosts/$host/$name.xml"
        virsh -q -c "$uri" define "$lab/hosts/$host/$name.xml" >/dev/null
        echo "$name defined"
        # Started side by side: one after the other, QEMU's start-up made most of lab up. The
        # libvirt-wired ones (taps on br-phys) wait for the others: a tap added to br-phys while
        # ovn-controller adds its patch ports there was seen never to be read by the userspace
        # datapath again (the guest's virtio TX queue timed out).
        if [ "$running" = 1 ]; then
            if [ "$wiring" = ovn ]; then
                virsh -q -c "$uri" start "$name" >/dev/null & starts+=($!)
            else
                later+=("$name")
            fi
        fi
    done < "$lab/guests.tsv"
    local p
    for p in "${starts[@]}"; do wait "$p"; done
    if [ ${#later[@]} -gt 0 ]; then
        # ovn-controller adds a patch port to br-phys once a local port of a VLAN switch is bound.
        local deadline=$(( $(date +%s) + 20 ))
        while [ ${#starts[@]} -gt 0 ] && ! ovs-vsctl --db="unix:$lab/hosts/$host/run/openvswitch/db.sock" --timeout=5 list-ports br-phys 2>/dev/null | grep -q '^patch-' \
            && [ "$(date +%s)" -lt "$deadline" ]; do
            sleep 0.2
        done
        sleep 1 # let vswitchd finish the reconfiguration the patch ports started
        for name in "${later[@]}"; do virsh -q -c "$uri" start "$name" >/dev/null; done
    fi
    echo "started: $(( ${#starts[@]} + ${#later[@]} )) guests"
}

# The northbound rows, as one ovn-nbctl transaction (one argument a line). Lab-owned switches
# are named after their VLAN and carry external_ids vlan (and their ports vm and tenant); the
# Neutron-shaped one is written as neutron's ML2/OVN driver writes a VLAN provider network
# (neutron/common/ovn/constants.py, ovn_client.py): neutron-<network id>, a provnet-<segment id>
# localnet port with its tag, ports named by their id with neutron:* external_ids.
controller() {
    local lab=$1 hosts=$2 v
    for v in "${lab_vlans[@]}"; do
        set -- $v
        local tag=$1 vlan=$2 prefix=$3 owner=$4 sw ln
        sw=$(vlan_switch "$tag")
        printf '%s\n' -- "--id=@dhcp$tag" create DHCP_Options "cidr=$prefix.0/24" \
            "options:lease_time=\"$dhcp_lease\"" "options:router=\"$prefix.1\"" "options:server_id=\"$prefix.1\"" \
            "options:server_mac=\"fa:16:3e:00:$(printf %02x $((tag / 100))):01\"" "options:mtu=\"1442\""
        if [ "$owner" = neutron ]; then
            ln=provnet-$neutron_segment
            printf '%s\n' "external_ids:subnet_id=\"$neutron_subnet\"" "external_ids:\"neutron:revision_number\"=\"1\"" \
                -- ls-add "$sw" -- set Logical_Switch "$sw" "external_ids:\"neutron:network_name\"=\"$vlan\"" \
                "external_ids:\"neutron:mtu\"=\"1442\"" "external_ids:\"neutron:revision_number\"=\"2\"" \
                "external_ids:\"neutron:availability_zone_hints\"=\"\"" "other_config:mcast_snoop=\"false\"" \
                "other_config:mcast_flood_unregistered=\"false\"" "other_config:vlan-passthru=\"false\"" \
                -- lsp-add "$sw" "$ln" -- lsp-set-type "$ln" localnet -- lsp-set-addresses "$ln" unknown \
                -- lsp-set-options "$ln" network_name=physnet mcast_flood=false mcast_flood_reports=true \
                -- set Logical_Switch_Port "$ln" "tag=$tag"
        else
            ln=ln-$vlan
            printf '%s\n' "external_ids:vigie-lab=\"$vlan\"" \
                -- ls-add "$sw" -- set Logical_Switch "$sw" "external_ids:vlan=$tag" \
                -- lsp-add "$sw" "$ln" -- lsp-set-type "$ln" localnet -- lsp-set-addresses "$ln" unknown \
                -- lsp-set-options "$ln" network_name=physnet -- set Logical_Switch_Port "$ln" "tag_request=$tag"
        fi
        # The VLAN's probe port (scripts/lab probe): the lab's, whoever owns the switch.
        printf '%s\n' -- lsp-add "$sw" "probe-$vlan" -- lsp-set-addresses "probe-$vlan" "$(probe_mac "$tag") $prefix.250" \
            -- set Logical_Switch_Port "probe-$vlan" external_ids:vigie-lab=probe
    done
    # The overlay network and its probes: the lab's, no VLAN.
    local overlay overlay_prefix n
    read -r overlay overlay_prefix <<< "$lab_overlay"
    printf '%s\n' -- ls-add "$overlay" -- set Logical_Switch "$overlay" external_ids:vigie-lab=overlay
    for n in $(overlay_probes "$hosts"); do
        printf '%s\n' -- lsp-add "$overlay" "probe-$overlay-$n" \
            -- lsp-set-addresses "probe-$overlay-$n" "$(overlay_probe_mac "$n") $overlay_prefix.25$n" \
            -- set Logical_Switch_Port "probe-$overlay-$n" external_ids:vigie-lab=probe
    done
    local i name tenant wiring uuid nics nic
    while IFS=$'\t' read -r i name tenant _ _ _ _ wiring uuid nics; do
        [ "$wiring" = ovn ] || continue
        for nic in ${nics//,/ }; do
            IFS=/ read -r tag ip mac id <<< "$nic"
            local sw; sw=$(vlan_switch "$tag")
            printf '%s\n' -- lsp-add "$sw" "$id" -- lsp-set-addresses "$id" "$mac $ip" \
                -- lsp-set-port-security "$id" "$mac $ip" -- set Logical_Switch_Port "$id" "dhcpv4_options=@dhcp$tag"
            if [ "$(vlan_owner "$tag")" = neutron ]; then
                printf '%s\n' "external_ids:\"neutron:device_id\"=\"$uuid\"" "external_ids:\"neutron:device_owner\"=\"compute:nova\"" \
                    "external_ids:\"neutron:project_id\"=\"$(project_id "$tenant")\"" "external_ids:\"neutron:port_name\"=\"\"" \
                    "external_ids:\"neutron:cidrs\"=\"$ip/24\"" "external_ids:\"neutron:network_name\"=\"$sw\"" \
                    "external_ids:\"neutron:host_id\"=\"$(host_name "$i")\"" "external_ids:\"neutron:vnic_type\"=\"normal\"" \
                    "external_ids:\"neutron:security_group_ids\"=\"\"" "external_ids:\"neutron:port_capabilities\"=\"\"" \
                    "external_ids:\"neutron:revision_number\"=\"4\"" \
                    "options:requested-chassis=\"$(host_name "$i")\"" "options:mcast_flood_reports=\"true\""
            else
                printf '%s\n' "external_ids:vm=$name" "external_ids:tenant=$tenant"
            fi
        done
    done < "$lab/guests.tsv"
}

# "port host" for every running ML2/OVN guest NIC and every probe: where each must be bound.
expected_bindings() {
    local lab=$1 hosts=$2 v i running wiring nics nic
    while IFS=$'\t' read -r i _ _ _ _ _ running wiring _ nics; do
        [ "$running" = 1 ] && [ "$wiring" = ovn ] || continue
        for nic in ${nics//,/ }; do IFS=/ read -r _ _ _ id <<< "$nic"; echo "$id $(host_name "$i")"; done
    done < "$lab/guests.tsv"
    for v in "${lab_vlans[@]}"; do
        set -- $v
        echo "probe-$2 $(host_name $(( ($(lab_vlan_index "$1") - 1) % hosts + 1 )))"
    done
    local n
    for n in $(overlay_probes "$hosts"); do echo "probe-${lab_overlay%% *}-$n $(host_name "$n")"; done
}

# What the SB says now: "port chassis-name" per bound port; the registered chassis' names.
actual_bindings() {
    local chassis
    declare -A name_of
    while IFS=, read -r uuid name; do name_of[$uuid]=$name; done \
        < <(sbctl --format=csv --no-headings --data=bare --columns=_uuid,name list Chassis)
    while IFS=, read -r port chassis; do
        if [ -n "$chassis" ]; then echo "$port ${name_of[$chassis]:-?}"; fi
    done < <(sbctl --format=csv --no-headings --data=bare --columns=logical_port,chassis list Port_Binding)
}

bindings() {
    lab=$1
    local hosts=$2 deadline=$(( $(date +%s) + $3 )) missing
    while :; do
        local actual; actual=$(actual_bindings)
        missing=""
        local i
        for i in $(seq "$hosts"); do
            sbctl --bare --columns=name find Chassis "name=$(host_name "$i")" | grep -q . || missing+=" chassis:$(host_name "$i")"
        done
        while read -r port host; do
            grep -qxF "$port $host" <<< "$actual" || missing+=" $port@$host"
        done < <(expected_bindings "$lab" "$hosts")
        [ -n "$missing" ] || return 0
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "not bound in the southbound database after $3 s:$missing" >&2
            echo "bound now: $(tr '\n' ';' <<< "$actual")" >&2
            return 1
        fi
        sleep 0.2
    done
}

# The data plane, polled up to SECONDS: every running ML2/OVN guest took its planned address
# from OVN's DHCP; every booted guest (both wirings) reached each of its VLAN neighbours, on
# other hosts too; every ML2/OVN port is bound to its host's chassis; each VLAN's probe pings a
# guest of that VLAN on another host.
check() {
    lab=$1
    local seconds=$2 deadline=$(( $(date +%s) + $2 )) hosts
    hosts=$(ls "$lab/hosts" | wc -l)
    while :; do
        local missing="" i name running wiring load nics nic console
        while IFS=$'\t' read -r i name _ _ load _ running wiring _ nics; do
            [ "$running" = 1 ] && [ "$load" != - ] || continue
            console="$lab/hosts/$(host_name "$i")/log/libvirt/qemu/$name-console.log"
            local n=0
            for nic in ${nics//,/ }; do
                IFS=/ read -r tag ip _ _ <<< "$nic"
                if [ "$wiring" = ovn ]; then
                    grep -q "vigie-guest: $name dhcp bound eth$n $ip/24" "$console" 2>/dev/null || missing+=" $name:dhcp:eth$n:$ip"
                fi
                local p
                for p in $(peers_of "$lab/guests.tsv" "$tag" "$ip" | tr , ' '); do
                    grep -q "vigie-guest: $name reaches $p[[:space:]]*\$" "$console" 2>/dev/null || missing+=" $name->$p"
                done
                n=$((n + 1))
            done
        done < "$lab/guests.tsv"
        if [ -z "$missing" ]; then
            bindings "$lab" "$hosts" 10 || return 1
            local v failed=""
            for v in "${lab_vlans[@]}"; do
                set -- $v
                local tag=$1 vlan=$2 probe_host target
                probe_host=$(host_name $(( ($(lab_vlan_index "$tag") - 1) % hosts + 1 )))
                # A running guest with a kernel in this VLAN, on another host than the probe.
                target=$(while IFS=$'\t' read -r i name _ _ load _ running _ _ nics; do
                    [ "$running" = 1 ] && [ "$load" != - ] && [ "$(host_name "$i")" != "$probe_host" ] || continue
                    for nic in ${nics//,/ }; do IFS=/ read -r t ip _ _ <<< "$nic"; if [ "$t" = "$tag" ]; then echo "$ip $name $(host_name "$i")"; fi; done
                done < "$lab/guests.tsv")
                target=${target%%$'\n'*}
                [ -n "$target" ] || continue
                set -- $target
                if nsenter --net="/proc/$(probe_pid "$vlan")/ns/net" busybox ping -c1 -W2 "$1" >/dev/null 2>&1; then
                    echo "probe $vlan (on $probe_host) pings $1 ($2 on $3)"
                else
                    failed+=" probe-$vlan->$1"
                fi
            done
            # The overlay: from lab-hv1's probe to lab-hv2's, through a Geneve tunnel.
            local overlay overlay_prefix
            read -r overlay overlay_prefix <<< "$lab_overlay"
            if [ "$hosts" -ge 2 ]; then
                if nsenter --net="/proc/$(probe_pid "$overlay-1")/ns/net" busybox ping -c1 -W2 "$overlay_prefix.252" >/dev/null 2>&1; then
                    echo "probe $overlay-1 (on $(host_name 1)) pings $overlay_prefix.252 ($overlay-2 on $(host_name 2)) over Geneve"
                else
                    failed+=" probe-$overlay-1->$overlay_prefix.252"
                fi
            fi
            [ -z "$failed" ] || { echo "probes failed:$failed" >&2; return 1; }
            echo "data plane ok: DHCP leases, neighbours reached across hosts, ports bound, probes answer"
            return 0
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "after $seconds s, still missing:$missing" >&2
            return 1
        fi
        sleep 1
    done
}

# The probe process of VLAN NAME (marked in its environment by host.sh).
probe_pid() {
    local f
    for f in /proc/[0-9]*/environ; do
        if grep -qxzF "VIGIE_LAB_ROLE=probe:$lab/$1" "$f" 2>/dev/null; then
            f=${f#/proc/}; echo "${f%/environ}"; return 0
        fi
    done
    return 1
}

status() {
    local lab=$1 hosts=$2 nb_port=$3 sb_port=$4 i sep="" v
    printf '{\n  "dir": "%s",\n  "hosts": [' "$lab"
    for i in $(seq "$hosts"); do
        local host; host=$(host_name "$i")
        printf '%s\n    {"name": "%s", "uri": "qemu+unix:///system?socket=%s/hosts/%s/run/libvirt/libvirt-sock", "address": "%s"}' \
            "$sep" "$host" "$lab" "$host" "$(host_address "$i")"
        sep=,
    done
    printf '\n  ],\n  "controller": {"database": "OVN_Northbound", "remotes": ["tcp:127.0.0.1:%s", "unix:%s/nb/nb.sock"]},' "$nb_port" "$lab"
    printf '\n  "southbound": {"database": "OVN_Southbound", "remotes": ["tcp:127.0.0.1:%s", "unix:%s/sb/sb.sock"]},' "$sb_port" "$lab"
    # TLS (reached from the lab network: scripts/lab client): the lab's CA and the console's pkipath.
    printf '\n  "tls": {"port": 16514, "ca": "%s/pki/CA/cacert.pem", "caKey": "%s/pki/CA/cakey.pem", "clientPkiPath": "%s/pki/client", "uri": "qemu+tls://HOST/system?pkipath=%s/pki/client"},' "$lab" "$lab" "$lab" "$lab"
    # The chassis as the SB has them (registered before status is written).
    printf '\n  "chassis": ['
    sep=""
    for i in $(seq "$hosts"); do
        local host encap_ip mappings; host=$(host_name "$i")
        encap_ip=$(sbctl --bare --columns=ip find Encap "chassis_name=$host" | head -1)
        mappings=$(sbctl get Chassis "$host" other_config:ovn-bridge-mappings 2>/dev/null | tr -d '"')
        printf '%s\n    {"name": "%s", "host": "%s", "encap": {"type": "geneve", "ip": "%s"}, "bridgeMappings": "%s"}' \
            "$sep" "$host" "$host" "$encap_ip" "$mappings"
        sep=,
    done
    printf '\n  ],\n  "vlans": ['
    sep=""
    for v in "${lab_vlans[@]}"; do
        set -- $v
        local probe_host; probe_host=$(host_name $(( ($(lab_vlan_index "$1") - 1) % hosts + 1 )))
        printf '%s\n    {"id": %s, "name": "%s", "switch": "%s", "owner": "%s", "subnet": "%s.0/24", "probe": {"port": "probe-%s", "host": "%s", "ip": "%s.250", "mac": "%s"}}' \
            "$sep" "$1" "$2" "$(vlan_switch "$1")" "$4" "$3" "$2" "$probe_host" "$3" "$(probe_mac "$1")"
        sep=,
    done
    local overlay overlay_prefix n
    read -r overlay overlay_prefix <<< "$lab_overlay"
    printf '\n  ],\n  "overlays": [\n    {"name": "%s", "switch": "%s", "owner": "lab", "subnet": "%s.0/24", "probes": [' "$overlay" "$overlay" "$overlay_prefix"
    sep=""
    for n in $(overlay_probes "$hosts"); do
        printf '%s{"port": "probe-%s-%s", "host": "%s", "ip": "%s.25%s", "mac": "%s"}' "$sep" "$overlay" "$n" "$(host_name "$n")" \
            "$overlay_prefix" "$n" "$(overlay_probe_mac "$n")"
        sep=", "
    done
    printf ']}'
    printf '\n  ],\n  "guests": ['
    sep=""
    while IFS=$'\t' read -r i name tenant mib _ _ running wiring uuid nics; do
        local nicsep="" nic out=""
        for nic in ${nics//,/ }; do
            IFS=/ read -r tag ip mac id <<< "$nic"
            if [ "$wiring" = ovn ]; then
                out+=$(printf '%s{"mac": "%s", "vlan": %s, "ip": "%s", "port": "%s", "switch": "%s", "tap": "%s"}' "$nicsep" "$mac" "$tag" "$ip" "$id" "$(vlan_switch "$tag")" "$(tap_of "$id")")
            else
                out+=$(printf '%s{"mac": "%s", "vlan": %s, "ip": "%s", "network": "lab-vlan", "portgroup": "%s"}' "$nicsep" "$mac" "$tag" "$ip" "$(vlan_name "$tag")")
            fi
            nicsep=", "
        done
        printf '%s\n    {"name": "%s", "uuid": "%s", "host": "%s", "tenant": "%s", "memoryMiB": %s, "running": %s, "wiring": "%s", "nics": [%s]}' \
            "$sep" "$name" "$uuid" "$(host_name "$i")" "$tenant" "$mib" "$([ "$running" = 1 ] && echo true || echo false)" "$wiring" "$out"
        sep=,
    done < "$lab/guests.tsv"
    printf '\n  ]\n}\n'
}

text() {
    local lab=$1 hosts=$2 nb_port=$3 sb_port=$4 i v
    printf '%-9s %-12s %-26s %s\n' HOST ADDRESS "CHASSIS (ENCAP, MAPPINGS)" "LIBVIRT URI"
    for i in $(seq "$hosts"); do
        local host encap_ip mappings; host=$(host_name "$i")
        encap_ip=$(sbctl --bare --columns=ip find Encap "chassis_name=$host" | head -1)
        mappings=$(sbctl get Chassis "$host" other_config:ovn-bridge-mappings 2>/dev/null | tr -d '"')
        printf '%-9s %-12s %-26s qemu+unix:///system?socket=%s/hosts/%s/run/libvirt/libvirt-sock\n' "$host" "$(host_address "$i")" \
            "$host (geneve $encap_ip, $mappings)" "$lab" "$host"
    done
    printf '\nOVN northbound: tcp:127.0.0.1:%s  unix:%s/nb/nb.sock\n' "$nb_port" "$lab"
    printf 'OVN southbound: tcp:127.0.0.1:%s  unix:%s/sb/sb.sock (the chassis use the unix socket)\n' "$sb_port" "$lab"
    printf 'TLS: qemu+tls://HOST/system?pkipath=%s/pki/client from the lab network (scripts/lab client CMD; CA %s/pki/CA)\n' "$lab" "$lab"
    printf 'VLANs:'
    for v in "${lab_vlans[@]}"; do set -- $v; printf ' %s %s (switch %s, %s.0/24)' "$1" "$2" "$(vlan_switch "$1")" "$3"; done; echo
    printf 'Overlay: %s (switch %s, %s.0/24, Geneve, no VLAN)\n' "${lab_overlay%% *}" "${lab_overlay%% *}" "${lab_overlay##* }"
    printf 'probes: scripts/lab probe VLAN CMD (at .250 in each subnet); overlay-1, overlay-2 (.251, .252)\n'
    printf '\n%-9s %-9s %-8s %-8s %s\n' GUEST HOST STATE WIRING NICS
    local name running wiring nics
    while IFS=$'\t' read -r i name _ _ _ _ running wiring _ nics; do
        local desc="" nic
        for nic in ${nics//,/ }; do
            IFS=/ read -r tag ip mac id <<< "$nic"
            if [ "$wiring" = ovn ]; then desc+="$ip $mac port $id ($(vlan_switch "$tag")); "
            else desc+="$ip $mac lab-vlan/$(vlan_name "$tag") tag $tag; "; fi
        done
        printf '%-9s %-9s %-8s %-8s %s\n' "$name" "$(host_name "$i")" "$([ "$running" = 1 ] && echo running || echo shutoff)" "$wiring" "${desc%; }"
    done < "$lab/guests.tsv"
}

cmd=$1; shift
"$cmd" "$@"

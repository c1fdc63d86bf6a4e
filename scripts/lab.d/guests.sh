# The lab's guests. Usage:
#   guests.sh plan HOSTS                 the plan, one guest per line (tab-separated):
#                                        host name tenant MiB load disk running nics
#                                        with nics = tag/ip/mac/interfaceid[,...]
#   guests.sh create LAB HOST_INDEX      defines (and starts) that host's guests
#   guests.sh controller LAB             ovn-nbctl arguments loading VLANs and ports
#   guests.sh status LAB HOSTS NB_PORT   the lab's description as JSON
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

vlan_field() { # tag field-index
    local v; for v in "${lab_vlans[@]}"; do set -- $v; [ "$1" = "$tag" ] && { eval "echo \${$field}"; return; }; done
}
vlan_name() { local tag=$1 field=2; vlan_field; }
vlan_prefix() { local tag=$1 field=3; vlan_field; }

plan() {
    local hosts=$1 i role tenants=(acme globex initech)
    for i in $(seq "$hosts"); do
        # role name MiB load disk running tags. Debian's kernel needs about 80 MiB to boot; the
        # 64 MiB "tiny" guest has no kernel (firmware only, idle): the light one to migrate.
        for role in "1 web 80 2 0 1 100" "2 db 96 1 1 1 200" "3 app 96 3 0 1 100,300" \
            "4 batch 80 2 0 0 200" "5 tiny 64 - 0 1 300"; do
            set -- $role
            [ "$1" -ge 4 ] && [ "$i" != 1 ] && continue # on the first host only
            local r=$1 name="$2-$i" mib=$3 load=$4 disk=$5 running=$6 tags=$7 nics="" n=0 tag
            for tag in ${tags//,/ }; do
                local ip mac id
                ip="$(vlan_prefix "$tag").$((10 * i + r))"
                mac=$(printf '52:54:00:%02x:%02x:%02x' $((tag / 100)) "$i" $((16 * n + r)))
                id=$(printf '5a1ab0%02x-%04x-4000-8000-%012x' "$i" "$r" "$n")
                nics+="${nics:+,}$tag/$ip/$mac/$id"
                n=$((n + 1))
            done
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$name" "${tenants[$(( (i + r) % 3 ))]}" \
                "$mib" "$load" "$disk" "$running" "$nics"
        done
    done
}

domain_xml() { # lab host name tenant mib load disk nics peers
    local lab=$1 host=$2 name=$3 tenant=$4 mib=$5 load=$6 disk=$7 nics=$8 peers=$9 nic ips=""
    for nic in ${nics//,/ }; do IFS=/ read -r tag ip mac id <<< "$nic"; ips+="${ips:+,}$ip/24"; done
    cat <<XML
<domain type='qemu'>
  <name>$name</name>
  <title>Lab guest $name</title>
  <metadata>
    <vigie:tenant xmlns:vigie="urn:x-vigie:1">$tenant</vigie:tenant>
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
        cat <<XML
    <interface type='network'>
      <mac address='$mac'/>
      <source network='lab-ovs' portgroup='$(vlan_name "$tag")'/>
      <vlan><tag id='$tag'/></vlan>
      <virtualport type='openvswitch'><parameters interfaceid='$id'/></virtualport>
      <model type='virtio'/>
    </interface>
XML
    done
    cat <<XML
    <serial type='file'><source path='/var/log/libvirt/qemu/$name-console.log'/><target port='0'/></serial>
    <memballoon model='virtio'><stats period='2'/></memballoon>
  </devices>
</domain>
XML
}

# Running guests' addresses in VLAN TAG other than IP.
peers_of() {
    local plan=$1 tag=$2 self=$3 out="" line nic
    while IFS=$'\t' read -r _ _ _ _ load _ running nics; do
        [ "$running" = 1 ] && [ "$load" != - ] || continue
        for nic in ${nics//,/ }; do IFS=/ read -r t ip _ _ <<< "$nic"; [ "$t" = "$tag" ] && [ "$ip" != "$self" ] && out+="${out:+,}$ip"; done
    done < "$plan"
    echo "$out"
}

create() {
    local lab=$1 index=$2 name host uri
    host=$(host_name "$index")
    uri="qemu+unix:///system?socket=$lab/hosts/$host/run/libvirt/libvirt-sock"
    while IFS=$'\t' read -r i name tenant mib load disk running nics; do
        [ "$i" = "$index" ] || continue
        local peers="" nic
        for nic in ${nics//,/ }; do
            IFS=/ read -r tag ip _ _ <<< "$nic"
            local p; p=$(peers_of "$lab/guests.tsv" "$tag" "$ip"); peers+="${peers:+${p:+,}}$p"
        done
        [ "$disk" = 1 ] && qemu-img create -q -f qcow2 "$lab/hosts/$host/lib-libvirt/images/$name.qcow2" 32M
        domain_xml "$lab" "$host" "$name" "$tenant" "$mib" "$load" "$disk" "$nics" "$peers" > "$lab/hosts/$host/$name.xml"
        virsh -q -c "$uri" define "$lab/hosts/$host/$name.xml" >/dev/null
        if [ "$running" = 1 ]; then virsh -q -c "$uri" start "$name" >/dev/null; fi
        echo "$name defined${running/1/ and started}"
    done < "$lab/guests.tsv"
}

controller() {
    local lab=$1 v
    for v in "${lab_vlans[@]}"; do
        set -- $v
        printf '%s\n' -- ls-add "$2" -- set Logical_Switch "$2" "external_ids:vlan=$1" \
            -- lsp-add "$2" "ln-$2" -- lsp-set-type "ln-$2" localnet -- lsp-set-addresses "ln-$2" unknown \
            -- lsp-set-options "ln-$2" network_name=physnet -- set Logical_Switch_Port "ln-$2" "tag_request=$1"
    done
    while IFS=$'\t' read -r _ name tenant _ _ _ _ nics; do
        for nic in ${nics//,/ }; do
            IFS=/ read -r tag ip mac id <<< "$nic"
            printf '%s\n' -- lsp-add "$(vlan_name "$tag")" "$id" -- lsp-set-addresses "$id" "$mac $ip" \
                -- set Logical_Switch_Port "$id" "external_ids:vm=$name" "external_ids:tenant=$tenant"
        done
    done < "$lab/guests.tsv"
}

status() {
    local lab=$1 hosts=$2 nb_port=$3 i sep="" v
    printf '{\n  "dir": "%s",\n  "hosts": [' "$lab"
    for i in $(seq "$hosts"); do
        local host; host=$(host_name "$i")
        printf '%s\n    {"name": "%s", "uri": "qemu+unix:///system?socket=%s/hosts/%s/run/libvirt/libvirt-sock", "address": "%s"}' \
            "$sep" "$host" "$lab" "$host" "$(host_address "$i")"
        sep=,
    done
    printf '\n  ],\n  "controller": {"database": "OVN_Northbound", "remotes": ["tcp:127.0.0.1:%s", "unix:%s/nb/nb.sock"]},\n  "vlans": [' "$nb_port" "$lab"
    sep=""
    for v in "${lab_vlans[@]}"; do set -- $v; printf '%s\n    {"id": %s, "name": "%s"}' "$sep" "$1" "$2"; sep=,; done
    printf '\n  ],\n  "guests": ['
    sep=""
    while IFS=$'\t' read -r i name tenant mib _ _ running _; do
        printf '%s\n    {"name": "%s", "host": "%s", "tenant": "%s", "memoryMiB": %s, "running": %s}' \
            "$sep" "$name" "$(host_name "$i")" "$tenant" "$mib" "$([ "$running" = 1 ] && echo true || echo false)"
        sep=,
    done < "$lab/guests.tsv"
    printf '\n  ]\n}\n'
}

text() {
    local lab=$1 hosts=$2 nb_port=$3 i v
    printf '%-9s %-12s %s\n' HOST ADDRESS "LIBVIRT URI"
    for i in $(seq "$hosts"); do
        local host; host=$(host_name "$i")
        printf '%-9s %-12s qemu+unix:///system?socket=%s/hosts/%s/run/libvirt/libvirt-sock\n' "$host" "$(host_address "$i")" "$lab" "$host"
    done
    printf '\ncontroller (OVN_Northbound): tcp:127.0.0.1:%s  unix:%s/nb/nb.sock\n' "$nb_port" "$lab"
    printf 'VLANs:'; for v in "${lab_vlans[@]}"; do set -- $v; printf ' %s (%s)' "$1" "$2"; done; echo
    printf 'guests: %s defined, %s running\n' "$(wc -l < "$lab/guests.tsv")" "$(awk -F'\t' '$7 == 1' "$lab/guests.tsv" | wc -l)"
}

cmd=$1; shift
"$cmd" "$@"

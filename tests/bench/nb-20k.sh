#!/usr/bin/env bash
# Starts a standalone OVN northbound ovsdb-server in DIR holding SWITCHES (default 200) logical
# switches of 100 ports each (one localnet port with a VLAN tag, 99 VM ports): 20,000 ports by
# default, 100,000 with 1000. Loaded with ovsdb-client, one transaction per switch. Run inside
# scripts/enter; prints the unix remote. Stop it with kill "$(cat DIR/ovsdb-server.pid)".
set -euo pipefail
dir=${1:?usage: nb-20k.sh DIR [SWITCHES]}
switches=${2:-200}
mkdir -p "$dir" /var/run/openvswitch
rm -f "$dir/nb.db"
ovsdb-tool create "$dir/nb.db" /usr/share/ovn/ovn-nb.ovsschema
ovsdb-server --detach --no-chdir --pidfile="$dir/ovsdb-server.pid" --unixctl="$dir/ovsdb-server.ctl" \
    --log-file="$dir/ovsdb-server.log" --remote="punix:$dir/nb.sock" "$dir/nb.db"
for s in $(seq 0 $((switches - 1))); do
    ops="" ports=""
    for p in $(seq 0 99); do
        if [ "$p" = 0 ]; then
            row=$(printf '{"name":"ln-sw%d","type":"localnet","addresses":"unknown","tag_request":%d,"options":["map",[["network_name","physnet"]]]}' "$s" $((100 + s % 3900)))
        else
            row=$(printf '{"name":"sw%d-p%d","addresses":"52:54:00:%02x:%02x:%02x 10.%d.%d.%d","external_ids":["map",[["tenant","tenant-%d"],["vm","vm-%d-%d"]]]}' \
                "$s" "$p" $((s % 256)) $((p / 256)) $((p % 256)) $((s / 256)) $((s % 256)) "$p" $((s % 7)) "$s" "$p")
        fi
        ops+=",{\"op\":\"insert\",\"table\":\"Logical_Switch_Port\",\"uuid-name\":\"p$p\",\"row\":$row}"
        ports+="${ports:+,}[\"named-uuid\",\"p$p\"]"
    done
    ops+=",{\"op\":\"insert\",\"table\":\"Logical_Switch\",\"row\":{\"name\":\"sw$s\",\"ports\":[\"set\",[$ports]]}}"
    ovsdb-client transact "unix:$dir/nb.sock" "[\"OVN_Northbound\"$ops]" > /dev/null
done
echo "unix:$dir/nb.sock"

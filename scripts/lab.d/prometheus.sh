# Usage: prometheus.sh LAB HOSTS PROMETHEUS_PORT EXPORTER_PORT, from init.sh (the lab's
# namespaces). One prometheus-libvirt-exporter per host on 127.0.0.1:EXPORTER_PORT+i-1, reading
# the host's libvirtd through its socket, and one Prometheus on 127.0.0.1:PROMETHEUS_PORT scraping
# them every second, with two hours of retention, its data under LAB/prometheus. Each target
# carries a libvirt_uri label: the URI Vigie connects to, so Vigie matches targets to hosts by it.
# With each, a prometheus-node-exporter (the host's CPU and memory, what Vigie reads of it alone)
# on 127.0.0.1:EXPORTER_PORT+50+i-1, labelled the same: the lab's hosts share one kernel, so
# every host's node exporter reports this machine, as libvirt's node statistics do.
# Writes LAB/prometheus/url once Prometheus is ready and has scraped every exporter.
set -euo pipefail
lab=$1 hosts=$2 prometheus_port=$3 exporter_port=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
dir="$lab/prometheus"
mkdir -p "$dir/data"

{
    echo "global:"
    echo "  scrape_interval: 1s"
    echo "  scrape_timeout: 1s"
    echo "scrape_configs:"
} > "$dir/prometheus.yml"
job() { # NAME PORT_BASE: a scrape job with one target per host, labelled with its libvirt URI
    echo "  - job_name: $1"
    echo "    static_configs:"
    for i in $(seq "$hosts"); do
        name=$(host_name "$i")
        echo "      - targets: ['127.0.0.1:$(($2 + i - 1))']"
        echo "        labels:"
        echo "          host: '$name'"
        echo "          libvirt_uri: 'qemu+unix:///system?socket=$lab/hosts/$name/run/libvirt/libvirt-sock'"
    done
}
job libvirt "$exporter_port" >> "$dir/prometheus.yml"
job node "$((exporter_port + 50))" >> "$dir/prometheus.yml"
for i in $(seq "$hosts"); do
    name=$(host_name "$i")
    uri="qemu+unix:///system?socket=$lab/hosts/$name/run/libvirt/libvirt-sock"
    prometheus-libvirt-exporter --web.listen-address="127.0.0.1:$((exporter_port + i - 1))" --libvirt.uri="$uri" \
        > "$dir/exporter-$name.log" 2>&1 &
    echo "$!" > "$dir/exporter-$name.pid"
    prometheus-node-exporter --web.listen-address="127.0.0.1:$((exporter_port + 50 + i - 1))" \
        --collector.disable-defaults --collector.cpu --collector.meminfo \
        > "$dir/node-exporter-$name.log" 2>&1 &
    echo "$!" > "$dir/node-exporter-$name.pid"
done
prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --storage.tsdb.retention.time=2h --web.listen-address="127.0.0.1:$prometheus_port" \
    > "$dir/prometheus.log" 2>&1 &
echo "$!" > "$dir/prometheus.pid"

get() { # PATH: the body of an HTTP GET to Prometheus (no curl in the environment)
    exec 3<>"/dev/tcp/127.0.0.1/$prometheus_port" || return 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3
    sed '1,/^\r$/d' <&3
    exec 3<&-
}
deadline=$(( $(date +%s) + 60 ))
# Ready when every exporter answered a scrape: libvirt_up == 1 for each libvirt exporter and up ==
# 1 for each node exporter (the query is sum(libvirt_up) + sum(up{job="node"}), encoded).
until [ "$(get '/api/v1/query?query=sum(libvirt_up)%2Bsum(up%7Bjob%3D%22node%22%7D)' 2>/dev/null | grep -o '"value":\[[0-9.]*,"[0-9]*"' | sed 's/.*,"//; s/"//')" = "$((2 * hosts))" ]; do
    kill -0 "$(cat "$dir/prometheus.pid")" 2>/dev/null || { echo "prometheus exited: see $dir/prometheus.log" >&2; exit 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { echo "the exporters were not all scraped within 60 s" >&2; exit 1; }
    sleep 0.5
done
echo "http://127.0.0.1:$prometheus_port" > "$dir/url"

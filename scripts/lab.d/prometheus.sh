# Usage: prometheus.sh LAB HOSTS PROMETHEUS_PORT EXPORTER_PORT, from init.sh (the lab's
# namespaces). One prometheus-libvirt-exporter per host on 127.0.0.1:EXPORTER_PORT+i-1, reading
# the host's libvirtd through its socket, and one Prometheus on 127.0.0.1:PROMETHEUS_PORT scraping
# them every second, with two hours of retention, its data under LAB/prometheus. Each target
# carries a libvirt_uri label: the URI Vigie connects to, so Vigie matches targets to hosts by it.
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
    echo "  - job_name: libvirt"
    echo "    static_configs:"
} > "$dir/prometheus.yml"
for i in $(seq "$hosts"); do
    name=$(host_name "$i")
    uri="qemu+unix:///system?socket=$lab/hosts/$name/run/libvirt/libvirt-sock"
    port=$((exporter_port + i - 1))
    prometheus-libvirt-exporter --web.listen-address="127.0.0.1:$port" --libvirt.uri="$uri" \
        > "$dir/exporter-$name.log" 2>&1 &
    echo "$!" > "$dir/exporter-$name.pid"
    {
        echo "      - targets: ['127.0.0.1:$port']"
        echo "        labels:"
        echo "          host: '$name'"
        echo "          libvirt_uri: '$uri'"
    } >> "$dir/prometheus.yml"
done
prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --storage.tsdb.retention.time=2h --web.listen-address="127.0.0.1:$prometheus_port" \
    > "$dir/prometheus.log" 2>&1 &
echo "$!" > "$dir/prometheus.pid"

# Ready when every exporter answered a scrape: up == 1 for each target.
get() { # PATH: the body of an HTTP GET to Prometheus (no curl in the environment)
    exec 3<>"/dev/tcp/127.0.0.1/$prometheus_port" || return 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3
    sed '1,/^\r$/d' <&3
    exec 3<&-
}
deadline=$(( $(date +%s) + 60 ))
until [ "$(get '/api/v1/query?query=sum(libvirt_up)' 2>/dev/null | grep -o '"value":\[[0-9.]*,"[0-9]*"' | sed 's/.*,"//; s/"//')" = "$hosts" ]; do
    kill -0 "$(cat "$dir/prometheus.pid")" 2>/dev/null || { echo "prometheus exited: see $dir/prometheus.log" >&2; exit 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { echo "the exporters were not all scraped within 60 s" >&2; exit 1; }
    sleep 0.5
done
echo "http://127.0.0.1:$prometheus_port" > "$dir/url"

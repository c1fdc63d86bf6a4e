# The lab's TLS for libvirt (qemu+tls://HOST/system), made with openssl(1). Usage:
#   tls.sh pki LAB HOSTS        the lab's own CA, a server certificate per host and the console's
#                               client certificate (see below); run by init.sh before the hosts
#   tls.sh issue CA_DIR DIR server|client CN SAN [NOT_BEFORE NOT_AFTER]
#                               a certificate signed by CA_DIR's cacert.pem/cakey.pem, written as
#                               libvirt names it in DIR (servercert.pem + serverkey.pem, or
#                               clientcert.pem + clientkey.pem, with cacert.pem beside them: a
#                               client's pkipath=); SAN as openssl writes it (DNS:x,IP:y); the
#                               validity window in openssl's YYYYMMDDHHMMSSZ (default: 30 days)
#
# The lab's files: LAB/pki/CA/{cacert,cakey}.pem (CN "Vigie Lab CA"); LAB/pki/client, a client
# pkipath (cacert.pem, clientcert.pem, clientkey.pem: CN "vigie-console", the one client name the
# hosts' tls_allowed_dn_list admits); LAB/hosts/NAME/pki/{cacert,servercert,serverkey}.pem, the
# files the host's libvirtd.conf names (CN and subjectAltName: the host's name and address), with
# a copy in LAB/hosts/NAME/pki/lab/ that `scripts/lab tls HOST reset` serves again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

# EC P-256 keys (fast to make); keyUsage non-critical without keyEncipherment, which an ECDSA
# key does not do (libvirt only warns when a non-critical usage lacks it).
issue() { # CA_DIR DIR server|client CN SAN [NOT_BEFORE NOT_AFTER]
    local ca=$1 dir=$2 role=$3 cn=$4 san=$5 not_before=${6:-} not_after=${7:-} purpose validity
    mkdir -p "$dir"
    case $role in server) purpose=serverAuth ;; client) purpose=clientAuth ;; *) echo "issue: server or client" >&2; return 2 ;; esac
    if [ -n "$not_before" ]; then validity=(-not_before "$not_before" -not_after "$not_after"); else validity=(-days 30); fi
    printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=%s\nsubjectAltName=%s\n' \
        "$purpose" "$san" > "$dir/$role.ext"
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$cn" \
        -keyout "$dir/${role}key.pem" -out "$dir/$role.csr" 2>/dev/null
    openssl x509 -req -in "$dir/$role.csr" -CA "$ca/cacert.pem" -CAkey "$ca/cakey.pem" -set_serial "0x$(openssl rand -hex 8)" \
        -extfile "$dir/$role.ext" "${validity[@]}" -out "$dir/${role}cert.pem" 2>/dev/null
    rm -f "$dir/$role.csr" "$dir/$role.ext"
    cp "$ca/cacert.pem" "$dir/cacert.pem"
    chmod 600 "$dir/${role}key.pem"
}

make_ca() { # DIR CN
    mkdir -p "$1"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj "/CN=$2" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
        -keyout "$1/cakey.pem" -out "$1/cacert.pem" 2>/dev/null
    chmod 600 "$1/cakey.pem"
}

pki() { # LAB HOSTS
    local lab=$1 hosts=$2 i name
    make_ca "$lab/pki/CA" "Vigie Lab CA"
    issue "$lab/pki/CA" "$lab/pki/client" client vigie-console DNS:vigie-console
    for i in $(seq "$hosts"); do
        name=$(host_name "$i")
        issue "$lab/pki/CA" "$lab/hosts/$name/pki/lab" server "$name" "DNS:$name,IP:$(host_address "$i")"
        cp -a "$lab/hosts/$name/pki/lab/." "$lab/hosts/$name/pki/"
    done
}

cmd=$1; shift
case $cmd in
    pki|issue|make_ca) "$cmd" "$@" ;;
    *) echo "tls.sh: pki, issue or make_ca" >&2; exit 2 ;;
esac

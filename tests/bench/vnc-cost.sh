#!/usr/bin/env bash
# What a VNC display costs a lab guest (TCG): three identical 64 MiB guests side by side, booted
# from the lab's kernel and initrd (no NIC, no load), over the same window after their boot: no
# display; the lab's VGA (4 MiB) + VNC with nobody connected; the same with a viewer connected that
# asks for updates continuously (a minimal RFB client below, raw encoding). Prints each QEMU's CPU
# share and RSS. Needs a lab's assets: scripts/lab up (or its assets step) first.
#   scripts/enter tests/bench/vnc-cost.sh [ASSETS_DIR]   (default $VIGIE_LAB_DIR/assets)
set -euo pipefail
A=${1:-${VIGIE_LAB_DIR:-/tmp/vigie-lab}/assets}
WARM=${WARM:-40}; WINDOW=${WINDOW:-60}
[ -f "$A/vmlinuz" ] || { echo "no lab assets in $A" >&2; exit 1; }
viewer=$(mktemp); trap 'rm -f "$viewer"' EXIT
cat > "$viewer" <<'PY'
import socket, struct, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
def recv(n):
    b = b''
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c: raise SystemExit('closed')
        b += c
    return b
recv(12); s.sendall(b'RFB 003.008\n')
n = recv(1)[0]; recv(n); s.sendall(b'\x01'); recv(4)
s.sendall(b'\x01')
w, h = struct.unpack('>HH', recv(4)); recv(16); recv(struct.unpack('>I', recv(4))[0])
s.sendall(struct.pack('>BxxxBBBBHHHBBBxxx', 0, 32, 24, 0, 1, 255, 255, 255, 16, 8, 0))
s.sendall(struct.pack('>BxHi', 2, 1, 0))
s.sendall(struct.pack('>BBHHHH', 3, 0, 0, 0, w, h))
end = time.time() + float(sys.argv[3])
while time.time() < end:
    t = recv(1)[0]
    if t == 0:
        recv(1); nr = struct.unpack('>H', recv(2))[0]
        for _ in range(nr):
            x, y, rw, rh, enc = struct.unpack('>HHHHi', recv(12))
            if enc == 0: recv(rw * rh * 4)
        s.sendall(struct.pack('>BBHHHH', 3, 1, 0, 0, w, h))
    elif t == 2: pass
    elif t == 3: recv(3); recv(struct.unpack('>I', recv(4))[0])
    else: raise SystemExit('message %d' % t)
PY
common=(-machine pc -accel tcg,tb-size=24 -m 64 -smp 1 -nodefaults -no-user-config -kernel "$A/vmlinuz"
        -initrd "$A/initrd.gz" -append "console=ttyS0 quiet vigie.name=m vigie.load=0" -serial null -monitor none
        -display none)
qemu-system-x86_64 "${common[@]}" -vga none & p1=$!
qemu-system-x86_64 "${common[@]}" -device VGA,vgamem_mb=4 -vnc 127.0.0.1:77 & p2=$!
qemu-system-x86_64 "${common[@]}" -device VGA,vgamem_mb=4 -vnc 127.0.0.1:78 & p3=$!
trap 'kill $p1 $p2 $p3 2>/dev/null; rm -f "$viewer"' EXIT
sleep "$WARM"
python3 "$viewer" 127.0.0.1 5978 $((WINDOW + 10)) & v=$!
sleep 2
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
a1=$(cpu $p1); a2=$(cpu $p2); a3=$(cpu $p3); av=$(cpu $v)
sleep "$WINDOW"
b1=$(cpu $p1); b2=$(cpu $p2); b3=$(cpu $p3); bv=$(cpu $v)
hz=$(getconf CLK_TCK)
for row in "no display:$p1:$a1:$b1" "VGA+VNC, nobody connected:$p2:$a2:$b2" "VGA+VNC, a viewer connected:$p3:$a3:$b3" \
           "the viewer itself:$v:$av:$bv"; do
    IFS=: read -r name pid a b <<< "$row"
    rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
    printf '%-30s CPU %5s %% of a core, RSS %s MiB\n' "$name" \
        "$(awk -v a="$a" -v b="$b" -v hz="$hz" -v w="$WINDOW" 'BEGIN{printf "%.2f", (b-a)*100/hz/w}')" $((rss / 1024))
done

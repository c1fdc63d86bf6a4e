# Makes a lab guest's boot files in DIR: vmlinuz (the environment's Debian kernel) and
# initrd.gz (static busybox, GUEST_INIT as /init, guest-dhcp beside it as udhcpc's hook, the
# virtio modules it needs, uncompressed because busybox's insmod cannot read .ko.xz).
# Usage: assets.sh DIR GUEST_INIT.
set -euo pipefail
dir=$1 guest_init=$2
kver=$(ls /lib/modules | sort -V | tail -1)
[ -f "/boot/vmlinuz-$kver" ] || { echo "no kernel in /boot: is linux-image-amd64 in scripts/packages.txt?" >&2; exit 1; }
rm -rf "$dir"; mkdir -p "$dir/root/bin" "$dir/root/lib/modules" "$dir/root/proc" "$dir/root/sys" "$dir/root/dev" "$dir/root/tmp" "$dir/root/etc"
ln -sf "/boot/vmlinuz-$kver" "$dir/vmlinuz"
cp /bin/busybox "$dir/root/bin/busybox"
install -m 755 "$guest_init" "$dir/root/init"
install -m 755 "$(dirname "$guest_init")/guest-dhcp" "$dir/root/etc/udhcpc.script"
: > "$dir/root/lib/modules/order"
for m in $(modprobe -a -S "$kver" --show-depends virtio_net virtio_blk virtio_balloon button evdev | awk '$1 == "insmod" { print $2 }' | awk '!seen[$0]++'); do
    base=$(basename "$m"); base=${base%.xz}; base=${base%.zst}
    case $m in
        *.xz) busybox unxz -c "$m" > "$dir/root/lib/modules/$base" ;;
        *.zst) zstd -qdc "$m" > "$dir/root/lib/modules/$base" ;;
        *) cp "$m" "$dir/root/lib/modules/$base" ;;
    esac
    echo "$base" >> "$dir/root/lib/modules/order"
done
(cd "$dir/root" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 > "$dir/initrd.gz")

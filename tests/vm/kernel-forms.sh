#!/usr/bin/env bash
# Runs pipehang with the kernel given as a .deb file or as a bare vmlinuz
# path (from the unpacked package) instead of a Debian version, so those
# --kernel forms are tested on real boots too.
#   kernel-forms.sh deb|vmlinuz VERSION PIPEHANG SUBCOMMAND ARGS...
# (run under expect.sh, which sets a private TMPDIR; everything put there
# is removed before exiting)
set -uo pipefail
form=$1 version=$2 pipehang=$3
shift 3
work=$TMPDIR/kernel-forms
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
(cd "$work" && timeout 600 apt-get download -q "linux-image-$version" 2>/dev/null) || {
	echo "kernel-forms.sh: apt-get download linux-image-$version failed"
	exit 99
}
deb=$(ls "$work"/linux-image-"$version"_*.deb)
case $form in
deb) kernel=$deb ;;
vmlinuz)
	dpkg-deb -x "$deb" "$work/root"
	kernel=$work/root/boot/vmlinuz-$version
	;;
*) echo "kernel-forms.sh: form must be deb or vmlinuz" >&2; exit 2 ;;
esac
echo "kernel-forms.sh: --kernel $kernel"
"$pipehang" "$1" --kernel "$kernel" "${@:2}"

#!/usr/bin/env bash
# When build-kernel.sh runs `make olddefconfig` again (scripts/kernel/
# config-stamp.sh), on a small stand-in tree -- no kernel, a second:
#  - right after olddefconfig (and its stamp) nothing needs redoing;
#  - a Kconfig file kbuild read that is newer (a checkout changed it), one
#    that is gone, an edited .config, another compiler command, a missing
#    stamp or missing kbuild records each mean: run it again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/pipehang-configstamp-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
source "$here/../../scripts/kernel/config-stamp.sh"
fails=0
check() { # check DESCRIPTION COMMAND...
	if "${@:2}"; then echo "ok: $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi
}
not_current() { ! config_is_current; }
cd "$work"
mkdir -p include/config fs arch/x86
echo 'config EXT4_FS' >fs/Kconfig
echo 'config X86' >arch/x86/Kconfig
echo 'source "fs/Kconfig"' >Kconfig
echo 'CONFIG_EXT4_FS=y' >.config
echo 'CONFIG_EXT4_FS=y' >include/config/auto.conf
printf 'deps_config := \\\n\tKconfig \\\n\tarch/x86/Kconfig \\\n\tfs/Kconfig \\\n\ninclude/config/auto.conf: $(deps_config)\n' \
	>include/config/auto.conf.cmd
# A stand-in for make: olddefconfig() runs "${mk[@]}" olddefconfig.
cc="ccache gcc" log=$work/log runs=0
fake_make() { runs=$((runs + 1)); }
mk=(fake_make)

check "no stamp yet: run it" not_current
olddefconfig
check "olddefconfig() ran make olddefconfig" test "$runs" = 1
check "right after it: nothing to redo" config_is_current
sleep 0.01
touch fs/Kconfig
check "a Kconfig file newer than the stamp (a checkout changed it): run it" not_current
olddefconfig
check "stamped again: nothing to redo" config_is_current
echo 'CONFIG_PRINTK=y' >>.config
check "an edited .config: run it" not_current
olddefconfig
cc=gcc
check "another compiler command: run it" not_current
olddefconfig
mv fs/Kconfig fs/Kconfig.gone
check "a Kconfig file kbuild read is gone: run it" not_current
mv fs/Kconfig.gone fs/Kconfig
check "it is back, older than the stamp: nothing to redo" config_is_current
rm include/config/auto.conf.cmd
check "no kbuild record of what Kconfig read: run it" not_current
[ $fails -eq 0 ] && echo "config-stamp: all checks passed"
[ $fails -eq 0 ]

#!/bin/sh
# /init of the capture initramfs (capture.sh): mounts the pseudo file systems,
# does what cls= on the kernel command line asks, powers off.
#   cls=clean          boot to here and power off (a clean log)
#   cls=sysrq          echo c > /proc/sysrq-trigger
#   cls=mod:WHAT       insmod clstest.ko what=WHAT [seconds=N from the command line]
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mode=$(sed 's/.*cls=\([^ ]*\).*/\1/' /proc/cmdline)
echo "cls-init: mode=$mode"
case "$mode" in
clean) ;;
sysrq) echo c > /proc/sysrq-trigger ;;
mod:*) insmod /mods/clstest.ko what=${mode#mod:} $(sed -n "s/.*cls=mod:[^ ]* \(seconds=[0-9]*\).*/\1/p" /proc/cmdline); echo "cls-init: insmod exit $?"; sleep ${CLS_SLEEP:-1} ;;
esac
echo "cls-init: done"
poweroff -f

# The case part of a capture boot's guest script (capture.sh): run by the
# standard guest (harness/guest/init) as /test.sh, after capture.sh's
# header set CLS_MODE and CLS_ARGS and unpacked the test module to
# /tmp/clstest.ko. Does what CLS_MODE asks; the init powers off after it.
#   clean          nothing (a clean log)
#   sysrq          echo c > /proc/sysrq-trigger
#   mod:WHAT       insmod clstest.ko what=WHAT $CLS_ARGS (e.g. seconds=N)
echo "cls-init: mode=$CLS_MODE"
case "$CLS_MODE" in
clean) ;;
sysrq) echo c >/proc/sysrq-trigger ;;
mod:*)
	insmod /tmp/clstest.ko what="${CLS_MODE#mod:}" $CLS_ARGS
	echo "cls-init: insmod exit $?"
	sleep 1
	;;
esac
echo "cls-init: done"

// SPDX-License-Identifier: GPL-2.0
/*
 * pipewatch: the module parameters, their ranges and defaults.
 *
 * A leaf, like pw_stats.c: the scanner, the report code, debugfs and init
 * all read these, so they live below all of them rather than in pw_main.c,
 * which calls those files.  Each description states the range and the
 * default, built from the same macros the code uses.
 */
#define pr_fmt(fmt) "pipewatch: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/stringify.h>
#include "pipewatch.h"

/*
 * 1000 ms: the harness promises the holder named in about a second, and
 * the module loaded without arguments should keep that promise too.
 */
unsigned int pw_wait_threshold_ms = PW_WAIT_DEFAULT_MS;
module_param_named(wait_threshold_ms, pw_wait_threshold_ms, uint, 0444);
MODULE_PARM_DESC(wait_threshold_ms,
		 "Report a pipe-mutex wait after this many ms ("
		 __stringify(PW_WAIT_MIN_MS) ".." __stringify(PW_WAIT_MAX_MS)
		 ", default " __stringify(PW_WAIT_DEFAULT_MS)
		 "; runtime: debugfs)");

/*
 * Well above wait_threshold_ms, so a task stuck behind a pipe mutex gets
 * its pipe_wait record (which names the holder) first, and well below the
 * 120 s of the kernel's own hung-task detector.
 */
unsigned int pw_hung_threshold_ms = PW_HUNG_DEFAULT_MS;
module_param_named(hung_threshold_ms, pw_hung_threshold_ms, uint, 0444);
MODULE_PARM_DESC(hung_threshold_ms,
		 "Report a task in D state not scheduled for this many ms (0=off, "
		 __stringify(PW_HUNG_MIN_MS) ".." __stringify(PW_HUNG_MAX_MS)
		 ", default " __stringify(PW_HUNG_DEFAULT_MS)
		 "; runtime: debugfs)");

unsigned int pw_report_burst = PW_BURST_DEFAULT;
module_param_named(report_burst, pw_report_burst, uint, 0444);
MODULE_PARM_DESC(report_burst,
		 "Records allowed per report_interval_s before suppressing ("
		 __stringify(PW_BURST_MIN) ".." __stringify(PW_BURST_MAX)
		 ", default " __stringify(PW_BURST_DEFAULT) ")");

unsigned int pw_report_interval_s = PW_INTERVAL_DEFAULT_S;
module_param_named(report_interval_s, pw_report_interval_s, uint, 0444);
MODULE_PARM_DESC(report_interval_s,
		 "Rate-limit window for records, in seconds (0=no limit, 1.."
		 __stringify(PW_INTERVAL_MAX_S)
		 ", default " __stringify(PW_INTERVAL_DEFAULT_S) ")");

/*
 * How contended mutex waits are seen (pw_waiters.c).  0 (auto): the
 * contention tracepoints when the kernel has them, else the kretprobe
 * fallback.  1 and 2 force one way, and the load fails if it cannot work
 * here: 2 lets a test run the fallback on a kernel that has tracepoints
 * (the lockdep run of the debug kernel).  A number, not a word, so that
 * its range is checked like every other parameter's.
 */
unsigned int pw_waiter_probe = PW_PROBE_AUTO;
module_param_named(waiter_probe, pw_waiter_probe, uint, 0444);
MODULE_PARM_DESC(waiter_probe,
		 "How contended mutex waits are seen: 0=auto (contention tracepoints if the kernel has them, else kretprobe), 1=tracepoint, 2=kretprobe ("
		 __stringify(PW_PROBE_AUTO) ".." __stringify(PW_PROBE_MAX)
		 ", default " __stringify(PW_PROBE_AUTO) ")");

/*
 * Checked once at load: the parameters are read-only in sysfs, and
 * debugfs validates the thresholds itself.  A value out of range fails
 * the load rather than being clamped, so a typo cannot silently turn a
 * check off.
 */
int pw_params_check(void)
{
	if (pw_wait_threshold_ms < PW_WAIT_MIN_MS ||
	    pw_wait_threshold_ms > PW_WAIT_MAX_MS) {
		pr_err("wait_threshold_ms=%u out of range %u..%u\n",
		       pw_wait_threshold_ms, PW_WAIT_MIN_MS, PW_WAIT_MAX_MS);
		return -EINVAL;
	}
	if (pw_hung_threshold_ms && (pw_hung_threshold_ms < PW_HUNG_MIN_MS ||
				     pw_hung_threshold_ms > PW_HUNG_MAX_MS)) {
		pr_err("hung_threshold_ms=%u out of range 0 or %u..%u\n",
		       pw_hung_threshold_ms, PW_HUNG_MIN_MS, PW_HUNG_MAX_MS);
		return -EINVAL;
	}
	/* A burst of 0 would suppress every record: the module would be mute. */
	if (pw_report_burst < PW_BURST_MIN || pw_report_burst > PW_BURST_MAX) {
		pr_err("report_burst=%u out of range %u..%u\n",
		       pw_report_burst, PW_BURST_MIN, PW_BURST_MAX);
		return -EINVAL;
	}
	/* The window is kept in jiffies in an int: bound it well below that. */
	if (pw_report_interval_s > PW_INTERVAL_MAX_S) {
		pr_err("report_interval_s=%u out of range 0 or 1..%u\n",
		       pw_report_interval_s, PW_INTERVAL_MAX_S);
		return -EINVAL;
	}
	if (pw_waiter_probe > PW_PROBE_MAX) {
		pr_err("waiter_probe=%u out of range %u..%u\n",
		       pw_waiter_probe, PW_PROBE_AUTO, PW_PROBE_MAX);
		return -EINVAL;
	}
	return 0;
}

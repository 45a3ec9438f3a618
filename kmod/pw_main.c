// SPDX-License-Identifier: GPL-2.0
/*
 * pipewatch: report who holds a pipe's mutex while others wait for it,
 * and tasks hung in uninterruptible sleep, within seconds.
 *
 * The bug this was written for: a task closing a pipe blocks in
 * pipe_release() on pipe->mutex while another task holds that mutex
 * across splice() -> iter_file_splice_write() -> an O_DIRECT write.
 * The kernel's hung-task report names only the waiter, after 120 s;
 * pipewatch names the holder and both stacks after wait_threshold_ms.
 *
 * Only kprobes/kretprobes are used: no kernel patch is needed.
 */
#define pr_fmt(fmt) "pipewatch: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include "pipewatch.h"

unsigned int pw_wait_threshold_ms = 2000;
module_param_named(wait_threshold_ms, pw_wait_threshold_ms, uint, 0444);
MODULE_PARM_DESC(wait_threshold_ms,
		 "Report a pipe-mutex wait after this many ms (10..600000, default 2000; runtime: debugfs)");

unsigned int pw_hung_threshold_ms = 10000;
module_param_named(hung_threshold_ms, pw_hung_threshold_ms, uint, 0444);
MODULE_PARM_DESC(hung_threshold_ms,
		 "Report a task in D state not scheduled for this many ms (0=off, 100..3600000, default 10000; runtime: debugfs)");

static int __init pipewatch_init(void)
{
	int ret;

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

	pw_report_init();
	ret = pw_stack_init();
	if (ret)
		return ret;
	ret = pw_holders_init();
	if (ret)
		return ret;
	ret = pw_waiters_init();
	if (ret)
		goto err_holders;
	ret = pw_scan_start();
	if (ret)
		goto err_waiters;
	ret = pw_debugfs_init();
	if (ret)
		goto err_scan;

	pr_info("loaded: wait_threshold_ms=%u hung_threshold_ms=%u wait_probe=%s\n",
		pw_wait_threshold_ms, pw_hung_threshold_ms, pw_waiters_method());
	return 0;

err_scan:
	pw_scan_stop();
err_waiters:
	pw_waiters_exit();
err_holders:
	pw_holders_exit();
	return ret;
}

static void __exit pipewatch_exit(void)
{
	/* No new hold requests, then no new holds, then no new reports. */
	pw_debugfs_exit();
	pw_hold_exit();
	pw_scan_stop();
	pw_waiters_exit();
	pw_holders_exit();
	pr_info("unloaded\n");
}

module_init(pipewatch_init);
module_exit(pipewatch_exit);
MODULE_DESCRIPTION("Report pipe-mutex holders and hung tasks (kprobes)");
MODULE_LICENSE("GPL");

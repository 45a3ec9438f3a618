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
 * Only kprobes, kretprobes and the kernel's lock-contention tracepoints
 * are used: no kernel patch is needed.
 *
 * Files, each calling only files below it (no cycles):
 *   pw_main.c      init/exit
 *   pw_debugfs.c   /sys/kernel/debug/pipewatch/
 *   pw_scan.c      the scanner thread: classifies waits, reports
 *   pw_hold.c      the `hold` positive control
 *   pw_waiters.c   who waits for which mutex
 *   pw_report.c    the record format and its rate limit
 *   pw_holders.c   when the holder took a pipe mutex
 *   pw_stack.c     stacks of other tasks
 *   pw_params.c    module parameters (leaf)
 *   pw_stats.c     statistics (leaf)
 */
#define pr_fmt(fmt) "pipewatch: " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include "pipewatch.h"

static int __init pipewatch_init(void)
{
	int ret;

	ret = pw_params_check();
	if (ret)
		return ret;
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
		pw_wait_threshold_ms, pw_hung_threshold_ms, pw_stats_wait_probe());
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

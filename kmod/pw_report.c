// SPDX-License-Identifier: GPL-2.0
/*
 * pipewatch: the kernel-log records, their rate limit, and the statistics.
 *
 * Record format (a fixed contract with the log classifier and the oracle,
 * see docs/pipewatch.md):
 *   pipewatch: event=pipe_wait id=7 func=pipe_release waiter=c/1 waited_ms=2004
 *              pipe_ino=4567 holder=c/2 held_ms=2010     (one line)
 *   pipewatch: id=7 holder stack:
 *   pipewatch: id=7  <frame>                              (one per frame)
 *   pipewatch: id=7 waiter stack:
 *   pipewatch: id=7  <frame>
 *   pipewatch: id=7 end
 */
#define pr_fmt(fmt) "pipewatch: " fmt

#include <linux/kernel.h>
#include <linux/ratelimit.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/sched/task.h>
#include <linux/ktime.h>
#include "pipewatch.h"

static unsigned int report_burst = 10;
module_param(report_burst, uint, 0444);
MODULE_PARM_DESC(report_burst,
		 "Records allowed per report_interval_s before suppressing (default 10)");

static unsigned int report_interval_s = 60;
module_param(report_interval_s, uint, 0444);
MODULE_PARM_DESC(report_interval_s,
		 "Rate-limit window for records, in seconds (default 60)");

static struct ratelimit_state pw_rs;
static atomic_t pw_next_id = ATOMIC_INIT(0);

/* Upper bounds (ms) of the wait histogram buckets; the last is open. */
static const unsigned int pw_hist_limits[PW_HIST_BUCKETS - 1] = {
	250, 500, 1000, 2000, 5000, 10000, 30000,
};

static struct {
	u64 pipe_wait_events;
	u64 hung_task_events;
	u64 suppressed;
	u64 pipe_waits;
	u64 longest_wait_ms;
	u64 running_stacks;
	u64 hist[PW_HIST_BUCKETS];
} pw_stats;
static DEFINE_RAW_SPINLOCK(pw_stats_lock);
/*
 * Updated from kprobe (int3, NMI-like) context, so outside pw_stats_lock:
 * an atomic maximum.
 */
static atomic64_t pw_longest_hold_ms;

static void pw_hold_max(u64 ms)
{
	s64 cur = atomic64_read(&pw_longest_hold_ms);

	while ((u64)cur < ms && !atomic64_try_cmpxchg(&pw_longest_hold_ms, &cur, ms))
		;
}

void pw_report_init(void)
{
	ratelimit_state_init(&pw_rs, report_interval_s * HZ, report_burst);
	/* Count suppressions in `stats` instead of logging a message. */
	ratelimit_set_flags(&pw_rs, RATELIMIT_MSG_ON_RELEASE);
}

bool pw_report_allowed(void)
{
	unsigned long flags;

	if (__ratelimit(&pw_rs))
		return true;
	raw_spin_lock_irqsave(&pw_stats_lock, flags);
	pw_stats.suppressed++;
	raw_spin_unlock_irqrestore(&pw_stats_lock, flags);
	return false;
}

void pw_task_name(struct task_struct *t, char *buf, size_t len)
{
	char comm[TASK_COMM_LEN];
	char *c;

	get_task_comm(comm, t);
	for (c = comm; *c; c++)
		if (*c == ' ' || *c == '/' || *c == '=')
			*c = '_';
	snprintf(buf, len, "%s/%d", comm, task_pid_nr(t));
}

static void pw_print_stack(unsigned int id, const char *who,
			   const struct pw_stack *st)
{
	unsigned int i;

	pr_info("id=%u %s stack:\n", id, who);
	for (i = 0; i < st->nr; i++) {
		/* %pB adjusts return addresses; an interrupted IP is exact. */
		if (i == 0 && st->first_is_ip)
			pr_info("id=%u  %pS\n", id, (void *)st->entries[i]);
		else
			pr_info("id=%u  %pB\n", id, (void *)st->entries[i]);
	}
}

void pw_report_emit(struct pw_event *ev)
{
	char waiter[TASK_COMM_LEN + 16];
	char holder[TASK_COMM_LEN + 16] = "none/0";
	unsigned int id = atomic_inc_return(&pw_next_id);
	unsigned long flags;
	bool pipe = !strcmp(ev->event, "pipe_wait");

	pw_task_name(ev->waiter, waiter, sizeof(waiter));
	if (ev->holder)
		pw_task_name(ev->holder, holder, sizeof(holder));
	else
		ev->held_ms = -1;

	/*
	 * holder_state tells the two ways of holding pipe->mutex apart: a
	 * holder found on a CPU (its stack taken by IPI) is spinning -- the
	 * zero-length-bvec bug -- while one asleep waits, e.g. for a slow disk.
	 */
	pr_info("event=%s id=%u func=%s waiter=%s waited_ms=%llu pipe_ino=%lu holder=%s held_ms=%lld holder_state=%s\n",
		ev->event, id, ev->func, waiter, ev->waited_ms, ev->pipe_ino,
		holder, ev->held_ms,
		!ev->holder ? "none" :
		ev->holder_stack.first_is_ip ? "running" : "sleeping");
	pw_print_stack(id, "holder", &ev->holder_stack);
	pw_print_stack(id, "waiter", &ev->waiter_stack);
	pr_info("id=%u end\n", id);

	raw_spin_lock_irqsave(&pw_stats_lock, flags);
	if (pipe)
		pw_stats.pipe_wait_events++;
	else
		pw_stats.hung_task_events++;
	if (pipe && ev->waited_ms > pw_stats.longest_wait_ms)
		pw_stats.longest_wait_ms = ev->waited_ms;
	if (ev->held_ms > 0)
		pw_hold_max(ev->held_ms);
	raw_spin_unlock_irqrestore(&pw_stats_lock, flags);
}

/* A pipe-mutex wait the scanner classified has ended (probe context). */
void pw_stats_wait_done(u64 wait_ns)
{
	u64 ms = div_u64(wait_ns, NSEC_PER_MSEC);
	unsigned long flags;
	int b;

	for (b = 0; b < PW_HIST_BUCKETS - 1; b++)
		if (ms < pw_hist_limits[b])
			break;
	raw_spin_lock_irqsave(&pw_stats_lock, flags);
	pw_stats.pipe_waits++;
	pw_stats.hist[b]++;
	if (ms > pw_stats.longest_wait_ms)
		pw_stats.longest_wait_ms = ms;
	raw_spin_unlock_irqrestore(&pw_stats_lock, flags);
}

/* A pipe_lock() hold tracked by pw_holders.c has ended (probe context). */
void pw_stats_hold_done(u64 hold_ns)
{
	pw_hold_max(div_u64(hold_ns, NSEC_PER_MSEC));
}

/* A stack was taken from a task running on another CPU (via IPI). */
void pw_stats_running_stack(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&pw_stats_lock, flags);
	pw_stats.running_stacks++;
	raw_spin_unlock_irqrestore(&pw_stats_lock, flags);
}

int pw_stats_show(struct seq_file *m, void *v)
{
	unsigned long flags;
	typeof(pw_stats) s;
	int b;

	raw_spin_lock_irqsave(&pw_stats_lock, flags);
	s = pw_stats;
	raw_spin_unlock_irqrestore(&pw_stats_lock, flags);

	seq_printf(m, "events %llu\n", s.pipe_wait_events + s.hung_task_events);
	seq_printf(m, "pipe_wait_events %llu\n", s.pipe_wait_events);
	seq_printf(m, "hung_task_events %llu\n", s.hung_task_events);
	seq_printf(m, "suppressed %llu\n", s.suppressed);
	seq_printf(m, "longest_wait_ms %llu\n", s.longest_wait_ms);
	seq_printf(m, "longest_hold_ms %lld\n", atomic64_read(&pw_longest_hold_ms));
	seq_printf(m, "untracked_waits %lu\n", pw_waiters_missed());
	seq_printf(m, "running_stacks %llu\n", s.running_stacks);
	seq_printf(m, "wait_probe %s\n", pw_waiters_method());
	seq_printf(m, "wait_threshold_ms %u\n", READ_ONCE(pw_wait_threshold_ms));
	seq_printf(m, "hung_threshold_ms %u\n", READ_ONCE(pw_hung_threshold_ms));
	seq_printf(m, "pipe_waits_over_%ums %llu\n", PW_SCAN_INTERVAL_MS,
		   s.pipe_waits);
	for (b = 0; b < PW_HIST_BUCKETS; b++) {
		if (b < PW_HIST_BUCKETS - 1)
			seq_printf(m, "wait_hist_lt_%ums %llu\n",
				   pw_hist_limits[b], s.hist[b]);
		else
			seq_printf(m, "wait_hist_ge_%ums %llu\n",
				   pw_hist_limits[b - 1], s.hist[b]);
	}
	return 0;
}

void pw_stats_reset(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&pw_stats_lock, flags);
	memset(&pw_stats, 0, sizeof(pw_stats));
	raw_spin_unlock_irqrestore(&pw_stats_lock, flags);
	atomic64_set(&pw_longest_hold_ms, 0);
}

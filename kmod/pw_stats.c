// SPDX-License-Identifier: GPL-2.0
/*
 * pipewatch: the statistics behind debugfs `stats`.
 *
 * This file is a leaf: it calls no other pipewatch file.  The probe
 * handlers (pw_waiters.c, pw_holders.c), the stack code, the scanner and
 * the report code all feed it, and pw_debugfs.c reads it; if it called
 * back into any of them, those files would depend on each other in a
 * circle (they did while the statistics lived in pw_report.c).  Facts
 * about the probes that `stats` shows (which wait probe is in use, how
 * many waits it missed) are pushed in here at load for the same reason.
 */
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/math64.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include "pipewatch.h"

const unsigned int pw_hist_limits_ms[PW_HIST_BUCKETS - 1] = {
	250, 500, 1000, 2000, 5000, 10000, 30000,
};

/*
 * The counters under pw_stats_lock, a raw spinlock because the wait-end
 * handler runs in tracepoint context, inside an rt_mutex's raw wait_lock
 * on PREEMPT_RT.  longest_hold_ms, untracked_waits and wait_probe of this
 * copy are unused: see the variables below.
 */
static struct pw_stats_snap pw_stats;
static DEFINE_RAW_SPINLOCK(pw_stats_lock);

/*
 * Updated from kprobe (int3) context, which lockdep counts as NMI: no
 * lock may be taken there that is also taken elsewhere, so an atomic
 * maximum instead of pw_stats_lock.
 */
static atomic64_t pw_longest_hold_ms;

/* Waits the waiter table had no room for (pw_waiters.c, under its lock). */
static atomic_long_t pw_untracked;

/*
 * Set once at load, before debugfs can show them.  The kprobes core
 * counts the kretprobe's missed instances in the probe itself; reading
 * that counter through a pointer keeps this file a leaf.
 */
static const char *pw_wait_probe = "none";
static const int *pw_probe_nmissed;

void pw_stats_set_wait_probe(const char *name, const int *probe_nmissed)
{
	pw_wait_probe = name;
	pw_probe_nmissed = probe_nmissed;
}

const char *pw_stats_wait_probe(void)
{
	return pw_wait_probe;
}

void pw_stats_untracked_wait(void)
{
	atomic_long_inc(&pw_untracked);
}

static void pw_hold_max(u64 ms)
{
	s64 cur = atomic64_read(&pw_longest_hold_ms);

	while ((u64)cur < ms &&
	       !atomic64_try_cmpxchg(&pw_longest_hold_ms, &cur, ms))
		;
}

/* A record was printed. */
void pw_stats_event(bool pipe_wait, u64 waited_ms, s64 held_ms)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&pw_stats_lock, flags);
	if (pipe_wait) {
		pw_stats.pipe_wait_events++;
		if (waited_ms > pw_stats.longest_wait_ms)
			pw_stats.longest_wait_ms = waited_ms;
	} else {
		pw_stats.hung_task_events++;
	}
	raw_spin_unlock_irqrestore(&pw_stats_lock, flags);
	/* A hold still going on counts too: it may never end. */
	if (held_ms > 0)
		pw_hold_max(held_ms);
}

/* The rate limit swallowed a record. */
void pw_stats_suppressed(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&pw_stats_lock, flags);
	pw_stats.suppressed++;
	raw_spin_unlock_irqrestore(&pw_stats_lock, flags);
}

/* A pipe-mutex wait the scanner classified has ended (probe context). */
void pw_stats_wait_done(u64 wait_ns)
{
	u64 ms = div_u64(wait_ns, NSEC_PER_MSEC);
	unsigned long flags;
	int b;

	for (b = 0; b < PW_HIST_BUCKETS - 1; b++)
		if (ms < pw_hist_limits_ms[b])
			break;
	raw_spin_lock_irqsave(&pw_stats_lock, flags);
	pw_stats.pipe_waits++;
	pw_stats.hist[b]++;
	if (ms > pw_stats.longest_wait_ms)
		pw_stats.longest_wait_ms = ms;
	raw_spin_unlock_irqrestore(&pw_stats_lock, flags);
}

/* A pipe_lock() or `hold` hold has ended (probe context). */
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

void pw_stats_read(struct pw_stats_snap *s)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&pw_stats_lock, flags);
	*s = pw_stats;
	raw_spin_unlock_irqrestore(&pw_stats_lock, flags);
	s->longest_hold_ms = atomic64_read(&pw_longest_hold_ms);
	s->untracked_waits = atomic_long_read(&pw_untracked);
	if (pw_probe_nmissed)
		s->untracked_waits += READ_ONCE(*pw_probe_nmissed);
	s->wait_probe = pw_wait_probe;
}

/*
 * Zero the counters of events.  untracked_waits is left alone: the
 * kretprobe's own miss counter cannot be zeroed from here, and half a
 * reset would be worse than none.
 */
void pw_stats_reset(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&pw_stats_lock, flags);
	memset(&pw_stats, 0, sizeof(pw_stats));
	raw_spin_unlock_irqrestore(&pw_stats_lock, flags);
	atomic64_set(&pw_longest_hold_ms, 0);
}

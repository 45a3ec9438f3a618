// SPDX-License-Identifier: GPL-2.0
/*
 * pipewatch: who is waiting for a mutex, since when.
 *
 * Every *contended* mutex_lock() is filed (task, lock, start time) in a
 * fixed table and removed when the lock is taken; uncontended locks never
 * get here, so a busy but uncontended pipe costs nothing.  Whether the
 * mutex belongs to a pipe is decided later by the scanner thread, from the
 * waiter's stack: these handlers must stay short and must not sleep.
 *
 * Two ways to see the waits:
 *  - the contention_begin/contention_end tracepoints (kernels with
 *    CONFIG_TRACEPOINTS; found with for_each_kernel_tracepoint() because
 *    6.1 does not export them).  Preferred: nothing on the waiter's stack
 *    changes, so the kernel's own hung-task traces stay intact.
 *  - otherwise a kretprobe on __mutex_lock_slowpath().  Side effect: while
 *    a task waits, its return address is the kretprobe trampoline, and the
 *    kernel's own stack dumps of that task (6.1 does not translate it back)
 *    show the trampoline instead of the caller, e.g. pipe_release.
 */
#define pr_fmt(fmt) "pipewatch: " fmt

#include <linux/kprobes.h>
#include <linux/spinlock.h>
#include <linux/sched/task.h>
#include <linux/ktime.h>
#include <linux/rcupdate.h>
#include <linux/tracepoint.h>
#include "pipewatch.h"

/*
 * include/trace/events/lock.h: contention_begin flags.  A mutex reports
 * LCB_F_MUTEX; on PREEMPT_RT it is an rt_mutex and reports LCB_F_RT alone
 * (as do RT's sleeping spinlocks, whose waits never last long enough to be
 * reported; rwsems and rwlocks add READ or WRITE and are left out).
 */
#define PW_LCB_F_RT		(1U << 3)
#define PW_LCB_F_MUTEX		(1U << 5)
#ifdef CONFIG_PREEMPT_RT
#define PW_IS_MUTEX_WAIT(flags)	((flags) == PW_LCB_F_RT)
#else
#define PW_IS_MUTEX_WAIT(flags)	((flags) & PW_LCB_F_MUTEX)
#endif

enum pw_wait_class {
	PW_WAIT_UNKNOWN,
	PW_WAIT_PIPE,
	PW_WAIT_OTHER,
};

struct pw_wait_slot {
	struct task_struct *task;	/* referenced while the slot is used */
	struct mutex *lock;
	u64 start_ns;
	u32 gen;
	u8 class;
	bool used;
	bool reported;
};

static struct pw_wait_slot pw_waits[PW_MAX_WAITERS];
static DEFINE_RAW_SPINLOCK(pw_waits_lock);
static u32 pw_waits_gen;

static bool pw_use_tracepoints;

/* File current as waiting for @lock; returns the slot or -1 if full. */
static int pw_wait_begin(struct mutex *lock)
{
	struct pw_wait_slot *free = NULL;
	unsigned long flags;
	int i, slot = -1;

	raw_spin_lock_irqsave(&pw_waits_lock, flags);
	for (i = 0; i < PW_MAX_WAITERS; i++) {
		struct pw_wait_slot *s = &pw_waits[i];

		if (s->used && s->task == current) {
			/* Spinning then sleeping is one wait: keep its start. */
			if (s->lock == lock) {
				slot = i;
				goto out;
			}
			/* A different lock: the old wait ended unseen. */
			free = s;
			put_task_struct(s->task);
			break;
		}
		if (!s->used && !free)
			free = s;
	}
	if (!free) {
		pw_stats_untracked_wait();
		goto out;
	}
	free->used = true;
	free->task = current;
	get_task_struct(current);
	free->lock = lock;
	free->start_ns = pw_now_ns();
	free->gen = ++pw_waits_gen;
	free->class = PW_WAIT_UNKNOWN;
	free->reported = false;
	slot = free - pw_waits;
out:
	raw_spin_unlock_irqrestore(&pw_waits_lock, flags);
	return slot;
}

/*
 * Only current creates and removes its own slots, so this lockless look
 * is exact for current.  It matters: contention_end also fires for
 * spinlocks, including our own pw_waits_lock when it was contended, so
 * taking that lock for a wait we do not track would recurse into it.
 */
static int pw_find_own_slot(void *lock)
{
	int i;

	for (i = 0; i < PW_MAX_WAITERS; i++)
		if (READ_ONCE(pw_waits[i].used) &&
		    READ_ONCE(pw_waits[i].task) == current &&
		    READ_ONCE(pw_waits[i].lock) == lock)
			return i;
	return -1;
}

/*
 * The wait in @slot (-1: find current's wait for @lock) is over.
 * Returns false if there was no such wait.
 */
static bool pw_wait_end(int slot, struct mutex *lock)
{
	struct task_struct *t = NULL;
	unsigned long flags;
	bool was_pipe = false;
	u64 waited = 0;

	if (slot < 0)
		slot = pw_find_own_slot(lock);
	if (slot < 0)
		return false;
	raw_spin_lock_irqsave(&pw_waits_lock, flags);
	if (pw_waits[slot].used && pw_waits[slot].task == current) {
		struct pw_wait_slot *s = &pw_waits[slot];

		t = s->task;
		was_pipe = s->class == PW_WAIT_PIPE;
		waited = pw_now_ns() - s->start_ns;
		s->used = false;
		s->task = NULL;
	}
	raw_spin_unlock_irqrestore(&pw_waits_lock, flags);

	if (was_pipe)
		pw_stats_wait_done(waited);
	/* t is current: this never drops the last reference. */
	if (t)
		put_task_struct(t);
	return t != NULL;
}

#ifdef CONFIG_TRACEPOINTS
static void pw_tp_begin(void *data, void *lock, unsigned int flags)
{
	if (PW_IS_MUTEX_WAIT(flags))
		pw_wait_begin(lock);
}

static void pw_tp_end(void *data, void *lock, int ret)
{
	/* Only mutexes we saw contended: never our own spinlocks. */
	if (pw_wait_end(-1, lock))
		pw_holders_acquired(lock, current);
}
#endif

struct pw_wait_data {
	int slot;
};

static int pw_slowpath_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct pw_wait_data *d = (struct pw_wait_data *)ri->data;

	d->slot = pw_wait_begin((struct mutex *)regs->di);
	/* Nothing filed: skip the return handler. */
	return d->slot < 0;
}
NOKPROBE_SYMBOL(pw_slowpath_entry);

static int pw_slowpath_return(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct pw_wait_data *d = (struct pw_wait_data *)ri->data;

	pw_wait_end(d->slot, NULL);
	return 0;
}
NOKPROBE_SYMBOL(pw_slowpath_return);

static struct kretprobe pw_slowpath_probe = {
	.kp.symbol_name	= "__mutex_lock_slowpath",
	.entry_handler	= pw_slowpath_entry,
	.handler	= pw_slowpath_return,
	.data_size	= sizeof(struct pw_wait_data),
	/* Sleeping waiters keep their instance: allow one per table slot. */
	.maxactive	= PW_MAX_WAITERS + 32,
};

#ifdef CONFIG_TRACEPOINTS
static struct tracepoint *pw_tp_begin_tp, *pw_tp_end_tp;

static void pw_find_tracepoint(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "contention_begin"))
		pw_tp_begin_tp = tp;
	else if (!strcmp(tp->name, "contention_end"))
		pw_tp_end_tp = tp;
}
#endif

/* Called with pw_waits_lock held: the lock cannot be freed meanwhile,
 * because its waiter is still inside __mutex_lock_slowpath().
 */
static struct task_struct *pw_mutex_owner(struct mutex *lock)
{
#ifdef CONFIG_PREEMPT_RT
	return (struct task_struct *)((unsigned long)READ_ONCE(lock->rtmutex.owner) &
				      ~PW_RT_MUTEX_FLAGS);
#else
	return (struct task_struct *)(atomic_long_read(&lock->owner) &
				      ~PW_MUTEX_FLAGS);
#endif
}

static struct task_struct *pw_owner_get(struct mutex *lock)
{
	struct task_struct *owner = pw_mutex_owner(lock);

	if (!owner)
		return NULL;
	/*
	 * task_struct is freed only after an RCU grace period and we are in
	 * an RCU read-side section (spinlock, irqs off); a task whose last
	 * reference is already gone is treated as "no holder".
	 */
	rcu_read_lock();
	if (!refcount_inc_not_zero(&owner->usage))
		owner = NULL;
	rcu_read_unlock();
	return owner;
}

static void pw_fill_snap(struct pw_wait_snap *o, struct pw_wait_slot *s, int i)
{
	o->waiter = s->task;
	get_task_struct(s->task);
	o->holder = pw_owner_get(s->lock);
	o->lock = s->lock;
	o->start_ns = s->start_ns;
	o->slot = i;
	o->gen = s->gen;
	o->classified = s->class == PW_WAIT_PIPE;
}

/*
 * Waits the scanner has to look at: not yet classified and older than
 * @classify_ns, or pipe waits not yet reported and older than @report_ns.
 */
int pw_waiters_snapshot(u64 classify_ns, u64 report_ns,
			struct pw_wait_snap *out, int max)
{
	u64 now = pw_now_ns();
	unsigned long flags;
	int i, n = 0;

	raw_spin_lock_irqsave(&pw_waits_lock, flags);
	for (i = 0; i < PW_MAX_WAITERS && n < max; i++) {
		struct pw_wait_slot *s = &pw_waits[i];
		u64 age;

		if (!s->used || s->reported || s->class == PW_WAIT_OTHER)
			continue;
		age = now - s->start_ns;
		if (s->class == PW_WAIT_UNKNOWN && age < classify_ns)
			continue;
		if (s->class == PW_WAIT_PIPE && age < report_ns)
			continue;
		pw_fill_snap(&out[n++], s, i);
	}
	raw_spin_unlock_irqrestore(&pw_waits_lock, flags);
	return n;
}

/* Returns false when the wait has ended (slot freed or reused). */
bool pw_waiters_mark(const struct pw_wait_snap *snap, bool is_pipe,
		     bool reported)
{
	struct pw_wait_slot *s = &pw_waits[snap->slot];
	unsigned long flags;
	bool same;

	raw_spin_lock_irqsave(&pw_waits_lock, flags);
	same = s->used && s->gen == snap->gen;
	if (same) {
		s->class = is_pipe ? PW_WAIT_PIPE : PW_WAIT_OTHER;
		s->reported |= reported;
	}
	raw_spin_unlock_irqrestore(&pw_waits_lock, flags);
	return same;
}

bool pw_waiters_find_task(struct task_struct *t, struct pw_wait_snap *out)
{
	unsigned long flags;
	bool found = false;
	int i;

	raw_spin_lock_irqsave(&pw_waits_lock, flags);
	for (i = 0; i < PW_MAX_WAITERS; i++) {
		if (pw_waits[i].used && pw_waits[i].task == t) {
			pw_fill_snap(out, &pw_waits[i], i);
			found = true;
			break;
		}
	}
	raw_spin_unlock_irqrestore(&pw_waits_lock, flags);
	return found;
}

bool pw_waiters_task_reported(struct task_struct *t)
{
	unsigned long flags;
	bool reported = false;
	int i;

	raw_spin_lock_irqsave(&pw_waits_lock, flags);
	for (i = 0; i < PW_MAX_WAITERS; i++)
		if (pw_waits[i].used && pw_waits[i].task == t)
			reported = pw_waits[i].reported;
	raw_spin_unlock_irqrestore(&pw_waits_lock, flags);
	return reported;
}

void pw_wait_snap_put(struct pw_wait_snap *s)
{
	if (s->holder)
		put_task_struct(s->holder);
	if (s->waiter)
		put_task_struct(s->waiter);
	s->holder = NULL;
	s->waiter = NULL;
}

#ifdef CONFIG_TRACEPOINTS
static int pw_tracepoints_init(void)
{
	int ret;

	for_each_kernel_tracepoint(pw_find_tracepoint, NULL);
	if (!pw_tp_begin_tp || !pw_tp_end_tp)
		return -ENOENT;
	/*
	 * The end probe first: a wait whose begin we file must have its end
	 * seen, or its slot would outlive the wait and, after the pipe is
	 * freed, point at freed memory (KASAN caught exactly that during
	 * load/unload cycles when begin was registered first).  An end
	 * without a begin finds no slot and is ignored.
	 */
	ret = tracepoint_probe_register(pw_tp_end_tp, pw_tp_end, NULL);
	if (ret)
		return ret;
	ret = tracepoint_probe_register(pw_tp_begin_tp, pw_tp_begin, NULL);
	if (ret) {
		tracepoint_probe_unregister(pw_tp_end_tp, pw_tp_end, NULL);
		tracepoint_synchronize_unregister();
		return ret;
	}
	pw_use_tracepoints = true;
	return 0;
}

static void pw_tracepoints_exit(void)
{
	tracepoint_probe_unregister(pw_tp_begin_tp, pw_tp_begin, NULL);
	tracepoint_probe_unregister(pw_tp_end_tp, pw_tp_end, NULL);
	/* Waits until no probe can still be running. */
	tracepoint_synchronize_unregister();
}
#else
static int pw_tracepoints_init(void)
{
	return -ENOENT;
}

static void pw_tracepoints_exit(void)
{
}
#endif

int pw_waiters_init(void)
{
	int ret;

	/* stats shows which probe sees the waits, and what it missed. */
	if (!pw_tracepoints_init()) {
		pw_stats_set_wait_probe("tracepoint", NULL);
		return 0;
	}
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		/* No __mutex_lock_slowpath() to probe: mutexes are rt_mutexes. */
		pr_err("PREEMPT_RT kernel without the contention tracepoints: cannot see mutex waits\n");
		return -EOPNOTSUPP;
	}
	pr_info("no contention tracepoints: using a kretprobe on __mutex_lock_slowpath (kernel stack dumps of waiting tasks will show the kretprobe trampoline)\n");
	ret = register_kretprobe(&pw_slowpath_probe);
	if (ret < 0) {
		pr_err("register_kretprobe(%s) failed: %d\n",
		       pw_slowpath_probe.kp.symbol_name, ret);
		return ret;
	}
	pw_stats_set_wait_probe("kretprobe", &pw_slowpath_probe.nmissed);
	return 0;
}

void pw_waiters_exit(void)
{
	int i;

	if (pw_use_tracepoints) {
		pw_tracepoints_exit();
	} else {
		unregister_kretprobe(&pw_slowpath_probe);
		/* No handler can still be running once a grace period has passed. */
		synchronize_rcu();
	}
	/* Waits still in progress never reach their end handler: drop refs. */
	for (i = 0; i < PW_MAX_WAITERS; i++) {
		if (pw_waits[i].used) {
			put_task_struct(pw_waits[i].task);
			pw_waits[i].used = false;
			pw_waits[i].task = NULL;
		}
	}
}

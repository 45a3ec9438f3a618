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
#include <linux/uaccess.h>
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

/*
 * The table is lock-free, like the holder table (pw_holders.c): the
 * kretprobe handlers run in int3 context, which lockdep counts as NMI, and
 * the tracepoint handlers run inside the lock code itself, so no lock may
 * be taken there that is also taken elsewhere.  A slot belongs to the task
 * that claimed it (cmpxchg on @task) from the start of its wait to the
 * end, and only that task writes it, under the slot's sequence count; the
 * scanner reads it under that count and retries a torn read.  A task has
 * at most one slot.  What the scanner finds out about a wait (pipe or not,
 * reported) is not written into the slot but into pw_wait_notes[], which
 * only the scanner writes: one writer per word everywhere.
 */
struct pw_wait_slot {
	struct task_struct *task;	/* owner, referenced while it owns the slot */
	struct mutex *lock;		/* NULL: no wait filed (yet) */
	u64 start_ns;
	u32 gen;			/* counts the waits filed in this slot */
	unsigned int seq;		/* odd while the owner writes */
};

static struct pw_wait_slot pw_waits[PW_MAX_WAITERS];

/*
 * The scanner's notes on the wait (slot, gen): gen << 3 | reported << 2 |
 * class, one word so that the end handler reads it whole.  A note whose
 * gen is not the wait's is about an earlier wait: class unknown.
 */
static unsigned long pw_wait_notes[PW_MAX_WAITERS];
#define PW_NOTE(gen, class, reported) \
	(((unsigned long)(gen) << 3) | ((reported) ? 4UL : 0UL) | (class))
#define PW_NOTE_CLASS(note)	((note) & 3UL)
#define PW_NOTE_REPORTED(note)	(!!((note) & 4UL))

static bool pw_use_tracepoints;

static unsigned long pw_note(int i, u32 gen)
{
	unsigned long note = READ_ONCE(pw_wait_notes[i]);

	return (u32)(note >> 3) == gen ? note : PW_NOTE(gen, PW_WAIT_UNKNOWN, false);
}

static void pw_slot_write_begin(struct pw_wait_slot *s)
{
	WRITE_ONCE(s->seq, s->seq + 1);
	/* Pairs with the reader's smp_rmb(): the odd count is seen first. */
	smp_wmb();
}

static void pw_slot_write_end(struct pw_wait_slot *s)
{
	/* Pairs with the reader's acquire of seq: the fields before the count. */
	smp_wmb();
	WRITE_ONCE(s->seq, s->seq + 1);
}

/* Current's slot, or NULL.  Exact: only current claims a slot for current. */
static struct pw_wait_slot *pw_own_slot(void)
{
	int i;

	for (i = 0; i < PW_MAX_WAITERS; i++)
		if (READ_ONCE(pw_waits[i].task) == current)
			return &pw_waits[i];
	return NULL;
}

/* File current as waiting for @lock; false if the table is full. */
static bool pw_wait_begin(struct mutex *lock)
{
	struct pw_wait_slot *s = pw_own_slot();
	int i;

	if (s) {
		/* Spinning then sleeping is one wait: keep its start. */
		if (s->lock == lock)
			return true;
		/* A different lock: the old wait ended unseen; reuse its slot. */
	} else {
		for (i = 0; !s && i < PW_MAX_WAITERS; i++)
			if (!READ_ONCE(pw_waits[i].task) &&
			    !cmpxchg(&pw_waits[i].task, NULL, current))
				s = &pw_waits[i];
		if (!s) {
			pw_stats_untracked_wait();
			return false;
		}
		get_task_struct(current);
	}
	pw_slot_write_begin(s);
	WRITE_ONCE(s->lock, lock);
	WRITE_ONCE(s->start_ns, pw_now_ns());
	WRITE_ONCE(s->gen, s->gen + 1);
	pw_slot_write_end(s);
	return true;
}

/*
 * Current's wait for @lock is over: free its slot.  Returns false if there
 * was no such wait.  Called before the waiter can release the mutex, so the
 * scanner, which reads the mutex only while the slot shows the wait, never
 * reads it after it may have been freed (KASAN caught exactly that once).
 * contention_end also fires for spinlocks: the lookup takes no lock.
 */
static bool pw_wait_end(struct mutex *lock)
{
	struct pw_wait_slot *s = pw_own_slot();
	unsigned long note;
	u64 waited;

	if (!s || s->lock != lock)
		return false;
	waited = pw_now_ns() - s->start_ns;
	note = pw_note(s - pw_waits, s->gen);
	pw_slot_write_begin(s);
	WRITE_ONCE(s->lock, NULL);
	pw_slot_write_end(s);
	/* Release: the slot is free only after its fields are cleared. */
	smp_store_release(&s->task, NULL);

	if (PW_NOTE_CLASS(note) == PW_WAIT_PIPE)
		pw_stats_wait_done(waited);
	/* The slot's reference on current: never the last one. */
	put_task_struct(current);
	return true;
}

#ifdef CONFIG_TRACEPOINTS
static void pw_tp_begin(void *data, void *lock, unsigned int flags)
{
	if (PW_IS_MUTEX_WAIT(flags))
		pw_wait_begin(lock);
}

static void pw_tp_end(void *data, void *lock, int ret)
{
	/* Only mutexes we saw contended. */
	if (pw_wait_end(lock))
		pw_holders_acquired(lock, current);
}
#endif

/* The lock word of @lock: read by a waiter, whose lock is alive. */
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

struct pw_wait_data {
	struct mutex *lock;
};

static int pw_slowpath_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct pw_wait_data *d = (struct pw_wait_data *)ri->data;
	struct mutex *lock = (struct mutex *)regs->di;

	/*
	 * With lockdep the probe is on mutex_lock_nested(), which every
	 * mutex_lock() enters: file only a lock that is held by someone.
	 */
	if (IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC) && !pw_mutex_owner(lock))
		return 1;
	d->lock = lock;
	/* Nothing filed: skip the return handler. */
	return !pw_wait_begin(lock);
}
NOKPROBE_SYMBOL(pw_slowpath_entry);

static int pw_slowpath_return(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct pw_wait_data *d = (struct pw_wait_data *)ri->data;

	pw_wait_end(d->lock);
	return 0;
}
NOKPROBE_SYMBOL(pw_slowpath_return);

/*
 * Without lockdep a contended mutex_lock() calls __mutex_lock_slowpath();
 * with it (CONFIG_DEBUG_LOCK_ALLOC, the debug kernel) mutex_lock() is
 * mutex_lock_nested() and there is no slowpath function to probe.
 */
#ifdef CONFIG_DEBUG_LOCK_ALLOC
#define PW_SLOWPATH_SYMBOL	"mutex_lock_nested"
#else
#define PW_SLOWPATH_SYMBOL	"__mutex_lock_slowpath"
#endif

static struct kretprobe pw_slowpath_probe = {
	.kp.symbol_name	= PW_SLOWPATH_SYMBOL,
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

/* A consistent copy of one slot, as the scanner reads it. */
struct pw_wait_copy {
	struct task_struct *task;
	struct mutex *lock;
	u64 start_ns;
	u32 gen;
	unsigned int seq;
};

/* Copies slot @i; false when it holds no wait or a writer kept it busy. */
static bool pw_slot_read(int i, struct pw_wait_copy *c)
{
	struct pw_wait_slot *s = &pw_waits[i];
	int tries;

	for (tries = 0; tries < 8; tries++) {
		/* Pairs with pw_slot_write_end(). */
		c->seq = smp_load_acquire(&s->seq);
		if (c->seq & 1) {
			cpu_relax();
			continue;
		}
		c->task = READ_ONCE(s->task);
		c->lock = READ_ONCE(s->lock);
		c->start_ns = READ_ONCE(s->start_ns);
		c->gen = READ_ONCE(s->gen);
		/* Pairs with pw_slot_write_begin(): fields before the re-check. */
		smp_rmb();
		if (READ_ONCE(s->seq) == c->seq)
			return c->task && c->lock;
	}
	return false;
}

/* The wait copied in @c is still going on. */
static bool pw_slot_unchanged(int i, const struct pw_wait_copy *c)
{
	/* Pairs with pw_slot_write_begin(): the caller's reads before this. */
	smp_rmb();
	return READ_ONCE(pw_waits[i].seq) == c->seq;
}

/*
 * The owner of @lock, read without the KASAN check and without faulting:
 * the caller keeps the value only if the wait (hence the lock) was still
 * there after the read, and throws it away otherwise.
 */
static struct task_struct *pw_mutex_owner_nofault(struct mutex *lock)
{
	unsigned long v = 0;

#ifdef CONFIG_PREEMPT_RT
	if (copy_from_kernel_nofault(&v, &lock->rtmutex.owner, sizeof(v)))
		return NULL;
	return (struct task_struct *)(v & ~PW_RT_MUTEX_FLAGS);
#else
	if (copy_from_kernel_nofault(&v, &lock->owner, sizeof(v)))
		return NULL;
	return (struct task_struct *)(v & ~PW_MUTEX_FLAGS);
#endif
}

/*
 * Pins the waiter and the holder of the wait copied in @c (slot @i).
 * Called under rcu_read_lock(), taken before the slot was read: task_structs
 * are freed only after a grace period, and both tasks were alive when read
 * (the waiter owned the slot, the holder owned the mutex during the wait),
 * so their reference counts may be tried; one already at zero is gone.
 * The mutex may be freed as soon as the wait is over (a pipe's is, on its
 * last close): its owner is kept only if the slot still shows the same
 * wait after the read.  Returns false when the wait is over.
 */
static bool pw_fill_snap(struct pw_wait_snap *o, int i,
			 const struct pw_wait_copy *c)
{
	struct task_struct *owner = pw_mutex_owner_nofault(c->lock);

	if (!pw_slot_unchanged(i, c))
		return false;
	if (!refcount_inc_not_zero(&c->task->usage))
		return false;
	if (owner && !refcount_inc_not_zero(&owner->usage))
		owner = NULL;
	o->waiter = c->task;
	o->holder = owner;
	o->lock = c->lock;
	o->start_ns = c->start_ns;
	o->slot = i;
	o->gen = c->gen;
	o->classified = PW_NOTE_CLASS(pw_note(i, c->gen)) == PW_WAIT_PIPE;
	return true;
}

/*
 * Waits the scanner has to look at: not yet classified and older than
 * @classify_ns, or pipe waits not yet reported and older than @report_ns.
 * Only the scanner calls this and the functions below: pw_wait_notes[]
 * has one writer.
 */
int pw_waiters_snapshot(u64 classify_ns, u64 report_ns,
			struct pw_wait_snap *out, int max)
{
	u64 now = pw_now_ns();
	struct pw_wait_copy c;
	int i, n = 0;

	rcu_read_lock();
	for (i = 0; i < PW_MAX_WAITERS && n < max; i++) {
		unsigned long note;
		u64 age;

		if (!pw_slot_read(i, &c))
			continue;
		note = pw_note(i, c.gen);
		if (PW_NOTE_REPORTED(note) ||
		    PW_NOTE_CLASS(note) == PW_WAIT_OTHER)
			continue;
		age = now - c.start_ns;
		if (PW_NOTE_CLASS(note) == PW_WAIT_UNKNOWN && age < classify_ns)
			continue;
		if (PW_NOTE_CLASS(note) == PW_WAIT_PIPE && age < report_ns)
			continue;
		if (pw_fill_snap(&out[n], i, &c))
			n++;
	}
	rcu_read_unlock();
	return n;
}

/* Returns false when the wait has ended (slot freed or reused). */
bool pw_waiters_mark(const struct pw_wait_snap *snap, bool is_pipe,
		     bool reported)
{
	struct pw_wait_copy c;
	unsigned long note;

	if (!pw_slot_read(snap->slot, &c) || c.gen != snap->gen)
		return false;
	note = pw_note(snap->slot, snap->gen);
	WRITE_ONCE(pw_wait_notes[snap->slot],
		   PW_NOTE(snap->gen, is_pipe ? PW_WAIT_PIPE : PW_WAIT_OTHER,
			   reported || PW_NOTE_REPORTED(note)));
	return true;
}

bool pw_waiters_find_task(struct task_struct *t, struct pw_wait_snap *out)
{
	struct pw_wait_copy c;
	bool found = false;
	int i;

	rcu_read_lock();
	for (i = 0; i < PW_MAX_WAITERS; i++) {
		if (pw_slot_read(i, &c) && c.task == t) {
			found = pw_fill_snap(out, i, &c);
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

bool pw_waiters_task_reported(struct task_struct *t)
{
	struct pw_wait_copy c;
	int i;

	for (i = 0; i < PW_MAX_WAITERS; i++)
		if (pw_slot_read(i, &c) && c.task == t)
			return PW_NOTE_REPORTED(pw_note(i, c.gen));
	return false;
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
	if (pw_waiter_probe != PW_PROBE_KRETPROBE) {
		ret = pw_tracepoints_init();
		if (!ret) {
			pw_stats_set_wait_probe("tracepoint", NULL);
			return 0;
		}
		if (pw_waiter_probe == PW_PROBE_TRACEPOINT) {
			pr_err("waiter_probe=%u (tracepoint): no contention tracepoints in this kernel\n",
			       pw_waiter_probe);
			return ret;
		}
	}
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		/* No __mutex_lock_slowpath() to probe: mutexes are rt_mutexes. */
		if (pw_waiter_probe == PW_PROBE_KRETPROBE)
			pr_err("waiter_probe=%u (kretprobe): PREEMPT_RT kernel, no mutex slowpath to probe\n",
			       pw_waiter_probe);
		else
			pr_err("PREEMPT_RT kernel without the contention tracepoints: cannot see mutex waits\n");
		return -EOPNOTSUPP;
	}
	pr_info("%s: using a kretprobe on %s (kernel stack dumps of waiting tasks will show the kretprobe trampoline)\n",
		pw_waiter_probe == PW_PROBE_KRETPROBE ? "waiter_probe=2" :
		"no contention tracepoints", PW_SLOWPATH_SYMBOL);
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
		struct pw_wait_slot *s = &pw_waits[i];

		if (s->task) {
			put_task_struct(s->task);
			s->lock = NULL;
			s->task = NULL;
		}
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * pipewatch: when did the holder take the pipe mutex.
 *
 * The splice paths take a pipe's mutex through the exported pipe_lock()
 * and pipe_double_lock() and drop it with pipe_unlock().  Entry kprobes on
 * those give the acquire time, hence "held_ms", for exactly the holders
 * this bug is about (splice -> iter_file_splice_write -> O_DIRECT write).
 * Entry probes only: a kretprobe would put its trampoline on the stack of
 * every task waiting inside pipe_lock() and spoil the kernel's own traces.
 * If pipe_lock() had to wait, the contention_end tracepoint (pw_waiters.c)
 * moves the start to the moment the lock was really taken; without
 * tracepoints the wait is counted as part of the hold.
 * pipe_read()/pipe_write() lock inline, so their holds stay unknown
 * (held_ms=-1).  The table is fixed-size; when full the oldest entry is
 * dropped, which can only turn a known hold time into "unknown".
 */
#define pr_fmt(fmt) "pipewatch: " fmt

#include <linux/kprobes.h>
#include <linux/spinlock.h>
#include <linux/ktime.h>
#include <linux/pipe_fs_i.h>
#include "pipewatch.h"

/*
 * The table is lock-free: the kprobe handlers run in int3 context, which
 * lockdep counts as NMI, and no lock may be taken there that is also taken
 * outside it (lockdep under the debug kernel: "inconsistent {INITIAL USE}
 * -> {IN-NMI} usage" on the spinlock this table had).  A slot belongs to
 * the task that claimed it (cmpxchg on @task) and only that task writes it,
 * so each slot has a single writer; the scanner reads it under the slot's
 * sequence count and retries a torn read.  A full table drops the new hold
 * (its held_ms is then unknown) instead of evicting another.
 */
struct pw_hold_slot {
	struct task_struct *task;	/* owner; compared only, never dereferenced */
	struct mutex *lock;
	u64 since_ns;
	unsigned long ino;
	unsigned int seq;		/* odd while the owner writes */
};

static struct pw_hold_slot pw_holds[PW_MAX_HOLDERS];

static void pw_slot_write_begin(struct pw_hold_slot *s)
{
	WRITE_ONCE(s->seq, s->seq + 1);
	/* Pairs with the reader's smp_rmb(): the odd count is seen first. */
	smp_wmb();
}

static void pw_slot_write_end(struct pw_hold_slot *s)
{
	/* Pairs with the reader's acquire of seq: the fields before the count. */
	smp_wmb();
	WRITE_ONCE(s->seq, s->seq + 1);
}

/* Current's slot for @lock, or NULL. Exact: only current claims for current. */
static struct pw_hold_slot *pw_own_slot(struct mutex *lock)
{
	int i;

	for (i = 0; i < PW_MAX_HOLDERS; i++)
		if (READ_ONCE(pw_holds[i].task) == current &&
		    READ_ONCE(pw_holds[i].lock) == lock)
			return &pw_holds[i];
	return NULL;
}

void pw_holders_add(struct mutex *lock, struct task_struct *t,
		    unsigned long ino)
{
	struct pw_hold_slot *s = pw_own_slot(lock);
	int i;

	for (i = 0; !s && i < PW_MAX_HOLDERS; i++)
		if (!READ_ONCE(pw_holds[i].task) &&
		    !cmpxchg(&pw_holds[i].task, NULL, t))
			s = &pw_holds[i];
	if (!s)
		return;
	pw_slot_write_begin(s);
	WRITE_ONCE(s->lock, lock);
	WRITE_ONCE(s->since_ns, pw_now_ns());
	WRITE_ONCE(s->ino, ino);
	pw_slot_write_end(s);
}

void pw_holders_del(struct mutex *lock, struct task_struct *t)
{
	struct pw_hold_slot *s = pw_own_slot(lock);
	u64 held;

	if (!s)
		return;
	held = pw_now_ns() - s->since_ns;
	pw_slot_write_begin(s);
	WRITE_ONCE(s->lock, NULL);
	pw_slot_write_end(s);
	/* Release: the slot is free only after its fields are cleared. */
	smp_store_release(&s->task, NULL);
	pw_stats_hold_done(held);
}

/* @t (current) now owns @lock after waiting for it: the hold starts now. */
void pw_holders_acquired(struct mutex *lock, struct task_struct *t)
{
	struct pw_hold_slot *s = pw_own_slot(lock);

	if (!s)
		return;
	pw_slot_write_begin(s);
	WRITE_ONCE(s->since_ns, pw_now_ns());
	pw_slot_write_end(s);
}

bool pw_holders_lookup(struct mutex *lock, struct task_struct *t,
		       u64 *since_ns, unsigned long *ino)
{
	int i, tries;

	for (i = 0; i < PW_MAX_HOLDERS; i++) {
		struct pw_hold_slot *s = &pw_holds[i];

		for (tries = 0; tries < 8; tries++) {
			/* Pairs with pw_slot_write_end(). */
			unsigned int seq = smp_load_acquire(&s->seq);
			struct task_struct *owner;
			struct mutex *l;
			unsigned long n;
			u64 since;

			if (seq & 1) {
				cpu_relax();
				continue;
			}
			owner = READ_ONCE(s->task);
			l = READ_ONCE(s->lock);
			since = READ_ONCE(s->since_ns);
			n = READ_ONCE(s->ino);
			/* Pairs with pw_slot_write_begin(): fields before the re-check. */
			smp_rmb();
			if (READ_ONCE(s->seq) != seq)
				continue;
			if (owner == t && l == lock) {
				*since_ns = since;
				*ino = n;
				return true;
			}
			break;
		}
	}
	return false;
}

static int pw_pipe_lock_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct pipe_inode_info *pipe = (struct pipe_inode_info *)regs->di;

	pw_holders_add(&pipe->mutex, current, 0);
	return 0;
}
NOKPROBE_SYMBOL(pw_pipe_lock_pre);

static int pw_pipe_double_lock_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct pipe_inode_info *p1 = (struct pipe_inode_info *)regs->di;
	struct pipe_inode_info *p2 = (struct pipe_inode_info *)regs->si;

	pw_holders_add(&p1->mutex, current, 0);
	pw_holders_add(&p2->mutex, current, 0);
	return 0;
}
NOKPROBE_SYMBOL(pw_pipe_double_lock_pre);

static int pw_pipe_unlock_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct pipe_inode_info *pipe = (struct pipe_inode_info *)regs->di;

	pw_holders_del(&pipe->mutex, current);
	return 0;
}
NOKPROBE_SYMBOL(pw_pipe_unlock_pre);

static struct kprobe pw_pipe_lock_probe = {
	.symbol_name	= "pipe_lock",
	.pre_handler	= pw_pipe_lock_pre,
};

static struct kprobe pw_pipe_double_lock_probe = {
	.symbol_name	= "pipe_double_lock",
	.pre_handler	= pw_pipe_double_lock_pre,
};

static struct kprobe pw_pipe_unlock_probe = {
	.symbol_name	= "pipe_unlock",
	.pre_handler	= pw_pipe_unlock_pre,
};

/*
 * Registered in this order: pipe_unlock first, so that a hold whose start
 * is recorded always has its end seen (an end without a start is ignored).
 */
static struct kprobe *pw_pipe_probes[] = {
	&pw_pipe_unlock_probe,
	&pw_pipe_lock_probe,
	&pw_pipe_double_lock_probe,
};

int pw_holders_init(void)
{
	int ret;

	ret = register_kprobes(pw_pipe_probes, ARRAY_SIZE(pw_pipe_probes));
	if (ret < 0)
		pr_err("register_kprobes(pipe_lock, pipe_double_lock, pipe_unlock) failed: %d\n",
		       ret);
	return ret;
}

void pw_holders_exit(void)
{
	unregister_kprobes(pw_pipe_probes, ARRAY_SIZE(pw_pipe_probes));
}

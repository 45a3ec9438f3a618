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
 * overwritten, which can only turn a known hold time into "unknown".
 */
#define pr_fmt(fmt) "pipewatch: " fmt

#include <linux/kprobes.h>
#include <linux/spinlock.h>
#include <linux/ktime.h>
#include <linux/pipe_fs_i.h>
#include "pipewatch.h"

struct pw_hold_slot {
	struct mutex *lock;
	struct task_struct *task;	/* compared only, never dereferenced */
	u64 since_ns;
	unsigned long ino;
	bool used;
};

static struct pw_hold_slot pw_holds[PW_MAX_HOLDERS];
static DEFINE_RAW_SPINLOCK(pw_holds_lock);

void pw_holders_add(struct mutex *lock, struct task_struct *t,
		    unsigned long ino)
{
	struct pw_hold_slot *victim = &pw_holds[0];
	unsigned long flags;
	int i;

	raw_spin_lock_irqsave(&pw_holds_lock, flags);
	for (i = 0; i < PW_MAX_HOLDERS; i++) {
		struct pw_hold_slot *s = &pw_holds[i];

		if (!s->used || (s->lock == lock)) {
			victim = s;
			break;
		}
		if (s->since_ns < victim->since_ns)
			victim = s;
	}
	victim->lock = lock;
	victim->task = t;
	victim->since_ns = ktime_get_ns();
	victim->ino = ino;
	victim->used = true;
	raw_spin_unlock_irqrestore(&pw_holds_lock, flags);
}

void pw_holders_del(struct mutex *lock, struct task_struct *t)
{
	unsigned long flags;
	u64 held = 0;
	int i;

	raw_spin_lock_irqsave(&pw_holds_lock, flags);
	for (i = 0; i < PW_MAX_HOLDERS; i++) {
		struct pw_hold_slot *s = &pw_holds[i];

		if (s->used && s->lock == lock && s->task == t) {
			held = ktime_get_ns() - s->since_ns;
			s->used = false;
			break;
		}
	}
	raw_spin_unlock_irqrestore(&pw_holds_lock, flags);
	if (held)
		pw_stats_hold_done(held);
}

/* @t now owns @lock after waiting for it: the hold starts now. */
void pw_holders_acquired(struct mutex *lock, struct task_struct *t)
{
	unsigned long flags;
	int i;

	raw_spin_lock_irqsave(&pw_holds_lock, flags);
	for (i = 0; i < PW_MAX_HOLDERS; i++) {
		struct pw_hold_slot *s = &pw_holds[i];

		if (s->used && s->lock == lock && s->task == t) {
			s->since_ns = ktime_get_ns();
			break;
		}
	}
	raw_spin_unlock_irqrestore(&pw_holds_lock, flags);
}

bool pw_holders_lookup(struct mutex *lock, struct task_struct *t,
		       u64 *since_ns, unsigned long *ino)
{
	unsigned long flags;
	bool found = false;
	int i;

	raw_spin_lock_irqsave(&pw_holds_lock, flags);
	for (i = 0; i < PW_MAX_HOLDERS; i++) {
		struct pw_hold_slot *s = &pw_holds[i];

		if (s->used && s->lock == lock && s->task == t) {
			*since_ns = s->since_ns;
			*ino = s->ino;
			found = true;
			break;
		}
	}
	raw_spin_unlock_irqrestore(&pw_holds_lock, flags);
	return found;
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

static struct kprobe *pw_pipe_probes[] = {
	&pw_pipe_lock_probe,
	&pw_pipe_double_lock_probe,
	&pw_pipe_unlock_probe,
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

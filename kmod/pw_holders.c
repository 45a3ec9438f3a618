// SPDX-License-Identifier: GPL-2.0
/*
 * pipewatch: when did the holder take the pipe mutex.
 *
 * The splice paths take a pipe's mutex through the exported pipe_lock()
 * and pipe_double_lock() and drop it with pipe_unlock().  Probing those
 * gives the acquire time, hence "held_ms", for exactly the holders this
 * bug is about (splice -> iter_file_splice_write -> O_DIRECT write).
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
static DEFINE_SPINLOCK(pw_holds_lock);

static bool pw_owned_by_current(struct mutex *lock)
{
	unsigned long owner = atomic_long_read(&lock->owner);

	return (struct task_struct *)(owner & ~PW_MUTEX_FLAGS) == current;
}

void pw_holders_add(struct mutex *lock, struct task_struct *t,
		    unsigned long ino)
{
	struct pw_hold_slot *victim = &pw_holds[0];
	unsigned long flags;
	int i;

	spin_lock_irqsave(&pw_holds_lock, flags);
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
	spin_unlock_irqrestore(&pw_holds_lock, flags);
}

void pw_holders_del(struct mutex *lock, struct task_struct *t)
{
	unsigned long flags;
	u64 held = 0;
	int i;

	spin_lock_irqsave(&pw_holds_lock, flags);
	for (i = 0; i < PW_MAX_HOLDERS; i++) {
		struct pw_hold_slot *s = &pw_holds[i];

		if (s->used && s->lock == lock && s->task == t) {
			held = ktime_get_ns() - s->since_ns;
			s->used = false;
			break;
		}
	}
	spin_unlock_irqrestore(&pw_holds_lock, flags);
	if (held)
		pw_stats_hold_done(held);
}

bool pw_holders_lookup(struct mutex *lock, struct task_struct *t,
		       u64 *since_ns, unsigned long *ino)
{
	unsigned long flags;
	bool found = false;
	int i;

	spin_lock_irqsave(&pw_holds_lock, flags);
	for (i = 0; i < PW_MAX_HOLDERS; i++) {
		struct pw_hold_slot *s = &pw_holds[i];

		if (s->used && s->lock == lock && s->task == t) {
			*since_ns = s->since_ns;
			*ino = s->ino;
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&pw_holds_lock, flags);
	return found;
}

struct pw_lock_data {
	struct pipe_inode_info *pipe[2];
};

static int pw_pipe_lock_entry(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct pw_lock_data *d = (struct pw_lock_data *)ri->data;

	d->pipe[0] = (struct pipe_inode_info *)regs->di;
	d->pipe[1] = NULL;
	return 0;
}
NOKPROBE_SYMBOL(pw_pipe_lock_entry);

static int pw_pipe_double_lock_entry(struct kretprobe_instance *ri,
				     struct pt_regs *regs)
{
	struct pw_lock_data *d = (struct pw_lock_data *)ri->data;

	d->pipe[0] = (struct pipe_inode_info *)regs->di;
	d->pipe[1] = (struct pipe_inode_info *)regs->si;
	return 0;
}
NOKPROBE_SYMBOL(pw_pipe_double_lock_entry);

static int pw_pipe_lock_return(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct pw_lock_data *d = (struct pw_lock_data *)ri->data;
	int i;

	/* pipe_lock() takes nothing on a pipe with no files: check owner. */
	for (i = 0; i < 2; i++)
		if (d->pipe[i] && pw_owned_by_current(&d->pipe[i]->mutex))
			pw_holders_add(&d->pipe[i]->mutex, current, 0);
	return 0;
}
NOKPROBE_SYMBOL(pw_pipe_lock_return);

static int pw_pipe_unlock_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct pipe_inode_info *pipe = (struct pipe_inode_info *)regs->di;

	pw_holders_del(&pipe->mutex, current);
	return 0;
}
NOKPROBE_SYMBOL(pw_pipe_unlock_pre);

static struct kretprobe pw_pipe_lock_probe = {
	.kp.symbol_name	= "pipe_lock",
	.entry_handler	= pw_pipe_lock_entry,
	.handler	= pw_pipe_lock_return,
	.data_size	= sizeof(struct pw_lock_data),
	.maxactive	= 64,
};

static struct kretprobe pw_pipe_double_lock_probe = {
	.kp.symbol_name	= "pipe_double_lock",
	.entry_handler	= pw_pipe_double_lock_entry,
	.handler	= pw_pipe_lock_return,
	.data_size	= sizeof(struct pw_lock_data),
	.maxactive	= 64,
};

static struct kprobe pw_pipe_unlock_probe = {
	.symbol_name	= "pipe_unlock",
	.pre_handler	= pw_pipe_unlock_pre,
};

static struct kretprobe *pw_lock_probes[] = {
	&pw_pipe_lock_probe,
	&pw_pipe_double_lock_probe,
};

int pw_holders_init(void)
{
	int ret;

	ret = register_kretprobes(pw_lock_probes, ARRAY_SIZE(pw_lock_probes));
	if (ret < 0) {
		pr_err("register_kretprobes(pipe_lock, pipe_double_lock) failed: %d\n",
		       ret);
		return ret;
	}
	ret = register_kprobe(&pw_pipe_unlock_probe);
	if (ret < 0) {
		pr_err("register_kprobe(pipe_unlock) failed: %d\n", ret);
		goto err_unlock;
	}
	return 0;

err_unlock:
	unregister_kretprobes(pw_lock_probes, ARRAY_SIZE(pw_lock_probes));
	return ret;
}

void pw_holders_exit(void)
{
	unregister_kprobe(&pw_pipe_unlock_probe);
	unregister_kretprobes(pw_lock_probes, ARRAY_SIZE(pw_lock_probes));
}

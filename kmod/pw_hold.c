// SPDX-License-Identifier: GPL-2.0
/*
 * pipewatch: the positive-control `hold` knob.
 *
 * A process writes "<fd> <ms>" naming one of its own pipe fds; a kernel
 * thread ("pipewatch-hold") takes that pipe's mutex and keeps it for <ms>.
 * Closing any *other* fd of the same pipe then blocks in pipe_release()
 * exactly like the bug, so the whole chain (waiter -> record -> oracle)
 * can be proven on any kernel without a slow disk.  With "<fd> <ms> spin"
 * the thread stays runnable while it holds the mutex (like syzbot's holder,
 * spinning in iov_iter_alignment()), which exercises the IPI stack path.  The thread keeps a
 * reference on the file it was given, so the pipe cannot go away under it.
 */
#define pr_fmt(fmt) "pipewatch: " fmt

#include <linux/kthread.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/pipe_fs_i.h>
#include <linux/seq_file.h>
#include <linux/sched/task.h>
#include <linux/wait.h>
#include "pipewatch.h"

struct pw_hold {
	struct task_struct *task;	/* referenced; NULL if slot free */
	struct file *file;		/* referenced until the hold ends */
	unsigned long ino;
	unsigned int ms;
	bool spin;
	bool done;
};

static struct pw_hold pw_holds_req[PW_MAX_HOLDS];
static DEFINE_MUTEX(pw_hold_lock);
static DECLARE_WAIT_QUEUE_HEAD(pw_hold_wq);
static bool pw_hold_stopping;

static int pw_hold_fn(void *arg)
{
	struct pw_hold *h = arg;
	struct pipe_inode_info *pipe = h->file->private_data;
	char me[TASK_COMM_LEN + 16];

	mutex_lock(&pipe->mutex);
	pw_holders_add(&pipe->mutex, current, h->ino);
	pw_task_name(current, me, sizeof(me));
	pr_info("hold start pipe_ino=%lu holder=%s ms=%u%s\n", h->ino, me, h->ms,
		h->spin ? " spin" : "");
	if (h->spin) {
		unsigned long end = jiffies + msecs_to_jiffies(h->ms);

		while (time_before(jiffies, end) && !READ_ONCE(pw_hold_stopping))
			cond_resched();
	} else {
		/* TASK_IDLE: our own holder must not look like a hung task. */
		wait_event_idle_timeout(pw_hold_wq, READ_ONCE(pw_hold_stopping),
					msecs_to_jiffies(h->ms));
	}
	pw_holders_del(&pipe->mutex, current);
	mutex_unlock(&pipe->mutex);
	pr_info("hold end pipe_ino=%lu holder=%s\n", h->ino, me);
	fput(h->file);
	h->file = NULL;
	WRITE_ONCE(h->done, true);
	return 0;
}

/* Called with pw_hold_lock held. */
static void pw_hold_reap(struct pw_hold *h, bool force)
{
	if (!h->task || (!force && !READ_ONCE(h->done)))
		return;
	kthread_stop(h->task);
	put_task_struct(h->task);
	/* The thread was stopped before it ever ran: drop its file here. */
	if (h->file)
		fput(h->file);
	memset(h, 0, sizeof(*h));
}

int pw_hold_request(int fd, unsigned int ms, bool spin)
{
	struct pw_hold *h = NULL;
	struct task_struct *t;
	struct inode *inode;
	struct file *file;
	int i, ret;

	if (fd < 0 || ms < 1 || ms > PW_HOLD_MAX_MS)
		return -EINVAL;
	file = fget(fd);
	if (!file)
		return -EBADF;
	inode = file_inode(file);
	/* Anonymous pipes and opened FIFOs: private_data is the pipe. */
	if (!S_ISFIFO(inode->i_mode) || !file->private_data ||
	    file->private_data != inode->i_pipe) {
		ret = -EINVAL;
		goto err_put;
	}

	mutex_lock(&pw_hold_lock);
	for (i = 0; i < PW_MAX_HOLDS; i++) {
		pw_hold_reap(&pw_holds_req[i], false);
		if (!h && !pw_holds_req[i].task)
			h = &pw_holds_req[i];
	}
	ret = -EBUSY;
	if (!h || READ_ONCE(pw_hold_stopping))
		goto err_unlock;
	h->file = file;
	h->ino = inode->i_ino;
	h->ms = ms;
	h->spin = spin;
	h->done = false;
	t = kthread_create(pw_hold_fn, h, "pipewatch-hold");
	if (IS_ERR(t)) {
		ret = PTR_ERR(t);
		h->file = NULL;
		goto err_unlock;
	}
	get_task_struct(t);
	h->task = t;
	wake_up_process(t);
	mutex_unlock(&pw_hold_lock);
	return 0;

err_unlock:
	mutex_unlock(&pw_hold_lock);
err_put:
	fput(file);
	return ret;
}

int pw_hold_show(struct seq_file *m, void *v)
{
	int i;

	mutex_lock(&pw_hold_lock);
	for (i = 0; i < PW_MAX_HOLDS; i++) {
		struct pw_hold *h = &pw_holds_req[i];

		if (h->task && !READ_ONCE(h->done))
			seq_printf(m, "pid %d pipe_ino %lu ms %u\n",
				   task_pid_nr(h->task), h->ino, h->ms);
	}
	mutex_unlock(&pw_hold_lock);
	return 0;
}

void pw_hold_exit(void)
{
	int i;

	WRITE_ONCE(pw_hold_stopping, true);
	wake_up_all(&pw_hold_wq);
	mutex_lock(&pw_hold_lock);
	for (i = 0; i < PW_MAX_HOLDS; i++)
		pw_hold_reap(&pw_holds_req[i], true);
	mutex_unlock(&pw_hold_lock);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * pipewatch: the scanner thread.
 *
 * Every PW_SCAN_INTERVAL_MS it looks at the contended mutex waits filed by
 * pw_waiters.c: a wait that has lasted one interval is classified (is the
 * first non-locking frame of the waiter a pipe function?), and a pipe wait
 * older than wait_threshold_ms is reported once.  Every
 * PW_HUNG_INTERVAL_MS it also looks for tasks in uninterruptible sleep
 * that have not been scheduled for hung_threshold_ms.  All the slow work
 * (unwinding, symbol lookups, printing) happens here, in process context.
 */
#define pr_fmt(fmt) "pipewatch: " fmt

#include <linux/kthread.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/pipe_fs_i.h>
#include <linux/ktime.h>
#include "pipewatch.h"

#define PW_SCAN_BATCH	16
#define PW_HUNG_BATCH	4

static struct task_struct *pw_scan_thread;

/* Scanner-private state: only the scanner thread touches it. */
static struct pw_event pw_ev;

struct pw_hung_slot {
	struct task_struct *task;	/* compared only, never dereferenced */
	pid_t pid;
	unsigned long switches;
	u64 since_ns;
	u32 gen;
	bool used;
	bool reported;
};

static struct pw_hung_slot pw_hung[PW_MAX_HUNG];
static u32 pw_hung_gen;

struct pw_fd_match {
	struct pipe_inode_info *pipe;
	unsigned long ino;
};

static int pw_fd_is_pipe(const void *arg, struct file *file, unsigned int fd)
{
	struct pw_fd_match *m = (struct pw_fd_match *)arg;
	struct inode *inode = file_inode(file);

	if (!S_ISFIFO(inode->i_mode) || file->private_data != m->pipe)
		return 0;
	m->ino = inode->i_ino;
	return 1;
}

/* The pipe's inode number, from a file the task has open on it. */
static unsigned long pw_pipe_ino_from_fds(struct task_struct *t,
					  struct pipe_inode_info *pipe)
{
	struct pw_fd_match m = { .pipe = pipe };

	if (!t)
		return 0;
	task_lock(t);
	if (t->files)
		iterate_fd(t->files, 0, pw_fd_is_pipe, &m);
	task_unlock(t);
	return m.ino;
}

static void pw_fill_holder(struct pw_event *ev, struct pw_wait_snap *s,
			   bool is_pipe)
{
	u64 since;
	unsigned long ino = 0;

	ev->holder = s->holder;
	ev->held_ms = -1;
	ev->pipe_ino = 0;
	ev->holder_stack.nr = 0;
	if (s->holder) {
		if (pw_holders_lookup(s->lock, s->holder, &since, &ino))
			ev->held_ms = div_u64(pw_now_ns() - since,
					      NSEC_PER_MSEC);
		pw_stack_save(s->holder, &ev->holder_stack);
	}
	if (!is_pipe)
		return;
	if (!ino) {
		struct pipe_inode_info *pipe =
			container_of(s->lock, struct pipe_inode_info, mutex);

		ino = pw_pipe_ino_from_fds(s->waiter, pipe);
		if (!ino)
			ino = pw_pipe_ino_from_fds(s->holder, pipe);
	}
	ev->pipe_ino = ino;
}

static void pw_scan_waits(void)
{
	struct pw_wait_snap snaps[PW_SCAN_BATCH];
	u64 thr = (u64)READ_ONCE(pw_wait_threshold_ms) * NSEC_PER_MSEC;
	u64 tick = (u64)PW_SCAN_INTERVAL_MS * NSEC_PER_MSEC;
	int i, n;

	n = pw_waiters_snapshot(tick, thr, snaps, PW_SCAN_BATCH);
	for (i = 0; i < n; i++) {
		struct pw_wait_snap *s = &snaps[i];
		struct pw_event *ev = &pw_ev;
		u64 age = pw_now_ns() - s->start_ns;
		bool is_pipe, report;

		pw_stack_save(s->waiter, &ev->waiter_stack);
		pw_stack_title(&ev->waiter_stack, ev->func, sizeof(ev->func));
		is_pipe = s->classified || pw_func_is_pipe(ev->func);
		report = is_pipe && age >= thr;
		if (!pw_waiters_mark(s, is_pipe, report) || !report ||
		    !pw_report_allowed())
			goto next;

		ev->event = "pipe_wait";
		ev->waiter = s->waiter;
		ev->waited_ms = div_u64(age, NSEC_PER_MSEC);
		pw_fill_holder(ev, s, true);
		pw_report_emit(ev);
next:
		pw_wait_snap_put(s);
	}
}

static struct pw_hung_slot *pw_hung_slot_for(struct task_struct *t)
{
	struct pw_hung_slot *free = NULL;
	int i;

	for (i = 0; i < PW_MAX_HUNG; i++) {
		struct pw_hung_slot *h = &pw_hung[i];

		if (h->used && h->task == t && h->pid == t->pid)
			return h;
		if (!h->used && !free)
			free = h;
	}
	if (free) {
		free->used = true;
		free->task = t;
		free->pid = t->pid;
		free->switches = ~0UL;	/* forces a fresh episode below */
	}
	return free;
}

/* Report one task found stuck; takes over the reference on @t. */
static void pw_report_hung(struct task_struct *t, struct pw_hung_slot *h,
			   u64 now)
{
	struct pw_event *ev = &pw_ev;
	struct pw_wait_snap s = { };
	bool waiting, is_pipe;

	/* Already reported as a pipe wait in this episode: one is enough. */
	if (pw_waiters_task_reported(t))
		goto out;
	if (READ_ONCE(t->__state) != TASK_UNINTERRUPTIBLE ||
	    t->nvcsw + t->nivcsw != h->switches)
		goto out;
	if (!pw_report_allowed())
		goto out;

	pw_stack_save(t, &ev->waiter_stack);
	pw_stack_title(&ev->waiter_stack, ev->func, sizeof(ev->func));
	is_pipe = pw_func_is_pipe(ev->func);
	ev->event = "hung_task";
	ev->waiter = t;
	ev->waited_ms = div_u64(now - h->since_ns, NSEC_PER_MSEC);
	waiting = pw_waiters_find_task(t, &s);
	if (waiting) {
		pw_fill_holder(ev, &s, is_pipe);
	} else {
		ev->holder = NULL;
		ev->held_ms = -1;
		ev->pipe_ino = 0;
		ev->holder_stack.nr = 0;
	}
	pw_report_emit(ev);
	if (waiting)
		pw_wait_snap_put(&s);
out:
	put_task_struct(t);
}

static void pw_scan_hung(void)
{
	u64 thr = (u64)READ_ONCE(pw_hung_threshold_ms) * NSEC_PER_MSEC;
	struct task_struct *cand[PW_HUNG_BATCH];
	struct pw_hung_slot *cslot[PW_HUNG_BATCH];
	struct task_struct *g, *t;
	u64 now = pw_now_ns();
	int i, n = 0;

	pw_hung_gen++;
	rcu_read_lock();
	for_each_process_thread(g, t) {
		struct pw_hung_slot *h;
		unsigned long sw;

		/* TASK_IDLE sleepers (TASK_NOLOAD) are not hung by design. */
		if (READ_ONCE(t->__state) != TASK_UNINTERRUPTIBLE)
			continue;
		h = pw_hung_slot_for(t);
		if (!h)
			continue;
		h->gen = pw_hung_gen;
		sw = t->nvcsw + t->nivcsw;
		if (sw != h->switches) {
			h->switches = sw;
			h->since_ns = now;
			h->reported = false;
			continue;
		}
		if (h->reported || now - h->since_ns < thr || n >= PW_HUNG_BATCH)
			continue;
		h->reported = true;
		get_task_struct(t);
		cand[n] = t;
		cslot[n++] = h;
	}
	rcu_read_unlock();

	for (i = 0; i < PW_MAX_HUNG; i++)
		if (pw_hung[i].used && pw_hung[i].gen != pw_hung_gen)
			pw_hung[i].used = false;
	for (i = 0; i < n; i++)
		pw_report_hung(cand[i], cslot[i], now);
}

static int pw_scan_fn(void *unused)
{
	u64 last_hung = 0;

	while (!kthread_should_stop()) {
		u64 now = pw_now_ns();

		pw_scan_waits();
		if (READ_ONCE(pw_hung_threshold_ms) &&
		    now - last_hung >= (u64)PW_HUNG_INTERVAL_MS * NSEC_PER_MSEC) {
			pw_scan_hung();
			last_hung = now;
		}
		/* TASK_IDLE: the scanner itself never looks hung. */
		schedule_timeout_idle(msecs_to_jiffies(PW_SCAN_INTERVAL_MS));
	}
	return 0;
}

int pw_scan_start(void)
{
	pw_scan_thread = kthread_run(pw_scan_fn, NULL, "pipewatch");
	if (IS_ERR(pw_scan_thread)) {
		int ret = PTR_ERR(pw_scan_thread);

		pw_scan_thread = NULL;
		pr_err("cannot start scanner thread: %d\n", ret);
		return ret;
	}
	return 0;
}

void pw_scan_stop(void)
{
	if (pw_scan_thread)
		kthread_stop(pw_scan_thread);
	pw_scan_thread = NULL;
}

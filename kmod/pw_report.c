// SPDX-License-Identifier: GPL-2.0
/*
 * pipewatch: the kernel-log records and their rate limit.
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
#include <linux/sched/task.h>
#include "pipewatch.h"

static struct ratelimit_state pw_rs;
static atomic_t pw_next_id = ATOMIC_INIT(0);

void pw_report_init(void)
{
	ratelimit_state_init(&pw_rs, pw_report_interval_s * HZ, pw_report_burst);
	/* Count suppressions in `stats` instead of logging a message. */
	ratelimit_set_flags(&pw_rs, RATELIMIT_MSG_ON_RELEASE);
}

bool pw_report_allowed(void)
{
	if (__ratelimit(&pw_rs))
		return true;
	pw_stats_suppressed();
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

	pw_stats_event(pipe, ev->waited_ms, ev->held_ms);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * pipewatch: take another task's stack, and pick the frame a title uses.
 *
 * A sleeping task is unwound with stack_trace_save_tsk().  Linux 6.1 does
 * not export it to modules (6.12 does; Kbuild checks Module.symvers), so on
 * such kernels its address is looked up once at load time through a kprobe
 * on the symbol (kallsyms_lookup_name() is not exported either).  If that
 * fails, stacks are reported as unavailable rather than guessed.
 *
 * A task running on another CPU has no saved stack to unwind: it gets an
 * IPI, and the handler unwinds its own interrupted context; the interrupt
 * entry frames are then cut off so the trace starts where the task was.
 */
#define pr_fmt(fmt) "pipewatch: " fmt

#include <linux/kprobes.h>
#include <linux/kallsyms.h>
#include <linux/stacktrace.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "pipewatch.h"

typedef unsigned int (*pw_save_tsk_fn)(struct task_struct *task,
				       unsigned long *store,
				       unsigned int size,
				       unsigned int skipnr);

static pw_save_tsk_fn pw_save_tsk;

#ifndef PW_HAVE_STACK_TRACE_SAVE_TSK
static unsigned long pw_lookup_symbol(const char *name)
{
	struct kprobe kp = { .symbol_name = name };
	unsigned long addr;
	u32 insn;

	if (register_kprobe(&kp) < 0)
		return 0;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	/*
	 * With IBT, kprobes skip the ENDBR64 that starts the function; an
	 * indirect call must land on it, so step back over it.
	 */
	if (!copy_from_kernel_nofault(&insn, (void *)(addr - 4), 4) &&
	    insn == 0xfa1e0ff3)
		addr -= 4;
	return addr;
}
#endif

int pw_stack_init(void)
{
#ifdef PW_HAVE_STACK_TRACE_SAVE_TSK
	pw_save_tsk = stack_trace_save_tsk;
#else
	pw_save_tsk = (pw_save_tsk_fn)pw_lookup_symbol("stack_trace_save_tsk");
	if (!pw_save_tsk)
		pr_warn("stack_trace_save_tsk not found: stacks of sleeping tasks unavailable\n");
#endif
	return 0;
}

struct pw_ipi_ctx {
	struct task_struct *task;
	struct pw_stack *st;
	bool done;
};

static void pw_ipi_save(void *arg)
{
	struct pw_ipi_ctx *ctx = arg;

	if (current != ctx->task)
		return;
	ctx->st->nr = stack_trace_save(ctx->st->entries, PW_STACK_DEPTH, 0);
	ctx->done = true;
}

static void pw_symbol_name(unsigned long addr, char *buf, size_t len)
{
	char *sp;

	snprintf(buf, len, "%ps", (void *)addr);
	/* Module symbols carry " [module]": keep the bare name. */
	sp = strchr(buf, ' ');
	if (sp)
		*sp = '\0';
}

/* Drop everything up to and including the IPI's interrupt entry frame. */
static void pw_cut_irq_frames(struct pw_stack *st)
{
	char name[KSYM_NAME_LEN];
	int i, cut = -1;

	for (i = 0; i < st->nr; i++) {
		pw_symbol_name(st->entries[i], name, sizeof(name));
		if (str_has_prefix(name, "asm_sysvec_call_function"))
			cut = i;
	}
	if (cut < 0)
		return;
	st->nr -= cut + 1;
	memmove(st->entries, st->entries + cut + 1,
		st->nr * sizeof(st->entries[0]));
}

void pw_stack_save(struct task_struct *t, struct pw_stack *st)
{
	st->nr = 0;
	st->first_is_ip = false;
	if (t == current) {
		st->nr = stack_trace_save(st->entries, PW_STACK_DEPTH, 0);
		return;
	}
	if (READ_ONCE(t->on_cpu)) {
		struct pw_ipi_ctx ctx = { .task = t, .st = st };

		smp_call_function_single(task_cpu(t), pw_ipi_save, &ctx, 1);
		if (ctx.done) {
			pw_cut_irq_frames(st);
			st->first_is_ip = true;
			pw_stats_running_stack();
			return;
		}
		/* It went to sleep meanwhile: its saved stack is valid now. */
	}
	if (pw_save_tsk)
		st->nr = pw_save_tsk(t, st->entries, PW_STACK_DEPTH, 0);
}

/*
 * Frames a hung-task title skips: the scheduler, sleeping and locking
 * primitives (including the pipe lock wrappers), interrupt entry and our
 * own code.  What is left first is the function that decided to wait.
 */
static const char * const pw_skip_prefixes[] = {
	"__schedule", "schedule", "preempt_schedule", "io_schedule",
	"__cond_resched", "_cond_resched", "__switch_to", "context_switch",
	"finish_task_switch", "__mutex", "mutex_", "pipe_lock",
	"pipe_double_lock", "__down", "down", "rwsem_", "__rwsem",
	"percpu_down", "__percpu_down", "rt_mutex", "__rt_mutex",
	"wait_for_completion", "__wait_for_common", "wait_for_common",
	"do_wait_for_common", "__wait_on_bit", "out_of_line_wait_on_bit",
	"bit_wait", "folio_wait", "__folio_lock", "__lock_page",
	"wait_on_page", "_raw_spin", "__raw_spin", "msleep",
	"stack_trace_save", "arch_stack_walk", "pw_", "__sysvec",
	"sysvec_", "asm_sysvec", "__flush_smp_call", "generic_smp_call",
};

static bool pw_frame_skipped(const char *name)
{
	int i;

	if (strstr(name, "schedule"))	/* blk_io_schedule, ... */
		return true;
	for (i = 0; i < ARRAY_SIZE(pw_skip_prefixes); i++)
		if (str_has_prefix(name, pw_skip_prefixes[i]))
			return true;
	return false;
}

void pw_stack_title(const struct pw_stack *st, char *func, size_t len)
{
	int i;

	for (i = 0; i < st->nr; i++) {
		pw_symbol_name(st->entries[i], func, len);
		if (!pw_frame_skipped(func))
			return;
	}
	strscpy(func, "unknown", len);
}

/* Functions that take pipe->mutex themselves, on behalf of a pipe. */
bool pw_func_is_pipe(const char *func)
{
	return strstr(func, "pipe") || strstr(func, "splice") ||
	       !strcmp(func, "fifo_open") || !strcmp(func, "do_tee");
}

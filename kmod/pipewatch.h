/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pipewatch: shared declarations between the pipewatch source files.
 *
 * pipewatch names the holder of a pipe's mutex when another task has
 * been waiting for it for too long, and reports tasks stuck in
 * uninterruptible sleep with millisecond thresholds.  It uses kprobes,
 * kretprobes and the lock-contention tracepoints; see docs/pipewatch.md
 * for the record format.
 *
 * The files are layered (the list in pw_main.c): each calls only files
 * below it, and pw_params.c and pw_stats.c call none, so that every file
 * can be read, and changed, knowing only what is beneath it.
 */
#ifndef PIPEWATCH_H
#define PIPEWATCH_H

#include <linux/ktime.h>		/* also timekeeping.h, which needs ktime_t */
#include <linux/types.h>
#include <linux/sched.h>
#include <linux/mutex.h>
#include <linux/kallsyms.h>
#include <linux/seq_file.h>

/* Bounds on everything the module keeps: memory use is fixed at load. */
#define PW_MAX_WAITERS		128	/* contended mutex waits tracked */
#define PW_MAX_HOLDERS		64	/* pipe_lock() holds tracked */
#define PW_MAX_HUNG		256	/* D-state tasks tracked */
#define PW_MAX_HOLDS		4	/* concurrent `hold` knob requests */
#define PW_STACK_DEPTH		32	/* frames per printed stack */
#define PW_SCAN_INTERVAL_MS	100	/* pipe-wait scan period */
#define PW_HUNG_INTERVAL_MS	500	/* hung-task scan period */
#define PW_HIST_BUCKETS		8

/* The low bits of mutex::owner are flags (kernel/locking/mutex.c). */
#define PW_MUTEX_FLAGS		0x07UL
/*
 * On PREEMPT_RT a mutex is an rt_mutex_base: its owner pointer carries one
 * flag bit, RT_MUTEX_HAS_WAITERS (kernel/locking/rtmutex_common.h).
 */
#define PW_RT_MUTEX_FLAGS	0x01UL

/*
 * The one clock of the module. Kprobe handlers run in int3 context, which
 * lockdep counts as NMI: ktime_get_ns() and its seqcount are not safe
 * there (lockdep: "inconsistent {INITIAL USE} -> {IN-NMI} usage" on
 * tk_core.seq), the NMI-safe monotonic clock is.
 */
static inline u64 pw_now_ns(void)
{
	return ktime_get_mono_fast_ns();
}

/*
 * pw_params.c: every module parameter, with its range and default.  The
 * parameter descriptions are built from these same constants, so modinfo
 * cannot disagree with the code.
 */
#define PW_WAIT_DEFAULT_MS	1000
#define PW_WAIT_MIN_MS		10
#define PW_WAIT_MAX_MS		600000
#define PW_HUNG_DEFAULT_MS	10000
#define PW_HUNG_MIN_MS		100	/* 0 is also accepted: scan off */
#define PW_HUNG_MAX_MS		3600000
#define PW_BURST_DEFAULT	10
#define PW_BURST_MIN		1
#define PW_BURST_MAX		1000
#define PW_INTERVAL_DEFAULT_S	60
#define PW_INTERVAL_MAX_S	86400	/* 0 is also accepted: no rate limit */
#define PW_HOLD_MAX_MS		60000

/*
 * waiter_probe: how contended mutex waits are seen (pw_waiters.c).  The
 * forced values make the load fail when that way cannot work here.
 */
#define PW_PROBE_AUTO		0	/* tracepoints if the kernel has them, else kretprobe */
#define PW_PROBE_TRACEPOINT	1	/* the contention tracepoints only */
#define PW_PROBE_KRETPROBE	2	/* the kretprobe fallback, even with tracepoints */
#define PW_PROBE_MAX		2

/* The two thresholds can also be changed (validated) through debugfs. */
extern unsigned int pw_wait_threshold_ms;
extern unsigned int pw_hung_threshold_ms;
extern unsigned int pw_report_burst;
extern unsigned int pw_report_interval_s;
extern unsigned int pw_waiter_probe;
int pw_params_check(void);

/* A snapshot of one stack, taken outside any lock. */
struct pw_stack {
	unsigned int nr;
	bool first_is_ip;	/* entries[0] is an interrupted IP, not a return address */
	unsigned long entries[PW_STACK_DEPTH];
};

/* Everything one record needs; filled by the scanner, printed by report. */
struct pw_event {
	const char *event;		/* "pipe_wait" or "hung_task" */
	char func[KSYM_NAME_LEN];
	struct task_struct *waiter;	/* referenced */
	struct task_struct *holder;	/* referenced, or NULL */
	u64 waited_ms;
	s64 held_ms;			/* -1 when not known */
	unsigned long pipe_ino;		/* 0 when not known */
	struct pw_stack holder_stack;
	struct pw_stack waiter_stack;
};

/* A contended mutex wait, as the scanner sees it. */
struct pw_wait_snap {
	struct task_struct *waiter;	/* referenced */
	struct task_struct *holder;	/* referenced, or NULL */
	struct mutex *lock;
	u64 start_ns;
	int slot;
	u32 gen;		/* detects reuse of the slot */
	bool classified;	/* already known to be a pipe wait */
};

/*
 * pw_waiters.c: contention tracepoints, or a kretprobe on
 * __mutex_lock_slowpath (mutex_lock_nested with lockdep)
 */
int pw_waiters_init(void);
void pw_waiters_exit(void);
int pw_waiters_snapshot(u64 classify_ns, u64 report_ns,
			struct pw_wait_snap *out, int max);
bool pw_waiters_mark(const struct pw_wait_snap *s, bool is_pipe,
		     bool reported);
bool pw_waiters_find_task(struct task_struct *t, struct pw_wait_snap *out);
bool pw_waiters_task_reported(struct task_struct *t);
void pw_wait_snap_put(struct pw_wait_snap *s);

/* pw_holders.c: kprobes on pipe_lock, pipe_double_lock, pipe_unlock */
int pw_holders_init(void);
void pw_holders_exit(void);
void pw_holders_add(struct mutex *lock, struct task_struct *t,
		    unsigned long ino);
void pw_holders_del(struct mutex *lock, struct task_struct *t);
void pw_holders_acquired(struct mutex *lock, struct task_struct *t);
bool pw_holders_lookup(struct mutex *lock, struct task_struct *t,
		       u64 *since_ns, unsigned long *ino);

/* pw_stack.c: stack capture and frame classification */
int pw_stack_init(void);
void pw_stack_save(struct task_struct *t, struct pw_stack *st);
void pw_stack_title(const struct pw_stack *st, char *func, size_t len);
bool pw_func_is_pipe(const char *func);

/* pw_report.c: record output and its rate limit */
void pw_report_init(void);
bool pw_report_allowed(void);
void pw_report_emit(struct pw_event *ev);

/*
 * pw_stats.c: the statistics shown in debugfs `stats`.  A leaf: it calls
 * no other pipewatch file, so the probe handlers, the scanner and the
 * report code can all feed it without depending on each other.  The
 * update functions are safe in probe (int3, NMI-like) context.
 */
struct pw_stats_snap {
	u64 pipe_wait_events;
	u64 hung_task_events;
	u64 suppressed;
	u64 pipe_waits;		/* classified pipe waits that have ended */
	u64 longest_wait_ms;
	u64 longest_hold_ms;
	u64 running_stacks;
	u64 hist[PW_HIST_BUCKETS];
	unsigned long untracked_waits;
	const char *wait_probe;
};

/* Upper bounds (ms) of the wait histogram buckets; the last is open. */
extern const unsigned int pw_hist_limits_ms[PW_HIST_BUCKETS - 1];

void pw_stats_set_wait_probe(const char *name, const int *probe_nmissed);
const char *pw_stats_wait_probe(void);
void pw_stats_untracked_wait(void);
void pw_stats_event(bool pipe_wait, u64 waited_ms, s64 held_ms);
void pw_stats_suppressed(void);
void pw_stats_wait_done(u64 wait_ns);
void pw_stats_hold_done(u64 hold_ns);
void pw_stats_running_stack(void);
void pw_stats_read(struct pw_stats_snap *s);
void pw_stats_reset(void);

/* pw_scan.c: the scanner thread */
int pw_scan_start(void);
void pw_scan_stop(void);

/* pw_hold.c: the positive-control `hold` knob */
int pw_hold_request(int fd, unsigned int ms, bool spin);
void pw_hold_exit(void);
int pw_hold_show(struct seq_file *m, void *v);

/* pw_debugfs.c */
int pw_debugfs_init(void);
void pw_debugfs_exit(void);

/* Task naming for records: comm with ' ', '/' and '=' replaced by '_'. */
void pw_task_name(struct task_struct *t, char *buf, size_t len);

#endif /* PIPEWATCH_H */

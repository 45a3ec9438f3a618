// SPDX-License-Identifier: GPL-2.0
/*
 * clstest: a test module that makes the kernel print one kind of report on
 * purpose, so the console-log classifier corpus holds real reports from real
 * kernels. Never load it anywhere but a throw-away test VM.
 *
 *   insmod clstest.ko what=warn|bug|null|paging|gpf|divide|ud2|panic|
 *                          refcount|list|usercopy|stackprot|atomic_sched|
 *                          hung|softlockup|stall|stall_remote
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/thread_info.h>

static char *what = "warn";
module_param(what, charp, 0444);
MODULE_PARM_DESC(what, "which report to provoke");

static unsigned int seconds = 6;
module_param(seconds, uint, 0444);
MODULE_PARM_DESC(seconds, "how long hung/softlockup/stall cases last");

/* noinline everywhere: the function names are what the titles must show. */

static noinline void clstest_warn(void)
{
	WARN_ON(1);
}

static noinline void clstest_bug(void)
{
	BUG();
}

static noinline void clstest_null(void)
{
	*(volatile int *)NULL = 1;
}

static noinline void clstest_paging(void)
{
	/* Above the first page, so not reported as a NULL dereference. */
	*(volatile int *)0x10000 = 1;
}

static noinline void clstest_gpf(void)
{
	/* A non-canonical address faults with #GP, not #PF. */
	*(volatile int *)0xdead000000000000UL = 1;
}

static noinline void clstest_divide(void)
{
	volatile int zero = 0;
	volatile int r = 100 / zero;
	(void)r;
}

static noinline void clstest_ud2(void)
{
	asm volatile("ud2");
}

static noinline void clstest_panic(void)
{
	panic("clstest: deliberate panic");
}

static noinline void clstest_refcount(void)
{
	refcount_t r = REFCOUNT_INIT(0);

	refcount_inc(&r);
}

static noinline void clstest_list(void)
{
	LIST_HEAD(head);
	struct list_head node;

	list_add(&node, &head);
	list_del(&node);
	list_del(&node); /* poisoned pointers: list_del corruption */
}

static noinline void clstest_usercopy(void)
{
	char *p = kmalloc(16, GFP_KERNEL);

	/* What copy_to_user() checks: a 64-byte copy out of a 16-byte object. */
	__check_object_size(p, 64, true);
	kfree(p);
}

static noinline void clstest_stackprot(void)
{
	char buf[8];
	volatile size_t n = 64;

	memset(buf, 0x41, n);
	barrier_data(buf);
}

static noinline void clstest_atomic_sched(void)
{
	preempt_disable();
	schedule_timeout_uninterruptible(1);
	preempt_enable();
}

static DEFINE_MUTEX(clstest_mutex);

static int clstest_holder(void *unused)
{
	mutex_lock(&clstest_mutex);
	ssleep(seconds);
	mutex_unlock(&clstest_mutex);
	return 0;
}

static noinline void clstest_hung(void)
{
	kthread_run(clstest_holder, NULL, "clstest_holder");
	msleep(200);
	/* insmod sleeps here in D state while the kthread holds the mutex. */
	mutex_lock(&clstest_mutex);
	mutex_unlock(&clstest_mutex);
}

static noinline void clstest_spin(unsigned long until)
{
	while (time_before(jiffies, until))
		cpu_relax();
}

static noinline void clstest_softlockup(void)
{
	preempt_disable();
	clstest_spin(jiffies + seconds * HZ);
	preempt_enable();
}

static noinline void clstest_stall(void)
{
	rcu_read_lock();
	preempt_disable();
	clstest_spin(jiffies + seconds * HZ);
	preempt_enable();
	rcu_read_unlock();
}

/*
 * stall_remote: CPU 1 spins with interrupts off while insmod sleeps on
 * CPU 0, so CPU 0 detects the stall and prints CPU 1's NMI backtrace
 * (an RCU report whose stalled stack is another CPU's). The clock is read
 * directly: with CPU 1's interrupts off, jiffies may not advance.
 */
static noinline void clstest_spin_irqs_off(u64 ns)
{
	u64 until = ktime_get_mono_fast_ns() + ns;
	unsigned long flags;

	local_irq_save(flags);
	while (ktime_get_mono_fast_ns() < until)
		cpu_relax();
	local_irq_restore(flags);
}

static int clstest_remote_spinner(void *unused)
{
	clstest_spin_irqs_off((u64)seconds * NSEC_PER_SEC);
	return 0;
}

static noinline void clstest_stall_remote(void)
{
	struct task_struct *t;

	if (num_online_cpus() < 2) {
		pr_err("clstest: stall_remote needs 2 CPUs\n");
		return;
	}
	t = kthread_create(clstest_remote_spinner, NULL, "clstest_spinner");
	if (IS_ERR(t))
		return;
	kthread_bind(t, 1);
	wake_up_process(t);
	ssleep(seconds + 2);
}

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
	{"warn", clstest_warn},         {"bug", clstest_bug},
	{"null", clstest_null},         {"paging", clstest_paging},
	{"gpf", clstest_gpf},           {"divide", clstest_divide},
	{"ud2", clstest_ud2},           {"panic", clstest_panic},
	{"refcount", clstest_refcount}, {"list", clstest_list},
	{"usercopy", clstest_usercopy}, {"stackprot", clstest_stackprot},
	{"atomic_sched", clstest_atomic_sched},
	{"hung", clstest_hung},         {"softlockup", clstest_softlockup},
	{"stall", clstest_stall},       {"stall_remote", clstest_stall_remote},
};

static int __init clstest_init(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (!strcmp(what, cases[i].name)) {
			pr_info("clstest: provoking '%s'\n", what);
			cases[i].fn();
			return 0;
		}
	}
	pr_err("clstest: unknown what=%s\n", what);
	return -EINVAL;
}

static void __exit clstest_exit(void)
{
}

module_init(clstest_init);
module_exit(clstest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("provokes kernel reports for the pipehang classifier corpus");

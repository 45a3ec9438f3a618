#include "report/frame_rules.h"

namespace pipehang::report {

const std::vector<SkipGroup> &common_skip_groups()
{
	static const std::vector<SkipGroup> groups = {
		{"scheduler",
		 {"__schedule", "schedule", "schedule_*", "preempt_schedule*", "io_schedule*",
		  "context_switch", "__switch_to*", "finish_task_switch", "__cond_resched",
		  "_cond_resched", "do_nanosleep", "hrtimer_nanosleep", "msleep*", "usleep_range*",
		  "wait_for_completion*", "__wait_for_common", "do_wait_for_common", "wait_woken",
		  "__wait_event*", "prepare_to_wait*", "finish_wait", "kthread_stop"}},
		{"locking",
		 {"__mutex_lock*", "mutex_lock*", "mutex_trylock*", "mutex_unlock*",
		  "__mutex_unlock_slowpath", "__ww_mutex_lock*", "ww_mutex_lock*", "rwsem_down_*",
		  "down", "down_*", "__down*", "up", "up_read", "up_write", "__up_read", "__up_write",
		  "percpu_down_*", "__percpu_down_*", "percpu_rwsem_wait", "_raw_spin_*",
		  "__raw_spin_*", "raw_spin_*", "spin_lock*", "spin_unlock*", "_raw_read_*",
		  "_raw_write_*", "queued_spin_lock_slowpath", "native_queued_spin_lock_slowpath",
		  "queued_read_lock_slowpath", "queued_write_lock_slowpath", "do_raw_spin_lock",
		  "lock_acquire*", "lock_release", "__lock_acquire", "lock_sock_nested",
		  "osq_lock", "osq_unlock", "rt_mutex_*", "__rt_mutex_*", "rt_spin_*",
		  "*lockdep*", "lock_class*", "reacquire_held_locks", "rcu_lock_acquire",
		  "rcu_read_lock*", "rcu_read_unlock*"}},
		{"stack dumping and report printing",
		 {"dump_stack*", "__dump_stack", "show_stack", "show_trace_log_lvl", "show_regs",
		  "__show_regs", "sched_show_task", "print_address_description*", "print_report",
		  "*kasan*", "__asan_*", "check_memory_region*", "*kmsan*", "__msan_*", "*kcsan*",
		  "__tsan_*", "ubsan_*", "__ubsan_*", "__warn",
		  "__warn_printk", "warn_slowpath*", "report_bug", "handle_bug", "fixup_bug",
		  "do_error_trap", "do_trap", "exc_invalid_op", "asm_exc_invalid_op", "panic",
		  "nmi_cpu_backtrace*", "nmi_trigger_cpumask_backtrace",
		  "arch_trigger_cpumask_backtrace", "printk*", "_printk", "vprintk*", "__printk*",
		  "debug_print_object", "debug_object_*", "__debug_object_*", "fortify_panic",
		  "__fortify_panic", "__fortify_report", "fortify_report"}},
		{"exception and syscall entry",
		 {"entry_SYSCALL_64*", "do_syscall_64", "do_syscall_x64", "do_int80_syscall_32",
		  "syscall_exit_to_user_mode*", "exit_to_user_mode*", "__syscall_exit_to_user_mode*",
		  "asm_exc_*", "exc_page_fault", "exc_general_protection", "do_user_addr_fault",
		  "handle_page_fault", "page_fault_oops", "kernelmode_fixup_or_oops",
		  "__bad_area_nosemaphore", "bad_area_nosemaphore", "no_context", "asm_sysvec_*",
		  "sysvec_*", "__sysvec_*", "asm_common_interrupt", "common_interrupt",
		  "irq_exit_rcu", "__irq_exit_rcu", "irqentry_*", "ret_from_fork*", "ret_from_intr",
		  "__x86_indirect_thunk_*", "__x86_return_thunk", "*_indirect_thunk_*",
		  "srso_return_thunk", "srso_alias_return_thunk", "retbleed_return_thunk"}},
		{"generic helpers",
		 {"memcpy*", "__memcpy*", "memmove*", "__memmove*", "memset*", "__memset*",
		  "memcmp", "memchr*", "strcmp", "strncmp", "strcpy", "strncpy", "strscpy*",
		  "strlcpy", "strlen", "strnlen", "strchr", "strnstr", "copy_to_user*",
		  "_copy_to_user", "copy_from_user*", "_copy_from_user", "__put_user*",
		  "__get_user*", "copy_user_*", "rep_movs_alternative", "rep_stos_alternative",
		  "might_fault", "__might_fault", "__might_sleep", "__might_resched",
		  "might_sleep", "refcount_*", "__refcount_*", "list_add*", "__list_add*",
		  "list_del*", "__list_del*", "list_replace*", "list_move*", "list_splice*",
		  "snprintf", "scnprintf", "vsnprintf", "sprintf", "kasprintf", "kvasprintf",
		  "string", "pointer"}},
	};
	return groups;
}

const std::vector<AnchorRename> &hung_task_anchors()
{
	static const std::vector<AnchorRename> anchors = {
		{"rtnl_lock*", ""},
		{"synchronize_rcu*", "synchronize_rcu"},
		{"synchronize_srcu*", "synchronize_rcu"},
		{"synchronize_net*", "synchronize_rcu"},
		{"synchronize_sched*", "synchronize_rcu"},
	};
	return anchors;
}

const std::vector<std::string_view> &hung_task_skips()
{
	// Substrings: a hung task always sleeps in some wait/lock primitive; the
	// first frame that is none of those is where it was when it got stuck.
	static const std::vector<std::string_view> skips = {
		"*sched*", "*_lock*", "*_slowlock*", "*down*", "*completion*", "*kthread*",
		"*wait*", "*synchronize*", "context_switch", "__switch_to*",
		"*cancel_delayed_work*", "*rwsem*", "*mutex*",
	};
	return skips;
}

const std::vector<std::string_view> &stall_anchors()
{
	static const std::vector<std::string_view> anchors = {
		// generic dispatchers
		"process_one_work", "do_syscall_*", "do_fast_syscall_*", "do_int80_syscall_32",
		"__do_softirq", "handle_softirqs", "do_softirq*", "call_timer_fn", "*_run_timers",
		"run_timer_softirq", "run_ksoftirqd", "smpboot_thread_fn", "kthread",
		"start_secondary", "cpu_startup_entry", "ret_from_fork*", "do_one_initcall",
		// discriminated file and socket operations: the frame inside names the driver
		"vfs_write", "vfs_read", "vfs_iter_read", "vfs_iter_write", "do_iter_read",
		"do_iter_write", "vfs_ioctl", "__x64_sys_ioctl", "blkdev_ioctl", "call_read_iter",
		"call_write_iter", "do_iter_readv_writev", "do_splice*", "mmap_region",
		"do_mmap", "do_dentry_open", "vfs_open", "sock_sendmsg*", "sock_recvmsg*",
		"__sock_release", "sock_ioctl", "__sys_setsockopt", "__sys_listen",
		"__sys_accept*", "netif_receive_skb*",
		// page fault and return-to-user work
		"__do_fault", "handle_mm_fault", "do_user_addr_fault", "__fput", "task_work_run",
		"exit_to_user_mode*",
	};
	return anchors;
}

const std::vector<std::string_view> &stall_trimmed_prefixes()
{
	static const std::vector<std::string_view> prefixes = {
		"__x64_", "__ia32_", "__se_", "__do_", "SYSC_", "SyS_", "compat_SYSC_",
	};
	return prefixes;
}

bool glob_match(std::string_view pattern, std::string_view name)
{
	bool lead = !pattern.empty() && pattern.front() == '*';
	bool trail = pattern.size() > 1 && pattern.back() == '*';
	if (pattern == "*")
		return true;
	std::string_view core = pattern.substr(lead ? 1 : 0);
	if (trail)
		core.remove_suffix(1);
	if (lead && trail)
		return name.find(core) != std::string_view::npos;
	if (lead)
		return name.size() >= core.size() && name.substr(name.size() - core.size()) == core;
	if (trail)
		return name.substr(0, core.size()) == core;
	return name == core;
}

bool matches_any(const std::vector<std::string_view> &globs, std::string_view name)
{
	for (auto g : globs)
		if (glob_match(g, name))
			return true;
	return false;
}

} // namespace pipehang::report

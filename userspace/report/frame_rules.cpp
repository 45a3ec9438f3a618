// The frame lists, grouped by where the code sits in the kernel. A frame is
// "infrastructure" when it is reached from every subsystem alike (entry and
// dispatch code, locking, allocators, helpers, debugging machinery): naming
// it in a title would merge unrelated bugs, so the caller is named instead.
// Substring globs are used where a family of variants exists
// ("_raw_spin_lock_irqsave", "rwsem_down_read_slowpath", "kvmalloc_node"),
// which keeps the lists valid across kernel versions.
#include "report/frame_rules.h"

namespace pipehang::report {

namespace {
// Dispatch and glue code that a report can be raised in (a WARN inside
// __napi_poll, KASAN inside the unwinder): never the guilty frame as a
// caller, but the crash site itself when it is the RIP or the sanitizer's
// header function.
constexpr bool kOwnBugs = true;
constexpr bool kLastResort = true;
} // namespace

// The rule tables below are laid out by hand (one group or rule a line).
// clang-format off
const std::vector<SkipGroup> &common_skip_groups()
{
	static const std::vector<SkipGroup> groups = {
		{"scheduler and sleeping (kernel/sched, kernel/time/sleep)",
		 {"__schedule", "schedule", "schedule_*", "preempt_schedule*", "io_schedule*",
		  "context_switch", "__switch_to*", "finish_task_switch*", "*cond_resched*",
		  "do_nanosleep", "hrtimer_nanosleep", "msleep*", "usleep_range*",
		  "__wait_for_common", "do_wait_for_common", "wait_woken", "__wait_event*",
		  "prepare_to_wait*", "try_to_wake_up", "wake_up_q"},
		 kOwnBugs},
		{"wait queues and completions (kernel/sched/wait.c, kernel/sched/completion.c)",
		 {"*wait_for_completion*", "finish_wait", "kthread_stop*", "complete", "complete_all",
		  "*__wake_up*", "*raw_spin_rq*"}},
		{"locking primitives (kernel/locking)",
		 {"*spin_lock*", "*spin_trylock*", "*spin_unlock*", "*read_lock*", "*read_trylock*",
		  "*read_unlock*", "*write_lock*", "*write_trylock*", "*write_unlock*", "down",
		  "*down_read*", "*down_write*", "*down_trylock*", "down_interruptible",
		  "down_killable", "down_timeout", "__down*", "up", "*up_read*", "*up_write*",
		  "mutex_*", "__mutex_*", "rt_mutex_*", "__rt_mutex_*", "rt_spin_*", "ww_mutex_*",
		  "__ww_mutex_*", "*owner_on_cpu*", "osq_lock", "osq_unlock", "queued_*_slowpath",
		  "native_queued_spin_lock_slowpath", "__pv_queued_spin_lock_slowpath", "do_raw_*",
		  "rwsem_*", "__rwsem_*", "percpu_down_*", "__percpu_down_*", "percpu_up_*",
		  "percpu_rwsem_*", "__percpu_rwsem_*", "*bh_enable*", "*bh_disable*",
		  "seqprop_assert", "lock_timer_base"}},
		{"lock validation and object debugging (kernel/locking/lockdep.c, lib/debugobjects.c)",
		 {"*lockdep*", "*lock_acquire*", "*lock_release*", "*lock_class*", "*mark_lock*",
		  "*held_locks*", "lock_is_held*", "__lock_is_held*", "check_noncircular",
		  "check_prev_add", "check_prevs_add", "validate_chain", "check_irq_usage",
		  "check_usage*", "check_deadlock", "mark_usage", "valid_state", "check_flags",
		  "print_*_bug", "print_circular_bug*", "print_bad_irq_dependency",
		  "print_usage_bug*", "*imbalance_bug*", "print_unlock*", "print_lock*",
		  "*trace_hardirqs*", "*trace_softirqs*", "*debug_object*", "timer_is_static_object",
		  "work_is_static_object", "debug_check_no_*"}},
		{"sanitizer, coverage and fault-injection instrumentation (mm/kasan, kernel/kcsan, kernel/kcov.c, lib/ubsan.c)",
		 {"__sanitizer*", "__asan*", "*kasan*", "*hwasan*", "__msan*", "*kmsan*", "*kcsan*",
		  "__tsan*", "ubsan_*", "__ubsan_*", "*kcov*", "write_comp_data",
		  "check_memory_region*", "check_heap_object", "*check_object*",
		  "read_word_at_a_time", "*should_fail*", "*stack_depot*"}},
		{"report printing, WARN/BUG/panic machinery (lib/dump_stack.c, kernel/printk, kernel/panic.c, lib/bug.c)",
		 {"dump_stack*", "__dump_stack", "*show_stack*", "show_trace_log_lvl", "show_regs",
		  "__show_regs", "show_regs_if_kernel", "sched_show_task", "print_address_description*",
		  "print_report", "*printk*", "*va_format*", "*dev_info*", "*dev_notice*",
		  "*dev_warn*", "*dev_err*", "*dev_alert*", "*dev_crit*", "*dev_emerg*",
		  "*hex_dump*", "print_tainted", "get_taint", "nmi_cpu_backtrace*",
		  "nmi_trigger_cpumask_backtrace", "arch_trigger_cpumask_backtrace",
		  "trigger_*_backtrace", "*panic*", "__warn*", "warn_slowpath*", "*warn_alloc*",
		  "*warn_bogus*", "report_bug", "handle_bug", "fixup_bug", "*do_error*", "*_trap",
		  "do_trap", "*invalid_op*", "*fortify_report*", "program_check_*", "assertfail"}},
		{"perf's tracepoint glue (kernel/trace/trace_event_perf.c, include/trace/perf.h)",
		 {"*perf_trace*"}},
		{"stack unwinding (arch/x86/kernel/unwind_*.c, kernel/stacktrace.c)",
		 {"unwind_*", "__unwind_*", "*walk_stack*", "*dump_backtrace*", "arch_stack_walk*",
		  "stack_trace_save*", "stack_trace_consume_entry*", "save_stack_trace*",
		  "__save_stack_trace*", "kernel_text_address", "__kernel_text_address", "orc_find"},
		 kOwnBugs},
		{"exception, interrupt and syscall entry/exit (arch/x86/entry, kernel/entry)",
		 {"entry_SYSCALL*", "entry_SYSENTER*", "entry_INT80*", "do_syscall_*",
		  "do_fast_syscall_*", "__do_fast_syscall_32", "do_int80_syscall_32", "x64_sys_call",
		  "x32_sys_call", "ia32_sys_call", "syscall_exit_to_user_mode*",
		  "__syscall_exit_to_user_mode*", "exit_to_user_mode*", "*exit_to_usermode*",
		  "syscall_return_slowpath", "syscall_trace_enter*", "asm_exc_*", "exc_page_fault",
		  "exc_general_protection", "exc_int3", "do_user_addr_fault", "__do_page_fault",
		  "do_page_fault", "handle_page_fault", "page_fault_oops", "kernelmode_fixup_or_oops",
		  "__bad_area_nosemaphore", "bad_area_nosemaphore", "no_context", "asm_sysvec_*",
		  "sysvec_*", "__sysvec_*", "asm_common_interrupt", "common_interrupt",
		  "__common_interrupt", "irq_exit", "irq_exit_rcu", "__irq_exit_rcu", "irqentry_*",
		  "ret_from_fork*", "ret_from_intr", "retint_*", "*_indirect_thunk_*",
		  "__x86_return_thunk", "srso_return_thunk", "srso_alias_return_thunk",
		  "retbleed_return_thunk", "invoke_syscall", "el0_svc*", "do_el0_svc", "el0t_64_*",
		  "do_mem_abort", "el1_abort", "el1h_64_*", "el1_da", "do_translation_fault",
		  "do_kernel_fault", "__do_kernel_fault"}},
		{"interrupt, softirq and timer dispatch (kernel/softirq.c, kernel/irq, kernel/time)",
		 {"__do_softirq", "handle_softirqs", "*do_softirq*", "invoke_softirq",
		  "run_ksoftirqd", "tasklet_action*", "tasklet_hi_action", "call_timer_fn",
		  "*run_timers*", "run_timer_softirq", "run_timer_base", "expire_timers",
		  "__hrtimer_run_queues", "hrtimer_interrupt", "__run_hrtimer", "hrtimer_run_*",
		  "tick_sched_*", "tick_nohz_handler", "update_process_times", "handle_irq_event*",
		  "__handle_irq_event_percpu", "handle_edge_irq", "handle_level_irq",
		  "handle_fasteoi_irq", "generic_handle_*", "*apic_timer_interrupt*",
		  "__flush_smp_call_function_queue"},
		 kOwnBugs, kLastResort},
		{"network receive dispatch (net/core/dev.c)",
		 {"net_rx_action", "__napi_poll", "napi_poll", "process_backlog",
		  "*netif_receive_skb*"},
		 kOwnBugs, kLastResort},
		{"thread, workqueue and return-to-user glue (kernel/kthread.c, kernel/workqueue.c, kernel/task_work.c)",
		 {"kthread", "worker_thread", "process_one_work", "process_scheduled_works",
		  "smpboot_thread_fn", "rescuer_thread", "task_work_run"},
		 kOwnBugs},
		{"timer and workqueue requests (kernel/time/timer.c, kernel/workqueue.c)",
		 {"*del_timer*", "__timer_delete*", "timer_delete*", "__mod_timer",
		  "sk_stop_timer_sync", "insert_work", "__queue_work", "*queue_work*",
		  "__queue_delayed_work", "queue_delayed_work_on", "*flush_work*",
		  "__flush_workqueue", "*cancel_work*", "__cancel_work_timer", "try_to_grab_pending",
		  "drain_workqueue", "destroy_workqueue"},
		 false, kLastResort},
		// Protocol entry points (netlink_sendmsg, genl_rcv_msg...) are not here:
		// they are where a protocol's own locks are taken, and hung tasks and
		// stalls are bucketed by them.
		{"VFS and socket syscall dispatch (fs/read_write.c, fs/ioctl.c, fs/file_table.c, net/socket.c)",
		 {"__vfs_write", "__vfs_read", "new_sync_read", "new_sync_write", "call_read_iter",
		  "call_write_iter", "do_iter_readv_writev", "vfs_ioctl", "ksys_ioctl", "ksys_read",
		  "ksys_write", "*_sys_ioctl", "*SyS_ioctl", "compat_sys_ioctl",
		  "__do_compat_sys_ioctl", "__fput", "____fput", "delayed_fput", "sock_sendmsg*",
		  "__sock_sendmsg", "sock_recvmsg*", "__sock_recvmsg", "____sys_sendmsg",
		  "___sys_sendmsg", "__sys_sendmsg", "__sys_sendmmsg", "____sys_recvmsg",
		  "___sys_recvmsg", "__sys_recvmsg", "__sys_recvmmsg", "__sys_sendto",
		  "__sys_recvfrom", "sock_write_iter", "sock_read_iter", "sock_ioctl",
		  "sock_do_ioctl"},
		 kOwnBugs, kLastResort},
		{"allocators and page cache lookup (mm/slub.c, mm/page_alloc.c, mm/percpu.c, mm/vmalloc.c, mm/filemap.c)",
		 {"*malloc*", "*zalloc*", "*calloc*", "*krealloc*", "*kmem_cache*", "*alloc_page*",
		  "allocate_slab", "*slab_*", "__alloc_frozen_pages*", "*folio_alloc*", "folio_unlock",
		  "filemap_alloc_folio*", "__filemap_get_folio", "find_or_create_page",
		  "do_read_cache_folio", "read_cache_page*", "pagecache_get_page",
		  "grab_cache_page_write_begin", "kfree", "kvfree", "kfree_sensitive",
		  "*kfree_skb*", "free_percpu", "*alloc_percpu*", "pcpu_alloc*", "*memdup*",
		  "*strdup*", "*strndup*", "mempool_alloc*", "mempool_free", "kasprintf",
		  "kvasprintf", "ida_free", "xas_start", "xas_load", "xas_find*", "find_lock_entries",
		  "truncate_inode_pages_range", "lock_page*", "unlock_page*", "__lock_page*"},
		 false, kLastResort},
		{"string, memory, copy, bit and reference helpers (lib/, include/linux)",
		 {"*memcpy*", "*memcmp*", "*memset*", "*memchr*", "*memmove*", "strcmp", "strncmp",
		  "*strcpy*", "*strlcpy*", "*strncpy*", "*strscpy*", "*strlen*", "*strstr*",
		  "*strnstr*", "*strnlen*", "*strchr*", "*copy_to_user*", "*copy_from_user*",
		  "*copy_to_iter*", "*copy_from_iter*", "*copy_page_to_iter*",
		  "*copy_page_from_iter*", "*copy_folio_to_iter*", "*put_user*", "*get_user*",
		  "copy_user_*", "rep_movs_alternative", "rep_stos_alternative", "*might_fault*",
		  "*might_sleep*", "*might_resched*", "*list_add*", "*list_del*",
		  "*list_replace*", "*list_move*", "*list_splice*", "rb_*", "__rb_*", "klist_*",
		  "*set_bit*", "*clear_bit*", "*change_bit*", "*test_bit*", "*atomic_dec*",
		  "*atomic_inc*", "*atomic_read*", "*atomic_set*", "*atomic_add*", "*atomic_sub*",
		  "*atomic_fetch*", "*atomic_xchg*", "*atomic_cmpxchg*", "*atomic_try*",
		  "*atomic64_*", "refcount_*", "__refcount_*", "kref_*", "*ref_tracker*",
		  "prandom_*", "get_random_*", "snprintf", "vsnprintf", "scnprintf", "vscnprintf",
		  "sprintf", "*string*", "*pointer*", "crc32*", "crc16*", "crc_itu_t", "__phys_addr",
		  "*readb", "*readw", "*readl", "*readq", "*writeb", "*writew", "*writel", "*writeq",
		  "logic_in*", "logic_out*", "rhashtable_lookup*", "extract_user_to_sg",
		  "extract_iter_to_sg", "cleanup_srcu_struct"}},
		{"inode, dentry, kobject and driver-core reference handling (fs/inode.c, fs/dcache.c, lib/kobject.c, drivers/base)",
		 {"iput", "iput_final", "ihold", "*dput*", "drop_nlink", "put_device", "kobject_*",
		  "*kobject_uevent*", "add_uevent_var", "get_device_parent", "device_add",
		  "device_del", "device_unregister", "device_destroy", "device_release",
		  "devres_release_all", "device_for_each_child", "sysfs_remove*",
		  "device_remove_file", "hwrng_unregister", "i2c_del_adapter", "__unregister_client",
		  "rollback_registered*", "*unregister_netdev*", "tty_unregister_device",
		  "usb_kill_urb", "usb_kill_anchored_urbs", "usb_control_msg", "usb_hcd_submit_urb",
		  "usb_submit_urb", "dummy_urb_enqueue"},
		 false, kLastResort},
	};
	return groups;
}

bool is_infrastructure_frame(std::string_view name)
{
	for (const auto &group : common_skip_groups())
		if (matches_any(group.patterns, name))
			return true;
	return false;
}

bool is_machinery_frame(std::string_view name)
{
	for (const auto &group : common_skip_groups())
		if (!group.last_resort && matches_any(group.patterns, name))
			return true;
	return false;
}

bool is_helper_frame(std::string_view name)
{
	for (const auto &group : common_skip_groups())
		if (!group.own_bugs && matches_any(group.patterns, name))
			return true;
	return false;
}

const std::vector<AnchorRename> &hung_task_anchors()
{
	static const std::vector<AnchorRename> anchors = {
		{"*rtnl_lock*", ""},
		{"*synchronize_rcu*", "synchronize_rcu"},
		{"*synchronize_srcu*", "synchronize_rcu"},
		{"*synchronize_net*", "synchronize_rcu"},
		{"*synchronize_sched*", "synchronize_rcu"},
	};
	return anchors;
}

const std::vector<std::string_view> &hung_task_skips()
{
	// Substrings: a hung task always sleeps in some wait/lock primitive; the
	// first frame that is none of those is where it was when it got stuck.
	static const std::vector<std::string_view> skips = {
		"*sched*", "*_lock*", "*_slowlock*", "*down*", "*rwsem*", "*completion*",
		"*kthread*", "*wait*", "*synchronize*", "context_switch", "__switch_to*",
		"*cancel_delayed_work*", "*rcu_barrier*", "*mutex*",
	};
	return skips;
}

const std::vector<std::string_view> &stall_anchors()
{
	// Matched against stripped names ("__x64_sys_ioctl" is "sys_ioctl",
	// "ksys_ioctl" is "ioctl"), substrings unless the pattern is exact.
	static const std::vector<std::string_view> anchors = {
		// work dispatchers: the work item or syscall is the bucket
		"*process_one_work*", "*do_syscall_*", "*do_fast_syscall_*", "*invoke_syscall*",
		"*netif_receive_skb*", "*do_softirq*", "*handle_softirqs*", "*call_timer_fn*",
		"*_run_timers*", "*run_timer_softirq*", "*hrtimer_run*", "*run_ksoftirqd*",
		"*smpboot_thread_fn*", "kthread", "*start_secondary*", "*cpu_startup_entry*",
		"*ret_from_fork*", "do_one_initcall", "*tasklet_action*", "*tasklet_hi_action*",
		// discriminated file operations: the frame inside names the driver
		"*vfs_write*", "*vfs_read*", "*vfs_iter_read*", "*vfs_iter_write*",
		"*do_iter_read*", "*do_iter_write*", "*call_read_iter*", "*call_write_iter*",
		"*new_sync_read*", "*new_sync_write*", "*vfs_ioctl*", "ioctl*", "sys_ioctl*",
		"*compat_ioctl*", "*blkdev_driver_ioctl*", "*blkdev_ioctl*", "*do_iter_readv_writev*",
		"call_mmap*", "*mmap_region*", "*do_mmap*", "*do_dentry_open*", "*vfs_open*",
		// socket operations: the frame inside names the protocol
		"sock_sendmsg*", "sock_recvmsg*", "sock_release*", "__sock_release*", "setsockopt",
		"*kernel_setsockopt*", "*sock_common_setsockopt*", "listen", "*kernel_listen*",
		"*sk_common_release*", "sock_mmap*", "accept", "*kernel_accept*", "sock_do_ioctl*",
		"sock_ioctl*", "compat_sock_ioctl*", "nfnetlink_rcv_msg*", "rtnetlink_rcv_msg*",
		"netlink_dump*", "socketpair*", "connect*", "sys_socketpair*", "sys_connect*",
		// page faults and return-to-user work
		"*__do_fault*", "*do_page_fault*", "page_fault", "*__fput*", "*task_work_run*",
		"*exit_to_usermode*", "*exit_to_user_mode*",
	};
	return anchors;
}

const std::vector<AnchorRename> &stall_self_anchors()
{
	static const std::vector<AnchorRename> anchors = {
		{"*smp_call_function*", "smp_call_function"},
	};
	return anchors;
}

const std::vector<std::string_view> &holder_line_skips()
{
	static const std::vector<std::string_view> skips = {
		"do_iter_readv_writev", "do_iter_write", "vfs_iter_write", "call_write_iter",
		"new_sync_write", "__kernel_write*", "kernel_write",
	};
	return skips;
}

const std::vector<std::string_view> &stripped_frame_prefixes()
{
	static const std::vector<std::string_view> prefixes = {
		"SYSC_", "SyS_", "sys_", "__x64_", "__ia32_", "__arm64_", "____sys_", "___sys_",
		"__sys_", "__se_", "__se_sys_", "__do_sys_", "compat_SYSC_", "compat_SyS_", "ksys_",
	};
	return prefixes;
}

// clang-format on

std::string strip_frame_prefix(std::string_view name)
{
	std::string_view best = name;
	for (auto p : stripped_frame_prefixes())
		if (name.size() > p.size() && name.substr(0, p.size()) == p && name.size() - p.size() < best.size())
			best = name.substr(p.size());
	return std::string(best);
}

bool glob_match(std::string_view pattern, std::string_view name)
{
	// '*' matches any run of characters, anywhere in the pattern. Patterns
	// are a few words long, so plain backtracking on the last star is cheap.
	size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
	while (n < name.size()) {
		if (p < pattern.size() && pattern[p] == '*') {
			star = p++;
			resume = n;
		} else if (p < pattern.size() && pattern[p] == name[n]) {
			p++;
			n++;
		} else if (star != std::string_view::npos) {
			p = star + 1;
			n = ++resume;
		} else {
			return false;
		}
	}
	while (p < pattern.size() && pattern[p] == '*')
		p++;
	return p == pattern.size();
}

bool matches_any(const std::vector<std::string_view> &globs, std::string_view name)
{
	for (auto g : globs)
		if (glob_match(g, name))
			return true;
	return false;
}

} // namespace pipehang::report

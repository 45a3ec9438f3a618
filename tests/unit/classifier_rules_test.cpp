// Unit tests of the classifier's building blocks (console prefixes, the
// pattern language, title normalization, frame parsing, skip lists,
// extractors) and of the rule table's own consistency.
#include "report/classifier.h"
#include "report/console_lines.h"
#include "report/demangle.h"
#include "report/families.h"
#include "report/frame_rules.h"
#include "report/frames.h"
#include "report/pattern.h"
#include "report/title.h"

#include <gtest/gtest.h>

#include <set>

using namespace pipehang::report;

TEST(ConsoleLines, StripsTimestampsCallerIdsAndCarriageReturns)
{
	auto lines = split_console("[   12.345678] hello\r\n"
				   "[ 1.000000][  T123] task line\n"
				   "[    3.5][    C1] cpu line\r\r\n"
				   "<4>[ 9.1] leveled\n"
				   "no stamp at all\n"
				   "[not a stamp] kept\n"
				   "last line without newline");
	ASSERT_EQ(lines.size(), 7u);
	EXPECT_EQ(lines[0].msg, "hello");
	EXPECT_EQ(lines[0].context, "");
	EXPECT_EQ(lines[1].msg, "task line");
	EXPECT_EQ(lines[1].context, "T123");
	EXPECT_EQ(lines[2].msg, "cpu line");
	EXPECT_EQ(lines[2].context, "C1");
	EXPECT_EQ(lines[3].msg, "leveled");
	EXPECT_EQ(lines[4].msg, "no stamp at all");
	EXPECT_EQ(lines[5].msg, "[not a stamp] kept");
	EXPECT_EQ(lines[6].msg, "last line without newline");
}

TEST(ConsoleLines, KeepsCallTraceIndentation)
{
	auto lines = split_console("[    3.013227]  pipe_release+0x20/0xd0\n");
	ASSERT_EQ(lines.size(), 1u);
	EXPECT_EQ(lines[0].msg, " pipe_release+0x20/0xd0");
}

TEST(ConsoleLines, PrintableReplacesGarbage)
{
	EXPECT_EQ(printable(std::string_view("a\x01"
					     "b\xff"
					     "c\td",
					     7)),
		  "a?b?c d");
}

TEST(Pattern, CapturesFunctionNamesWithoutCompilerSuffixes)
{
	Pattern p("BUG: KASAN: {word} in {func}");
	std::vector<std::string_view> caps;
	ASSERT_TRUE(p.search("junk BUG: KASAN: slab-use-after-free in pipe_write.cold+0x1a/0x40 fs/pipe.c:1", caps));
	ASSERT_EQ(caps.size(), 2u);
	EXPECT_EQ(caps[0], "slab-use-after-free");
	EXPECT_EQ(caps[1], "pipe_write");
	EXPECT_EQ(p.func_capture(), 1);
}

TEST(Pattern, FuncNeedsAnOffset)
{
	Pattern p("at {func}");
	std::vector<std::string_view> caps;
	EXPECT_FALSE(p.search("at mm/slub.c:12", caps));
	EXPECT_TRUE(caps.empty());
	EXPECT_TRUE(p.search("at kfree+0x1/0x2", caps));
}

TEST(Pattern, LazyTextAndSourceLocations)
{
	Pattern p("kernel BUG at {text}!");
	std::vector<std::string_view> caps;
	ASSERT_TRUE(p.search("kernel BUG at fs/pipe.c:123!", caps));
	EXPECT_EQ(caps.at(0), "fs/pipe.c:123");

	Pattern w("WARNING: CPU: {num} PID: {num} at {*} {func}");
	caps.clear();
	ASSERT_TRUE(w.search("WARNING: CPU: 1 PID: 42 at drivers/x/y.c:77 x_probe.isra.0+0x5/0x9 [x]", caps));
	EXPECT_EQ(caps, (std::vector<std::string_view>{"1", "42", "x_probe"}));

	Pattern s("UBSAN: {word} in {src}");
	caps.clear();
	ASSERT_TRUE(s.search("UBSAN: shift-out-of-bounds in net/core/dev.c:1234:5", caps));
	EXPECT_EQ(caps.at(1), "net/core/dev.c:1234");
	caps.clear();
	EXPECT_FALSE(s.search("UBSAN: shift-out-of-bounds in somewhere", caps));
}

TEST(Pattern, BodyPatternsMayStartWithAPlaceholder)
{
	Pattern p("{access} of size ");
	std::vector<std::string_view> caps;
	ASSERT_TRUE(p.search("Write of size 8 at addr ffff888", caps));
	EXPECT_EQ(caps.at(0), "Write");
	caps.clear();
	EXPECT_FALSE(p.search("Overwrite of size 8", caps));
}

TEST(Pattern, EolEndsTheLine)
{
	Pattern p("Workqueue: {*} {id}{eol}");
	std::vector<std::string_view> caps;
	EXPECT_TRUE(p.search("Workqueue: events_unbound flush_to_ldisc  ", caps));
	ASSERT_EQ(caps.size(), 1u);
	EXPECT_EQ(caps[0], "flush_to_ldisc");
	caps.clear();
	EXPECT_FALSE(p.search("Workqueue: events_unbound flush_to_ldisc=2/257", caps));
}

TEST(Pattern, RejectsUnknownPlaceholders)
{
	EXPECT_THROW(Pattern("x {nope}"), std::logic_error);
	EXPECT_THROW(Pattern("x {func"), std::logic_error);
}

TEST(Title, NormalizesLikeSyzkaller)
{
	EXPECT_EQ(sanitize_title("kernel BUG at fs/pipe.c:123!"), "kernel BUG at fs/pipe.c:LINE!");
	EXPECT_EQ(sanitize_title("WARNING in foo+0x1a/0x40"), "WARNING in foo");
	EXPECT_EQ(sanitize_title("BUG: bad thing at ffff888012345678 in x"), "BUG: bad thing at ADDR in x");
	EXPECT_EQ(sanitize_title("BUG: count 123456 too big"), "BUG: count ADDR too big");
	EXPECT_EQ(sanitize_title("BUG: pid 12345 died"), "BUG: pid NUM died");
	// An address is a whole token: a hex run glued to letters is part of a
	// (garbled) word and stays, else the title would end in a word that is
	// nowhere in the report (found by the fuzzer: "ADDRlloc_pipe_info").
	EXPECT_EQ(sanitize_title("memory leak in a555555lloc_pipe_info"), "memory leak in a555555lloc_pipe_info");
	EXPECT_EQ(sanitize_title("BUG: at deadbeef_x"), "BUG: at deadbeef_x");
	EXPECT_EQ(sanitize_title("BUG: soft lockup - CPU#1 stuck"), "BUG: soft lockup - CPU stuck");
	EXPECT_EQ(sanitize_title("a\x01  b\t\tc  "), "a b c");
	EXPECT_EQ(sanitize_title(std::string(500, 'x')).size(), kMaxTitle); // one word: cut anyway
	// The input bound (4 x kMaxTitle raw bytes) falls inside a word after a
	// run of garbage bytes the title drops: that half word must go too
	// (found by the fuzzer: a title ending in "pidlags:0x").
	EXPECT_EQ(sanitize_title("INFO: task a " + std::string(460, '\xff') + "abcdefghijklmnop"), "INFO: task a");
	// Every stand-alone number is NUM (syzkaller's current rule); digits
	// inside names stay; ":LINE" only after a file name.
	EXPECT_EQ(sanitize_title("kernel panic: VFS: Unable to mount root fs on unknown-block(0,0)"),
		  "kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)");
	EXPECT_EQ(sanitize_title("INFO: task udevd:5612 blocked in I/O wait for more than 143 seconds."),
		  "INFO: task udevd:NUM blocked in I/O wait for more than NUM seconds.");
	EXPECT_EQ(sanitize_title("WARNING in cfg80211_scan_done"), "WARNING in cfg80211_scan_done");
	EXPECT_EQ(sanitize_title("BUG: soft lockup - CPU#1 stuck for 26s! [syz-executor.3:5012]"),
		  "BUG: soft lockup - CPU stuck for 26s! [syz-executor]");
	EXPECT_EQ(sanitize_title("BUG: bad host 10.0.2.15 in x"), "BUG: bad host IP in x");
	EXPECT_EQ(sanitize_title("BUG: task syz.2.17 died"), "BUG: task syz died");
	// IPv6 addresses, compressed or whole; a time or "file.c:12:3" is none.
	EXPECT_EQ(sanitize_title("BUG: Address fe80::1 on device lo is missing its host route."),
		  "BUG: Address IPV6ADDR on device lo is missing its host route.");
	EXPECT_EQ(sanitize_title("BUG: Address fc00:: on device lo"), "BUG: Address IPV6ADDR on device lo");
	EXPECT_EQ(sanitize_title("BUG: at 2001:db8:0:0:1:0:0:1 x"), "BUG: at IPV6ADDR x");
	EXPECT_EQ(sanitize_title("BUG: at 12:34:56 x"), "BUG: at NUM:NUM:NUM x");
	EXPECT_EQ(sanitize_title("kernel BUG at fs/pipe.c:12:3!"), "kernel BUG at fs/pipe.c:LINE!");
	// The length cap never leaves half a word.
	std::string words;
	for (int i = 0; i < 40; i++)
		words += "word ";
	std::string capped = sanitize_title(words);
	EXPECT_LE(capped.size(), kMaxTitle);
	EXPECT_EQ(capped.substr(capped.size() - 4), "word");
}

TEST(Title, FormatMarksMissingParts)
{
	bool missing = false;
	std::vector<std::string_view> caps = {"use-after-free"};
	EXPECT_EQ(format_title("KASAN: {1} {2} in {frame}", caps, "f", missing), "KASAN: use-after-free  in f");
	EXPECT_TRUE(missing);
	missing = false;
	EXPECT_EQ(format_title("WARNING in {frame}", {}, "g", missing), "WARNING in g");
	EXPECT_FALSE(missing);
	// {0}: the header line, for titles that are the header itself.
	EXPECT_EQ(format_title("{0}", {}, "", missing, "WARNING: possible circular locking dependency detected"),
		  "WARNING: possible circular locking dependency detected");
	EXPECT_FALSE(missing);
	EXPECT_EQ(format_title("{0}", {}, "", missing), "");
	EXPECT_TRUE(missing);
}

TEST(Frames, ParsesTheFrameFormatsKernelsPrint)
{
	auto f = parse_frame_line(" pipe_release+0x20/0xd0");
	ASSERT_TRUE(f);
	EXPECT_EQ(f->name, "pipe_release");
	EXPECT_FALSE(f->unreliable);

	f = parse_frame_line(" ? __schedule+0x3/0x8 [mod]");
	ASSERT_TRUE(f);
	EXPECT_EQ(f->name, "__schedule");
	EXPECT_TRUE(f->unreliable);

	f = parse_frame_line(" [<ffffffff81234567>] __mutex_lock.constprop.0+0x1a/0x40");
	ASSERT_TRUE(f);
	EXPECT_EQ(f->name, "__mutex_lock");

	f = parse_frame_line(" pipe_read+0xd55/0xe10 fs/pipe.c:280");
	ASSERT_TRUE(f);
	EXPECT_EQ(f->name, "pipe_read");
	// syzkaller ignores symbolized inline lines; so do we.
	EXPECT_FALSE(parse_frame_line(" __dump_stack lib/dump_stack.c:88 [inline]"));

	EXPECT_FALSE(parse_frame_line("Call Trace:"));
	EXPECT_FALSE(parse_frame_line(" <TASK>"));
	EXPECT_FALSE(parse_frame_line("CPU: 0 PID: 1 Comm: swapper/0"));
	EXPECT_FALSE(parse_frame_line("pipewatch: id=7  iomap_dio_rw+0x10/0x20"));

	// arm32: the frame in parentheses, its caller after " from ".
	f = parse_frame_line("[<8195d3d8>] (free_pipe_info) from [<8049b638>] (pipe_release+0x104/0x110)");
	ASSERT_TRUE(f);
	EXPECT_EQ(f->name, "free_pipe_info");
	EXPECT_EQ(f->from, "pipe_release");
	EXPECT_FALSE(parse_frame_line("(free_pipe_info) to somewhere"));
	// powerpc: two brackets, "(unreliable)" is its "? ".
	f = parse_frame_line("[c00000003ae5b800] [c00000000135c19c] dump_stack+0x128/0x1cc (unreliable)");
	ASSERT_TRUE(f);
	EXPECT_EQ(f->name, "dump_stack");
	EXPECT_TRUE(f->unreliable);
	EXPECT_TRUE(is_trace_line("[c00000003ae5bdc0] [0000000000000000]           (null) (unreliable)"));
	// Lines arm32 prints inside its backtrace.
	EXPECT_TRUE(is_trace_line(" r10:84a90360 r9:82fe5410 r8:00000100"));
	EXPECT_TRUE(is_trace_line("Exception stack(0x8a895fb0 to 0x8a895ff8)"));
	EXPECT_TRUE(is_trace_line("5fa0: 00000000 00000000 00000000 00000000"));
	EXPECT_TRUE(is_trace_heading("Backtrace: "));
	EXPECT_TRUE(is_trace_heading("Call trace: "));
	EXPECT_FALSE(is_trace_heading("stack backtrace:"));
}

TEST(Frames, InterleavedRunsDoNotEndATrace)
{
	std::vector<std::string_view> next = {"   program repro not setting count", " pipe_write+0x5c4/0x1b30"};
	EXPECT_TRUE(is_interleaved_line("sg_write: data in/out 327644/32 bytes", next));
	// A heading or a blank line between them ends the run.
	EXPECT_FALSE(is_interleaved_line("sg_write: data in/out 327644/32 bytes", {"", " pipe_write+0x5c4/0x1b30"}));
	EXPECT_FALSE(is_interleaved_line("Allocated by task 1:", {" pipe_write+0x5c4/0x1b30"}));
	// More than kMaxInterleavedRun lines of it: the trace is over.
	std::vector<std::string_view> long_run(kMaxInterleavedRun, "more text");
	long_run.push_back(" pipe_write+0x5c4/0x1b30");
	EXPECT_FALSE(is_interleaved_line("text", long_run));
}

TEST(Frames, ParsesRipLines)
{
	EXPECT_EQ(parse_rip_line("RIP: 0010:clstest_null+0x5/0x10 [clstest]").value_or(""), "clstest_null");
	EXPECT_EQ(parse_rip_line("RIP: 0010:__list_del_entry_valid.cold+0x3d/0x4b").value_or(""),
		  "__list_del_entry_valid");
	EXPECT_FALSE(parse_rip_line("RIP: 0033:0x7f12345678"));
	EXPECT_FALSE(parse_rip_line("RSP: 0018:ffffc90000013e48 EFLAGS: 00010246"));
	// powerpc's trap line names where the WARN trapped.
	EXPECT_EQ(parse_rip_line("--- interrupt: 700 at pipe_resize_ring+0x2c/0x70").value_or(""), "pipe_resize_ring");
	// A call through a bad pointer: a kernel RIP with no symbol.
	EXPECT_TRUE(is_symbolless_kernel_rip("RIP: 0010:0x0"));
	EXPECT_TRUE(is_symbolless_kernel_rip("PC is at 0xffffffffdeadbeef"));
	EXPECT_FALSE(is_symbolless_kernel_rip("RIP: 0033:0x7f12345678"));
	EXPECT_FALSE(is_symbolless_kernel_rip("RIP: 0010:pipe_read+0x1/0x2"));
	EXPECT_FALSE(is_symbolless_kernel_rip("RSP: 0018:ffffc90000013e48"));
}

TEST(FrameRules, GlobsAndCommonSkips)
{
	EXPECT_TRUE(glob_match("schedule*", "schedule_timeout"));
	EXPECT_TRUE(glob_match("*lockdep*", "check_lockdep_usage"));
	EXPECT_TRUE(glob_match("*_thunk", "srso_return_thunk"));
	EXPECT_FALSE(glob_match("schedule", "schedule_timeout"));
	Family none{.name = "t", .type = ReportType::Bug, .headers = {"x"}, .title = "t"};
	for (auto skipped : {"__schedule", "schedule", "schedule_preempt_disabled", "__mutex_lock", "dump_stack_lvl",
			     "entry_SYSCALL_64_after_hwframe", "do_syscall_64", "_raw_spin_lock_irqsave", "memcpy_erms",
			     "kasan_report", "__warn"})
		EXPECT_TRUE(is_skipped_frame(skipped, none)) << skipped;
	for (auto kept : {"pipe_release", "iter_file_splice_write", "iomap_dio_rw", "ext4_file_write_iter",
			  "do_mount_root", "sysrq_handle_crash"})
		EXPECT_FALSE(is_skipped_frame(kept, none)) << kept;
}

TEST(Extractors, HungTaskBucketsRcuAndSkipsWaitPrimitives)
{
	std::vector<Candidate> pipe = {
		{"__schedule", true},   {"schedule", true},      {"schedule_preempt_disabled", true},
		{"__mutex_lock", true}, {"pipe_release", false}, {"__fput", false}};
	EXPECT_EQ(extract_frame(Extractor::HungTask, pipe), "pipe_release");
	std::vector<Candidate> rcu = {
		{"wait_for_completion", true}, {"synchronize_srcu", false}, {"kvm_destroy_vm", false}};
	EXPECT_EQ(extract_frame(Extractor::HungTask, rcu), "synchronize_rcu");
}

TEST(Extractors, StallNamesTheFrameInsideTheDispatcher)
{
	std::vector<Candidate> frames = {{"clstest_spin", false},
					 {"clstest_softlockup", false},
					 {"clstest_init", false},
					 {"do_one_initcall", false},
					 {"do_init_module", false}};
	EXPECT_EQ(extract_frame(Extractor::Stall, frames), "clstest_init");
	std::vector<Candidate> sys = {{"loop", false},
				      {"__x64_sys_pause", false},
				      {"do_syscall_64", true},
				      {"entry_SYSCALL_64_after_hwframe", true}};
	EXPECT_EQ(extract_frame(Extractor::Stall, sys), "sys_pause");
	// ioctl is too generic: the function inside it names the driver.
	std::vector<Candidate> ioctl = {
		{"drv_loop", false}, {"drv_ioctl", false}, {"__x64_sys_ioctl", false}, {"do_syscall_64", true}};
	EXPECT_EQ(extract_frame(Extractor::Stall, ioctl), "drv_ioctl");
}

TEST(FamilyTable, IsWellFormed)
{
	std::set<std::string_view> names;
	for (const auto &f : families()) {
		EXPECT_TRUE(names.insert(f.name).second) << "duplicate family " << f.name;
		EXPECT_FALSE(f.headers.empty()) << f.name;
		for (auto h : f.headers) {
			Pattern p(h); // throws on a malformed pattern
			EXPECT_FALSE(p.first_literal().empty()) << f.name << ": header must start with text";
		}
		for (auto b : f.body)
			Pattern p(b);
		bool wants_frame = std::string_view(f.title).find("{frame}") != std::string_view::npos;
		EXPECT_EQ(wants_frame, !f.frames.empty()) << f.name << ": {frame} iff frame sources";
		EXPECT_FALSE(f.title.empty()) << f.name;
	}
	EXPECT_GE(families().size(), 50u);
}

TEST(ReportType, EveryTypeHasAName)
{
	std::set<std::string_view> seen;
	for (int t = 0; t <= static_cast<int>(ReportType::Panic); t++)
		EXPECT_TRUE(seen.insert(to_string(static_cast<ReportType>(t))).second);
	EXPECT_EQ(to_string(ReportType::Hang), "hang");
	EXPECT_EQ(to_string(ReportType::MemorySafety), "memory-safety");
}

TEST(Demangle, NestedNamesWithoutParameters)
{
	EXPECT_EQ(demangle_symbol("pipe_release"), "pipe_release");
	EXPECT_EQ(demangle_symbol("_Z3foov"), "foo");
	EXPECT_EQ(demangle_symbol("_ZN6kernel4sync3arc3ArcE"), "kernel::sync::arc::Arc");
	EXPECT_EQ(demangle_symbol("_ZNK3drv6Device4readEPvm"), "drv::Device::read");
	// Rust legacy mangling: the trailing hash element goes.
	EXPECT_EQ(demangle_symbol("_ZN6kernel5print11call_printk17h0123456789abcdefE"), "kernel::print::call_printk");
	// Rust v0: crate hash disambiguators dropped, closures named.
	EXPECT_EQ(demangle_symbol("_RNvNtCs1a2b3c_6kernel4sync9lock_init"), "kernel::sync::lock_init");
	EXPECT_EQ(demangle_symbol("_RNCNvCsXyZ_7rust_fs4read0"), "rust_fs::read::{closure}");
	// Not understood: left as it is rather than guessed.
	EXPECT_EQ(demangle_symbol("_RINvCs1_4core3mapE"), "_RINvCs1_4core3mapE");
	EXPECT_EQ(demangle_symbol("_ZN3foo"), "_ZN3foo");
	EXPECT_EQ(demangle_symbol("_R"), "_R");
}

TEST(Demangle, TitlesNameDemangledFrames)
{
	auto reports = classify("[  1.0] ------------[ cut here ]------------\n"
				"[  1.1] WARNING: CPU: 0 PID: 1 at rust/kernel/sync.rs:42 "
				"_RNvNtCs1a2b3c_6kernel4sync9lock_init+0x1c/0x40\n"
				"[  1.2] RIP: 0010:_RNvNtCs1a2b3c_6kernel4sync9lock_init+0x1c/0x40\n"
				"[  1.3] Call Trace:\n"
				"[  1.4]  <TASK>\n"
				"[  1.5]  _RNvNtCs1a2b3c_6rnull11rnull_probe+0x10/0x20\n"
				"[  1.6]  </TASK>\n"
				"[  1.7] ---[ end trace 0000000000000000 ]---\n");
	ASSERT_EQ(reports.size(), 1u);
	EXPECT_EQ(reports[0].title, "WARNING in kernel::sync::lock_init");
	EXPECT_EQ(reports[0].guilty_frame, "kernel::sync::lock_init");
}

// The frame classes the held-out measurement found named where syzkaller
// names the subsystem's own function: all of them are infrastructure now.
TEST(FrameRules, InfrastructureByKernelStructure)
{
	for (auto infra : {"kthread",
			   "exit_to_usermode_loop",
			   "__do_softirq",
			   "do_softirq",
			   "__netif_receive_skb_one_core",
			   "__netif_receive_skb_core",
			   "__sanitizer_cov_trace_pc",
			   "__sanitizer_cov_trace_const_cmp4",
			   "unwind_next_frame",
			   "lock_is_held_type",
			   "print_circular_bug",
			   "check_noncircular",
			   "kmem_cache_alloc",
			   "kmem_cache_alloc_node",
			   "free_percpu",
			   "prandom_u32",
			   "__vfs_write",
			   "ksys_ioctl",
			   "compat_SyS_ioctl",
			   "__x64_sys_ioctl",
			   "__sys_sendmsg",
			   "____sys_sendmsg",
			   "sock_sendmsg",
			   "kvmalloc_node",
			   "_raw_spin_lock_irqsave",
			   "rwsem_down_read_slowpath",
			   "process_one_work",
			   "worker_thread",
			   "asm_sysvec_apic_timer_interrupt",
			   "task_work_run",
			   "kasan_report",
			   "kcov_ioctl_locked",
			   "arch_stack_walk",
			   "print_irq_inversion_bug",
			   "queued_spin_lock_slowpath"})
		EXPECT_TRUE(is_infrastructure_frame(infra)) << infra;
	for (auto own : {"pipe_release", "tcp_sendmsg", "ext4_file_write_iter", "snd_timer_user_ioctl",
			 "nsim_dev_trap_report_work", "ip_rcv", "sk_clone_lock", "filemap_get_pages", "iterate_dir",
			 "xfs_buf_get_map", "pipe_write", "rtnl_lock", "tun_chr_write_iter",
			 // a protocol's entry point takes its own locks: hung tasks are bucketed there
			 "genl_rcv_msg", "netlink_sendmsg", "rtnetlink_rcv_msg"})
		EXPECT_FALSE(is_infrastructure_frame(own)) << own;
	EXPECT_TRUE(glob_match("print_*_bug", "print_irq_inversion_bug"));
	EXPECT_FALSE(glob_match("print_*_bug", "print_irq_inversion"));
}

TEST(FrameRules, StripsSyscallPrefixesShortestWins)
{
	EXPECT_EQ(strip_frame_prefix("__x64_sys_pause"), "sys_pause");
	EXPECT_EQ(strip_frame_prefix("__do_sys_pause"), "pause");
	EXPECT_EQ(strip_frame_prefix("__se_sys_pause"), "pause");
	EXPECT_EQ(strip_frame_prefix("ksys_ioctl"), "ioctl");
	EXPECT_EQ(strip_frame_prefix("compat_SyS_ioctl"), "ioctl");
	EXPECT_EQ(strip_frame_prefix("____sys_sendmsg"), "sendmsg");
	EXPECT_EQ(strip_frame_prefix("pipe_read"), "pipe_read");
}

TEST(Extractors, StallAnchorsAreSubstringsOfStrippedNames)
{
	// __vfs_write is a dispatch point like vfs_write.
	std::vector<Candidate> vfs = {{"drv_write_loop", false},
				      {"drv_write", false},
				      {"__vfs_write", true},
				      {"vfs_write", false},
				      {"ksys_write", true}};
	EXPECT_EQ(extract_frame(Extractor::Stall, vfs), "drv_write");
	// vfs_ioctl inlined: ksys_ioctl ("ioctl") is the dispatch point.
	std::vector<Candidate> ioctl = {{"drv_loop", false},
					{"drv_ioctl", false},
					{"ksys_ioctl", true},
					{"__x64_sys_ioctl", true},
					{"do_syscall_64", true}};
	EXPECT_EQ(extract_frame(Extractor::Stall, ioctl), "drv_ioctl");
	std::vector<Candidate> net = {{"ipt_do_table", false},
				      {"nf_hook_slow", false},
				      {"ip_rcv", false},
				      {"__netif_receive_skb_one_core", true},
				      {"process_backlog", true}};
	EXPECT_EQ(extract_frame(Extractor::Stall, net), "ip_rcv");
	// A CPU waiting for a cross-CPU call is bucketed by the call itself.
	std::vector<Candidate> smp = {{"smp_call_function_many_cond", false},
				      {"on_each_cpu_cond_mask", false},
				      {"flush_tlb_mm_range", false},
				      {"do_syscall_64", true}};
	EXPECT_EQ(extract_frame(Extractor::Stall, smp), "smp_call_function");
	// No dispatch point in sight: no guess (the title says "corrupted").
	std::vector<Candidate> cut = {{"pipe_poll_lock_helper", false}, {"pipe_poll", false}};
	EXPECT_EQ(extract_frame(Extractor::Stall, cut), "");
	// Only thread glue: nothing to name either.
	std::vector<Candidate> glue = {{"kthread", true}, {"ret_from_fork", true}};
	EXPECT_EQ(extract_frame(Extractor::Stall, glue), "");
}

TEST(Extractors, HungTaskNeverNamesAWaitPrimitiveOrGlue)
{
	std::vector<Candidate> io = {{"__schedule", true},
				     {"io_schedule", true},
				     {"folio_wait_bit_common", false},
				     {"filemap_get_pages", false}};
	EXPECT_EQ(extract_frame(Extractor::HungTask, io), "filemap_get_pages");
	std::vector<Candidate> rwsem = {
		{"rwsem_down_read_slowpath", true}, {"down_read", true}, {"iterate_dir", false}};
	EXPECT_EQ(extract_frame(Extractor::HungTask, rwsem), "iterate_dir");
	std::vector<Candidate> glue = {{"__schedule", true}, {"kthread", true}};
	EXPECT_EQ(extract_frame(Extractor::HungTask, glue), "");
}

// From a console (markers + real classifier reports) to per-run outcomes.
// The consoles are hand-made in the shape the guest init and the kernel
// print; the classifier is the real one.
#include "guest/markers.h"
#include "oracle/evidence.h"
#include "report/classifier.h"

#include <gtest/gtest.h>

using namespace pipehang;
using namespace pipehang::oracle;

namespace {

BootReading read(const std::string &console, bool fallback = false)
{
	ReadingOptions o;
	o.allow_fallback = fallback;
	return read_boot(guest::parse_markers(console), report::classify(console), o);
}

const std::string kBoot = "[    1.0] Run /init as init process\n"
			  "PIPEHANG: boot {\"kernel\":\"6.1.0-56-amd64\",\"uptime\":\"9.0\"}\n"
			  "PIPEHANG: disk {\"mounted\":true,\"path\":\"/mnt/ext4\",\"error\":\"\"}\n"
			  "PIPEHANG: module {\"loaded\":true,\"args\":\"\"}\n";

std::string run(int i, const std::string &repro, int exit)
{
	return "PIPEHANG: run-start {\"run\":" + std::to_string(i) + ",\"uptime\":\"10.0\"}\n" +
	       (repro.empty() ? "" : "PIPEHANG: repro " + repro + "\n") +
	       "PIPEHANG: run-end {\"run\":" + std::to_string(i) + ",\"exit\":" + std::to_string(exit) +
	       ",\"uptime\":\"10.5\"}\n";
}

const std::string kOk =
	R"({"tool":"repro-splice-dio","iteration":1,"entry":"openat2","fallback":false,"exercised":true,"splice_ms":3,"close_ms":1})";
const std::string kEnosys =
	R"({"tool":"repro-splice-dio","iteration":1,"entry":"openat2","fallback":false,"exercised":false,"failed_step":"open","errno":38,"error":"ENOSYS","reason":"ENOSYS: openat2 is not available"})";
const std::string kFellBack =
	R"({"tool":"repro-splice-dio","iteration":1,"entry":"openat","fallback":true,"exercised":true,"splice_ms":3,"close_ms":1})";

const std::string kHung = "[   14.0] INFO: task repro-splice-di:159 blocked for more than 3 seconds.\n"
			  "[   14.0]       Not tainted 6.1.0-56-amd64 #1 Debian 6.1.192-2\n"
			  "[   14.0] \"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.\n"
			  "[   14.0] task:repro-splice-di state:D stack:0     pid:159   ppid:1      flags:0x00000000\n"
			  "[   14.0] Call Trace:\n"
			  "[   14.0]  <TASK>\n"
			  "[   14.0]  __schedule+0x34d/0x9e0\n"
			  "[   14.0]  schedule+0x5a/0xd0\n"
			  "[   14.0]  schedule_preempt_disabled+0x11/0x20\n"
			  "[   14.0]  __mutex_lock.constprop.0+0x399/0x700\n"
			  "[   14.0]  pipe_release+0x1e/0x110\n"
			  "[   14.0]  __fput+0x90/0x250\n"
			  "[   14.0]  task_work_run+0x56/0x90\n"
			  "[   14.0]  exit_to_user_mode_prepare+0x23d/0x240\n"
			  "[   14.0]  syscall_exit_to_user_mode+0x17/0x40\n"
			  "[   14.0]  do_syscall_64+0x69/0xb0\n"
			  "[   14.0]  entry_SYSCALL_64_after_hwframe+0x6e/0xd8\n"
			  "[   14.0]  </TASK>\n";

TEST(VerdictEvidence, CleanRuns)
{
	auto b = read(kBoot + run(0, kOk, 0) + run(1, kOk, 0) + "PIPEHANG: done {\"status\":\"ok\"}\n");
	ASSERT_TRUE(b.booted);
	EXPECT_TRUE(b.module_loaded);
	EXPECT_TRUE(b.finished);
	ASSERT_EQ(b.runs.size(), 2u);
	EXPECT_EQ(b.runs[0].status, RunStatus::clean);
	EXPECT_EQ(b.runs[1].index, 1);
	EXPECT_EQ(b.run_details[0]["repro"][0]["entry"], "openat2");
}

TEST(VerdictEvidence, HungTaskInRunIsTarget)
{
	auto b = read(kBoot + run(0, kOk, 0) + "PIPEHANG: run-start {\"run\":1,\"uptime\":\"11\"}\n" + kHung);
	ASSERT_EQ(b.runs.size(), 2u);
	EXPECT_EQ(b.runs[0].status, RunStatus::clean);
	EXPECT_EQ(b.runs[1].status, RunStatus::target);
	EXPECT_EQ(b.runs[1].title, "INFO: task hung in pipe_release");
	EXPECT_FALSE(b.finished);
}

TEST(VerdictEvidence, EnosysIsNotExercised)
{
	auto b = read(kBoot + run(0, kEnosys, 4));
	ASSERT_EQ(b.runs.size(), 1u);
	EXPECT_EQ(b.runs[0].status, RunStatus::not_exercised);
	EXPECT_NE(b.runs[0].detail.find("ENOSYS"), std::string::npos);
	// The typed fact the bisect driver reads: the kernel lacks openat2.
	EXPECT_EQ(b.runs[0].unavailable_entry, "openat2");
}

TEST(VerdictEvidence, UnavailableEntryOnlyForEnosys)
{
	// ENOSYS named by reason_code alone (no errno name) still counts.
	auto b = read(
		kBoot + run(0, R"({"tool":"t","entry":"io_uring","exercised":false,"reason_code":"ENOSYS"})", 4) +
		run(1, kOk, 0) + run(2, kFellBack, 0) +
		run(3, R"({"tool":"t","entry":"openat2","exercised":false,"error":"EINVAL","reason_code":"NOT_EXT4"})",
		    4));
	ASSERT_EQ(b.runs.size(), 4u);
	EXPECT_EQ(b.runs[0].unavailable_entry, "io_uring");
	EXPECT_EQ(b.runs[1].unavailable_entry, "");
	EXPECT_EQ(b.runs[2].unavailable_entry, "");
	EXPECT_EQ(b.runs[3].unavailable_entry, "");
	EXPECT_EQ(b.runs[3].status, RunStatus::not_exercised);
}

TEST(VerdictEvidence, FallbackNeedsPermission)
{
	EXPECT_EQ(read(kBoot + run(0, kFellBack, 0)).runs[0].status, RunStatus::not_exercised);
	EXPECT_EQ(read(kBoot + run(0, kFellBack, 0), true).runs[0].status, RunStatus::clean);
}

TEST(VerdictEvidence, ReproFailureAndMissingOutput)
{
	auto b = read(kBoot + run(0, R"({"tool":"x","exercised":true,"reason":"SPLICE_FAILED: EIO"})", 1) +
		      run(1, "", 0));
	ASSERT_EQ(b.runs.size(), 2u);
	EXPECT_EQ(b.runs[0].status, RunStatus::repro_failed);
	EXPECT_NE(b.runs[0].detail.find("SPLICE_FAILED"), std::string::npos);
	EXPECT_EQ(b.runs[1].status, RunStatus::repro_failed);
}

TEST(VerdictEvidence, RunWithoutEndIsLost)
{
	ReadingOptions o;
	o.vm_end_reason = "no progress for 90 s";
	std::string c = kBoot + "PIPEHANG: run-start {\"run\":0,\"uptime\":\"10\"}\n";
	auto b = read_boot(guest::parse_markers(c), report::classify(c), o);
	ASSERT_EQ(b.runs.size(), 1u);
	EXPECT_EQ(b.runs[0].status, RunStatus::lost);
	EXPECT_EQ(b.runs[0].detail, "no progress for 90 s");
}

TEST(VerdictEvidence, NoBootMarkerIsBootFailure)
{
	std::string c = "[    0.5] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n";
	auto b = read(c);
	EXPECT_FALSE(b.booted);
	EXPECT_NE(b.boot_failure.find("kernel panic"), std::string::npos) << b.boot_failure;
	EXPECT_TRUE(b.runs.empty());
}

TEST(VerdictEvidence, ModuleErrorAndDiskFailure)
{
	std::string c = "PIPEHANG: boot {\"kernel\":\"x\",\"uptime\":\"1\"}\n"
			"PIPEHANG: disk {\"mounted\":false,\"path\":\"/mnt/ext4\",\"error\":\"no /dev/vda\"}\n"
			"PIPEHANG: module {\"loaded\":false,\"error\":\"insmod: Invalid module format\"}\n"
			"PIPEHANG: done {\"status\":\"no disk\"}\n";
	auto b = read(c);
	EXPECT_TRUE(b.booted);
	EXPECT_FALSE(b.module_loaded);
	EXPECT_NE(b.module_error.find("Invalid module format"), std::string::npos);
	EXPECT_NE(b.setup_failure.find("no /dev/vda"), std::string::npos);
}

TEST(VerdictEvidence, CorruptedMarkerIsNotTrusted)
{
	// A kernel line cut into the repro marker: the JSON does not parse,
	// so the run has no valid reproducer line -> failed, never clean.
	std::string c = kBoot + "PIPEHANG: run-start {\"run\":0,\"uptime\":\"10\"}\n" +
			"PIPEHANG: repro {\"tool\":\"repro-splice-dio\",\"exerc[   12.1] random: crng init done\n" +
			"PIPEHANG: run-end {\"run\":0,\"exit\":0,\"uptime\":\"10.5\"}\n";
	auto b = read(c);
	ASSERT_EQ(b.runs.size(), 1u);
	EXPECT_EQ(b.runs[0].status, RunStatus::repro_failed);
}

} // namespace

// The holder of pipe->mutex spinning in iov_iter_alignment() (the
// zero-length-bvec bug) as the soft-lockup detector of a 6.1 kernel prints
// it, hand-written in that shape.
std::string soft_lockup(const std::string &through)
{
	return "[   36.0] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [ph-splice-0:160]\n"
	       "[   36.0] Modules linked in: pipewatch(O)\n"
	       "[   36.0] CPU: 1 PID: 160 Comm: ph-splice-0 Tainted: G           O       6.1.158-pipehang #1\n"
	       "[   36.0] RIP: 0010:iov_iter_alignment+0x8b/0x120\n"
	       "[   36.0] Code: 48 8b 47 18 31 d2\n"
	       "[   36.0] RSP: 0018:ffffc9000027bc48 EFLAGS: 00000246\n"
	       "[   36.0] Call Trace:\n"
	       "[   36.0]  <TASK>\n"
	       "[   36.0]  ext4_file_write_iter+0x2f1/0x720\n"
	       "[   36.0]  " +
	       through +
	       "+0x1d1/0x3c0\n"
	       "[   36.0]  direct_splice_actor+0x2f/0x40\n"
	       "[   36.0]  __x64_sys_splice+0x3a4/0x900\n"
	       "[   36.0]  do_syscall_64+0x3b/0x90\n"
	       "[   36.0]  entry_SYSCALL_64_after_hwframe+0x63/0xcd\n"
	       "[   36.0]  </TASK>\n";
}

TEST(VerdictEvidence, HolderSpinDoesNotHideTheTarget)
{
	// Hung closer first, then the spinning holder's soft lockup: still the target.
	auto b = read(kBoot + "PIPEHANG: run-start {\"run\":0,\"uptime\":\"11\"}\n" + kHung +
		      soft_lockup("iter_file_splice_write"));
	ASSERT_EQ(b.runs.size(), 1u);
	EXPECT_EQ(b.runs[0].status, RunStatus::target);
	EXPECT_EQ(b.runs[0].title, "INFO: task hung in pipe_release");
	// The lockup first (it may be printed before the hung-task report).
	b = read(kBoot + "PIPEHANG: run-start {\"run\":0,\"uptime\":\"11\"}\n" + soft_lockup("iter_file_splice_write") +
		 kHung);
	EXPECT_EQ(b.runs[0].status, RunStatus::target);
}

TEST(VerdictEvidence, HolderSpinAloneIsTheBug)
{
	auto b = read(kBoot + "PIPEHANG: run-start {\"run\":0,\"uptime\":\"11\"}\n" +
		      soft_lockup("iter_file_splice_write"));
	ASSERT_EQ(b.runs.size(), 1u);
	EXPECT_EQ(b.runs[0].status, RunStatus::target);
	EXPECT_NE(b.runs[0].detail.find("iter_file_splice_write"), std::string::npos);
}

TEST(VerdictEvidence, UnrelatedLockupIsAnotherCrash)
{
	auto b = read(kBoot + "PIPEHANG: run-start {\"run\":0,\"uptime\":\"11\"}\n" +
		      soft_lockup("generic_perform_write"));
	ASSERT_EQ(b.runs.size(), 1u);
	EXPECT_EQ(b.runs[0].status, RunStatus::other_crash);
}

// From 6.15 on the kernel's own hung-task report names the mutex owner;
// the verdict names it as it names pipewatch's holder.
TEST(VerdictEvidence, KernelOwnerLineNamesTheHolder)
{
	const std::string owner =
		"[   14.1] INFO: task repro-splice-di:159 is blocked on a mutex likely owned by task ph-splice-0:158.\n"
		"[   14.1] task:ph-splice-0     state:D stack:0     pid:158   tgid:157   ppid:1      flags:0x00004002\n"
		"[   14.1] Call Trace:\n"
		"[   14.1]  <TASK>\n"
		"[   14.1]  __schedule+0x4d1/0x1600\n"
		"[   14.1]  schedule+0x27/0xf0\n"
		"[   14.1]  io_schedule+0x46/0x70\n"
		"[   14.1]  __iomap_dio_rw+0x6c4/0x910\n"
		"[   14.1]  iomap_dio_rw+0x12/0x40\n"
		"[   14.1]  ext4_dio_write_iter+0x27c/0x4a0\n"
		"[   14.1]  iter_file_splice_write+0x2f1/0x4e0\n"
		"[   14.1]  </TASK>\n";
	auto b = read(kBoot + "PIPEHANG: run-start {\"run\":0,\"uptime\":\"11\"}\n" + kHung + owner);
	ASSERT_EQ(b.runs.size(), 1u);
	EXPECT_EQ(b.runs[0].status, RunStatus::target);
	ASSERT_TRUE(b.run_details[0].contains("holder")) << b.run_details[0].dump();
	EXPECT_EQ(
		b.run_details[0]["holder"],
		"ph-splice-0/158, in __iomap_dio_rw <- iomap_dio_rw <- ext4_dio_write_iter (kernel hung-task report)");
	EXPECT_EQ(
		b.runs[0].holder,
		"ph-splice-0/158, in __iomap_dio_rw <- iomap_dio_rw <- ext4_dio_write_iter (kernel hung-task report)");
}

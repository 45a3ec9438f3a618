// Emulator faults through the oracle's decision path, without a VM: the
// boot loop behind judge() (oracle/judge_boots.h) is run with recorded
// consoles in place of QEMU. A boot under multi-threaded TCG that dies of
// an unclaimed int3 is not evidence: it is counted and the kernel is booted
// again under tcg-single, whose boot gives the verdict; the same trap under
// tcg-single is the kernel's; with no boot left it is a harness error.
#include "guest/markers.h"
#include "oracle/emulator_fault.h"
#include "oracle/judge_boots.h"
#include "report/classifier.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace pipehang;
using namespace pipehang::oracle;

namespace {

std::string corpus(const std::string &name)
{
	std::ifstream in(std::filesystem::path(PIPEHANG_TEST_DATA) / "console" / name);
	EXPECT_TRUE(in) << name;
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

const std::string kRealInt3 = "real-6.12-rt-int3-tcg.log";        // real: after userspace, CPU 0
const std::string kRtInt3 = "hand-int3-6.12-rt-boot.log";         // dies before userspace, CPU 1
const std::string kRunInt3 = "hand-int3-6.1-during-run.log";      // dies during run #0, CPU 0
const std::string kThrottled = "real-6.1-pipehang-throttled.log"; // run #0: the target, bad

// One clean run, in the guest init's marker format.
const std::string kClean =
	"[    1.0] Run /init as init process\n"
	"PIPEHANG: boot {\"kernel\":\"6.12.118+deb12-rt-amd64\",\"uptime\":\"9.0\"}\n"
	"PIPEHANG: disk {\"mounted\":true,\"path\":\"/mnt/ext4\",\"error\":\"\"}\n"
	"PIPEHANG: module {\"loaded\":true,\"args\":\"\"}\n"
	"PIPEHANG: run-start {\"run\":0,\"uptime\":\"10.0\"}\n"
	"PIPEHANG: repro "
	R"({"tool":"repro-splice-dio","iteration":1,"entry":"openat2","fallback":false,"exercised":true,"splice_ms":3,"close_ms":1})"
	"\n"
	"PIPEHANG: run-end {\"run\":0,\"exit\":0,\"uptime\":\"10.5\"}\n"
	"PIPEHANG: done {\"status\":\"ok\"}\n";

// Plays the consoles in order, one per boot, as run_instance would hand
// them back; records the accelerator each boot was asked for.
struct Replay {
	std::vector<std::string> consoles;
	std::string resolved = "tcg";        // what "auto" resolves to (no KVM here)
	std::vector<std::string> asked = {}; // "= {}": aggregate initialisers stop before it

	guest::InstanceResult operator()(const guest::InstanceRequest &req)
	{
		guest::InstanceResult r;
		std::size_t i = asked.size();
		asked.push_back(req.settings.accel);
		r.console = i < consoles.size() ? consoles[i] : consoles.back();
		r.markers = guest::parse_markers(r.console);
		r.booted = guest::find_marker(r.markers, "boot").has_value();
		r.accel = req.settings.accel == "auto" ? resolved : req.settings.accel;
		r.end = r.booted ? guest::InstanceEnd::exited : guest::InstanceEnd::boot_failed;
		if (!r.booted)
			r.reason = "the VM ended before the guest init ran (no PIPEHANG: boot marker)";
		r.seconds = 1;
		return r;
	}
};

struct Judged {
	JudgeResult res;
	std::vector<std::string> lines;
};

Judged judge_replay(Replay &replay, int max_boots = 3, int smp = 2)
{
	JudgeOptions opt;
	opt.policy.runs = 1;
	opt.policy.max_runs = 2;
	opt.max_boots = max_boots;
	opt.guest.smp = smp;
	Judged j;
	opt.on_line = [&](const std::string &l) { j.lines.push_back(l); };
	guest::Kernel k;
	k.release = "6.12.118+deb12-rt-amd64";
	guest::GuestImage img;
	j.res.json = judgement_json(opt, k.release, k, img);
	BootPlan plan;
	plan.kernel = &k;
	plan.image = &img;
	plan.name = k.release;
	plan.console_dir = std::filesystem::temp_directory_path() / "pipehang-replay";
	JudgeTimings tm;
	judge_boots(opt, plan, std::ref(replay), j.res, tm);
	EXPECT_EQ(tm.boots, int(replay.asked.size()));
	return j;
}

bool has_line(const std::vector<std::string> &lines, const std::string &want)
{
	for (auto &l : lines)
		if (l.find(want) != std::string::npos)
			return true;
	return false;
}

} // namespace

TEST(EmulatorFault, FaultUnderTcgRebootsUnderTcgSingle)
{
	Replay replay{{corpus(kRtInt3), corpus(kThrottled)}};
	Judged j = judge_replay(replay);
	EXPECT_EQ(replay.asked, (std::vector<std::string>{"auto", "tcg-single"}));
	const Evidence &ev = j.res.evidence;
	ASSERT_EQ(ev.emulator_faults.size(), 1u);
	const EmulatorFault &f = ev.emulator_faults[0];
	EXPECT_EQ(f.boot, 1);
	EXPECT_EQ(f.kind, "oops");
	EXPECT_EQ(f.accel, "tcg");
	EXPECT_EQ(f.rip, "sched_clock_cpu+0x9");
	EXPECT_EQ(f.cpu, 1);
	EXPECT_TRUE(f.before_userspace);
	EXPECT_EQ(f.int3_in_memory, "no");
	// The verdict is the second boot's: the faulted one left no trace in
	// the evidence (not "boot failed", no lost run).
	EXPECT_EQ(j.res.decision.verdict, Verdict::bad);
	EXPECT_TRUE(ev.booted);
	ASSERT_EQ(ev.runs.size(), 1u);
	EXPECT_EQ(ev.runs[0].status, RunStatus::target);
	EXPECT_TRUE(has_line(j.lines, "boot #1: emulator fault (int3 at sched_clock_cpu+0x9 on CPU 1, before "
				      "userspace, no longer in memory, under multi-threaded TCG): not the "
				      "kernel's; re-booting under tcg-single"));
	EXPECT_TRUE(has_line(j.lines, "under tcg-single), boot #2"));
	EXPECT_TRUE(has_line(j.lines, "verdict: bad: "));
	EXPECT_TRUE(has_line(j.lines, "; not counted: 1 emulator fault (boot #1), re-booted under tcg-single"));
	const auto &js = j.res.json;
	EXPECT_EQ(js["emulator_faults"]["count"], 1);
	EXPECT_EQ(js["emulator_faults"]["faults"][0]["rip"], "sched_clock_cpu+0x9");
	EXPECT_EQ(js["emulator_faults"]["faults"][0]["cpu"], 1);
	EXPECT_EQ(js["emulator_faults"]["faults"][0]["before_userspace"], true);
	EXPECT_EQ(js["emulator_faults"]["faults"][0]["accel"], "tcg");
	EXPECT_EQ(js["boots"][0]["emulator_fault"], true);
	EXPECT_EQ(js["boots"][1]["accel"], "tcg-single");
	EXPECT_FALSE(js["boots"][1].contains("emulator_fault"));
}

TEST(EmulatorFault, RealCaptureIsRebootedAndTheRebootDecides)
{
	Replay replay{{corpus(kRealInt3), kClean}};
	Judged j = judge_replay(replay);
	EXPECT_EQ(replay.asked, (std::vector<std::string>{"auto", "tcg-single"}));
	ASSERT_EQ(j.res.evidence.emulator_faults.size(), 1u);
	const EmulatorFault &f = j.res.evidence.emulator_faults[0];
	EXPECT_EQ(f.rip, "enqueue_task_rt+0x3a");
	EXPECT_EQ(f.cpu, 0);
	EXPECT_FALSE(f.before_userspace);
	EXPECT_EQ(f.int3_in_memory, "no");
	EXPECT_EQ(j.res.decision.verdict, Verdict::good);
	EXPECT_TRUE(has_line(j.lines, "boot #1: emulator fault (int3 at enqueue_task_rt+0x3a on CPU 0, no longer "
				      "in memory, under multi-threaded TCG): not the kernel's"));
}

TEST(EmulatorFault, IntLoopWedgeIsAnEmulatorFaultToo)
{
	Replay replay{{corpus("real-6.1-int3-loop-tcg.log"), kClean}};
	Judged j = judge_replay(replay);
	EXPECT_EQ(replay.asked, (std::vector<std::string>{"auto", "tcg-single"}));
	ASSERT_EQ(j.res.evidence.emulator_faults.size(), 1u);
	EXPECT_EQ(j.res.evidence.emulator_faults[0].kind, "loop");
	EXPECT_EQ(j.res.evidence.emulator_faults[0].cpu, 1);
	EXPECT_EQ(j.res.decision.verdict, Verdict::good);
	EXPECT_EQ(j.res.json["emulator_faults"]["faults"][0]["kind"], "loop");
	EXPECT_TRUE(has_line(j.lines, "boot #1: emulator fault (int3 loop at check_spread.isra.0+0x22 on CPU 1, "
				      "no longer in memory, under multi-threaded TCG): not the kernel's"));
}

TEST(EmulatorFault, CpuStuckAtAPatchedSiteIsAnEmulatorFaultToo)
{
	// The boot that failed vm_verdict_skip_corrupted_output in a cold make
	// test ("skip: boot failed"): CPU 1 stuck at a patched jump label.
	Replay replay{{corpus("real-6.1-stuck-patch-site-tcg.log"), kClean}};
	Judged j = judge_replay(replay);
	EXPECT_EQ(replay.asked, (std::vector<std::string>{"auto", "tcg-single"}));
	ASSERT_EQ(j.res.evidence.emulator_faults.size(), 1u);
	const EmulatorFault &f = j.res.evidence.emulator_faults[0];
	EXPECT_EQ(f.kind, "stuck");
	EXPECT_EQ(f.rip, "alg_test+0x4f");
	EXPECT_EQ(f.cpu, 1);
	EXPECT_TRUE(f.before_userspace);
	EXPECT_EQ(j.res.decision.verdict, Verdict::good);
	EXPECT_TRUE(has_line(j.lines, "boot #1: emulator fault (stuck at a patched nop at alg_test+0x4f on CPU 1, "
				      "before userspace, under multi-threaded TCG): not the kernel's"));
}

TEST(EmulatorFault, FaultDuringARunIsNotEvidenceEither)
{
	Replay replay{{corpus(kRunInt3), kClean}};
	Judged j = judge_replay(replay);
	EXPECT_EQ(replay.asked, (std::vector<std::string>{"auto", "tcg-single"}));
	ASSERT_EQ(j.res.evidence.emulator_faults.size(), 1u);
	EXPECT_FALSE(j.res.evidence.emulator_faults[0].before_userspace);
	EXPECT_EQ(j.res.evidence.emulator_faults[0].int3_in_memory, "yes");
	// Run #0 of the faulted boot ("other crash") is dropped; the re-boot's
	// clean run decides.
	EXPECT_EQ(j.res.decision.verdict, Verdict::good);
	ASSERT_EQ(j.res.evidence.runs.size(), 1u);
	EXPECT_EQ(j.res.evidence.runs[0].status, RunStatus::clean);
	EXPECT_EQ(j.res.json["runs"].size(), 1u);
}

TEST(EmulatorFault, SameTrapUnderTcgSingleIsTheKernels)
{
	Replay replay{{corpus(kRtInt3), corpus(kRtInt3)}};
	Judged j = judge_replay(replay);
	EXPECT_EQ(replay.asked, (std::vector<std::string>{"auto", "tcg-single"}));
	EXPECT_EQ(j.res.evidence.emulator_faults.size(), 1u); // the first boot only
	EXPECT_EQ(j.res.decision.verdict, Verdict::skip);
	EXPECT_FALSE(j.res.evidence.booted);
	EXPECT_EQ(j.res.evidence.boot_failure, "int3 in sched_clock_cpu");
	EXPECT_TRUE(has_line(j.lines, "boot #2: int3 at sched_clock_cpu+0x9 on CPU 1 again under tcg-single: judged as "
				      "the kernel's"));
	EXPECT_TRUE(has_line(j.lines, "verdict: skip: boot failed: int3 in sched_clock_cpu"));
}

TEST(EmulatorFault, NoBootLeftIsAHarnessError)
{
	Replay replay{{corpus(kRtInt3), kClean}};
	try {
		judge_replay(replay, 1);
		FAIL() << "an emulator fault on the last boot must not become a verdict";
	} catch (const std::runtime_error &e) {
		EXPECT_NE(std::string(e.what()).find("boot #1: emulator fault (int3 at sched_clock_cpu+0x9"),
			  std::string::npos)
			<< e.what();
		EXPECT_NE(std::string(e.what()).find("no boot is left (--max-boots 1) to boot it again under "
						     "tcg-single: no verdict"),
			  std::string::npos)
			<< e.what();
	}
	EXPECT_EQ(replay.asked.size(), 1u);
}

TEST(EmulatorFault, KvmAndOneVcpuAreNeverSuspected)
{
	Replay kvm{{corpus(kRtInt3), kClean}, "kvm"};
	Judged j = judge_replay(kvm);
	EXPECT_EQ(kvm.asked.size(), 1u);
	EXPECT_TRUE(j.res.evidence.emulator_faults.empty());
	EXPECT_EQ(j.res.decision.verdict, Verdict::skip);
	EXPECT_EQ(j.res.json["emulator_faults"]["count"], 0);

	Replay one{{corpus(kRtInt3), kClean}};
	Judged j1 = judge_replay(one, 3, 1);
	EXPECT_EQ(one.asked.size(), 1u);
	EXPECT_TRUE(j1.res.evidence.emulator_faults.empty());
	EXPECT_EQ(j1.res.decision.verdict, Verdict::skip);
}

TEST(EmulatorFault, SignatureNeedsMultiThreadedTcg)
{
	std::string console = corpus(kRtInt3);
	auto markers = guest::parse_markers(console);
	auto reports = report::classify(console);
	EXPECT_TRUE(emulator_fault(1, "tcg", 2, markers, reports).has_value());
	EXPECT_FALSE(emulator_fault(1, "tcg-single", 2, markers, reports).has_value());
	EXPECT_FALSE(emulator_fault(1, "kvm", 2, markers, reports).has_value());
	EXPECT_FALSE(emulator_fault(1, "tcg", 1, markers, reports).has_value());
	// A crash that is not an int3 is the kernel's whatever the accelerator.
	std::string gpf = corpus("real-6.1-gpf.log");
	EXPECT_FALSE(emulator_fault(1, "tcg", 2, guest::parse_markers(gpf), report::classify(gpf)).has_value());
}

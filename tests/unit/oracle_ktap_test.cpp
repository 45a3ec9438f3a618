// The KTAP writer (oracle/ktap.h) on judgements shaped like `run --json`:
// every verdict and run status maps to the result and directive the
// header promises, names and diagnostics never carry a '#' or a line
// break, and nesting is four spaces a level. The kernel's own parser
// checks real output in the VM test (tests/vm, vm_ktap_kunit_parser).
#include "oracle/ktap.h"

#include <gtest/gtest.h>

using namespace pipehang::oracle;
using nlohmann::json;

namespace {

json judgement(const std::string &verdict, int code, const std::string &reason, json runs)
{
	return {{"verdict", verdict}, {"exit_code", code}, {"reason", reason}, {"runs", std::move(runs)}};
}

} // namespace

TEST(OracleKtap, BadKernelWithItsRuns)
{
	json runs = json::array({{{"run", 0}, {"status", "clean"}},
				 {{"run", 1},
				  {"status", "target"},
				  {"title", "INFO: task hung in pipe_release"},
				  {"holder", "ph-splice-0/96, held 1237 ms"}}});
	std::string t = ktap_kernel_test(judgement("bad", 1, "crashed: INFO: task hung in pipe_release", runs), 1,
					 "kernel 6.1.0-56-amd64");
	EXPECT_EQ(t, "    KTAP version 1\n"
		     "    # Subtest: kernel 6.1.0-56-amd64\n"
		     "    1..2\n"
		     "    ok 1 run_0\n"
		     "    not ok 2 run_1 # INFO: task hung in pipe_release [holder ph-splice-0/96, held 1237 ms]\n"
		     "# verdict: bad (exit 1): crashed: INFO: task hung in pipe_release\n"
		     "not ok 1 kernel 6.1.0-56-amd64 # crashed: INFO: task hung in pipe_release\n");
	std::string doc = ktap_document({t});
	EXPECT_EQ(doc.rfind("KTAP version 1\n1..1\n", 0), 0u);
}

TEST(OracleKtap, EveryVerdictHasItsResultAndDirective)
{
	json runs = json::array({{{"run", 0}, {"status", "clean"}}});
	auto last = [](const std::string &s) {
		auto p = s.rfind('\n', s.size() - 2);
		return s.substr(p + 1);
	};
	EXPECT_EQ(last(ktap_kernel_test(judgement("good", 0, "all runs: OK", runs), 3, "k")), "ok 3 k\n");
	EXPECT_EQ(last(ktap_kernel_test(judgement("skip", 125, "boot failed: panic", runs), 3, "k")),
		  "ok 3 k # SKIP boot failed: panic\n");
	EXPECT_EQ(last(ktap_kernel_test(judgement("error", 128, "QEMU killed", runs), 3, "k")),
		  "not ok 3 k # ERROR QEMU killed\n");
	// A harness error with no judgement at all.
	EXPECT_EQ(ktap_error_test("cannot write --console /x", 2, "k", 1),
		  "    not ok 2 k # ERROR cannot write --console /x\n");
}

TEST(OracleKtap, EveryRunStatus)
{
	json runs = json::array({
		{{"run", 0}, {"status", "not-exercised"}, {"detail", "ENOSYS: openat2"}},
		{{"run", 1}, {"status", "other-crash"}, {"title", "WARNING in splice_to_pipe"}},
		{{"run", 2}, {"status", "repro-failed"}, {"detail", "exit 1"}},
		{{"run", 3}, {"status", "lost"}, {"detail", "VM stalled"}},
		{{"run", 4}, {"status", "martian"}},
	});
	std::string t = ktap_kernel_test(judgement("skip", 125, "not exercised", runs), 1, "k");
	EXPECT_NE(t.find("    ok 1 run_0 # SKIP not exercised: ENOSYS: openat2\n"), std::string::npos) << t;
	EXPECT_NE(t.find("    not ok 2 run_1 # other crash: WARNING in splice_to_pipe\n"), std::string::npos) << t;
	EXPECT_NE(t.find("    not ok 3 run_2 # ERROR reproducer failed: exit 1\n"), std::string::npos) << t;
	EXPECT_NE(t.find("    not ok 4 run_3 # TIMEOUT lost: VM stalled\n"), std::string::npos) << t;
	EXPECT_NE(t.find("    not ok 5 run_4 # ERROR unknown run status 'martian'\n"), std::string::npos) << t;
	EXPECT_NE(t.find("    1..5\n"), std::string::npos);
}

TEST(OracleKtap, NoRunsNoSubtestAndNothingBreaksALine)
{
	std::string t = ktap_kernel_test(judgement("skip", 125, "boot failed:\nkernel panic # early", json::array()), 1,
					 "kernel #5\nx", 2);
	EXPECT_EQ(t.find("KTAP version"), std::string::npos) << "no runs: no subtest block";
	EXPECT_EQ(t, "        # verdict: skip (exit 125): boot failed: kernel panic # early\n"
		     "        ok 1 kernel  5 x # SKIP boot failed: kernel panic   early\n");
	EXPECT_EQ(ktap_name(""), "unnamed");
}

TEST(OracleKtap, VerdictAloneWithDiagnostics)
{
	EXPECT_EQ(ktap_verdict_test("bad", "INFO: task hung in pipe_release", {"run #0: crashed", "run #1: OK"}, 4,
				    "ca80e02ab71a open: introduce openat2(2) syscall", 1),
		  "    # run #0: crashed\n"
		  "    # run #1: OK\n"
		  "    not ok 4 ca80e02ab71a open: introduce openat2(2) syscall # INFO: task hung in pipe_release\n");
	EXPECT_EQ(ktap_verdict_test("skip", "kernel build failed", {}, 1, "r"), "ok 1 r # SKIP kernel build failed\n");
	EXPECT_EQ(ktap_verdict_test("good", "ignored", {}, 1, "r"), "ok 1 r\n");
	EXPECT_EQ(ktap_verdict_test("error", "QEMU missing", {}, 1, "r"), "not ok 1 r # ERROR QEMU missing\n");
}

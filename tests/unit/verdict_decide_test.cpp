// Table tests of the oracle's decision rule (userspace/oracle/decide.h).
#include "oracle/decide.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

using namespace pipehang::oracle;

namespace {

// Compact run lists: one char per run.
//   . clean   T target   X other crash   N not exercised   F repro failed   L lost
std::vector<RunOutcome> runs(const std::string &code)
{
	std::vector<RunOutcome> out;
	int i = 0;
	for (char ch : code) {
		RunOutcome r;
		r.index = i++;
		switch (ch) {
		case '.': r.status = RunStatus::clean; break;
		case 'T':
			r.status = RunStatus::target;
			r.title = "INFO: task hung in pipe_release";
			break;
		case 't':
			r.status = RunStatus::target;
			r.title = "INFO: task hung in pipe_release";
			r.corrupted = true;
			break;
		case 'X':
			r.status = RunStatus::other_crash;
			r.title = "WARNING in foo";
			break;
		case 'N':
			r.status = RunStatus::not_exercised;
			r.detail = "ENOSYS: openat2";
			break;
		case 'F':
			r.status = RunStatus::repro_failed;
			r.detail = "exit 1";
			break;
		case 'L':
			r.status = RunStatus::lost;
			r.detail = "no progress";
			break;
		}
		out.push_back(r);
	}
	return out;
}

struct Case {
	const char *name;
	bool booted;
	bool module;
	std::string setup_failure;
	std::string code;
	int runs, max_runs;
	OtherCrash other;
	// expected
	bool final;
	Verdict verdict;
	int more_runs;          // when !final
	const char *reason_has; // substring of the reason
	double confidence;      // when final; < 0: don't check
};

const Case cases[] = {
	{"boot failed", false, true, "", "", 10, 20, OtherCrash::skip, true, Verdict::skip, 0, "boot failed", 1.0},
	{"module missing", true, false, "", "..........", 10, 20, OtherCrash::skip, true, Verdict::skip, 0,
	 "pipewatch.ko", 1.0},
	{"disk not mounted", true, true, "test disk not mounted", "", 10, 20, OtherCrash::skip, true, Verdict::skip, 0,
	 "guest setup failed", 1.0},
	{"all clean", true, true, "", "..........", 10, 20, OtherCrash::skip, true, Verdict::good, 0, "all runs: OK",
	 1.0},
	{"first run hangs", true, true, "", "T", 10, 20, OtherCrash::skip, true, Verdict::bad, 0,
	 "crashed: INFO: task hung in pipe_release", 1.0},
	{"late hang after clean runs", true, true, "", "....T", 10, 20, OtherCrash::skip, true, Verdict::bad, 0,
	 "1 of 5 runs", 1.0},
	{"corrupted target only", true, true, "", "t", 10, 20, OtherCrash::skip, true, Verdict::bad, 0, "pipe_release",
	 0.9},
	{"complete report preferred", true, true, "", "tT", 10, 20, OtherCrash::skip, true, Verdict::bad, 0, "2 of 2",
	 1.0},
	{"target beats other crash", true, true, "", "XT", 10, 20, OtherCrash::skip, true, Verdict::bad, 0,
	 "pipe_release", 1.0},
	{"other crash skips", true, true, "", "..X", 10, 20, OtherCrash::skip, true, Verdict::skip, 0, "not the target",
	 -1},
	{"other crash bad", true, true, "", "..X", 10, 20, OtherCrash::bad, true, Verdict::bad, 0, "WARNING in foo",
	 -1},
	{"never exercised (openat2 ENOSYS)", true, true, "", "NNNNNNNNNN", 10, 20, OtherCrash::skip, true,
	 Verdict::skip, 0, "did not exercise", 1.0},
	{"reproducer always fails", true, true, "", "FFF", 10, 20, OtherCrash::skip, true, Verdict::skip, 0,
	 "reproducer failed", 1.0},
	{"flaky exercise: run more to 20", true, true, "", "....N.....", 10, 20, OtherCrash::skip, false, Verdict::skip,
	 10, "disagree", -1},
	{"flaky to 20: one not exercised is never good", true, true, "", "....N...............", 10, 20,
	 OtherCrash::skip, true, Verdict::skip, 0, "19 clean, 1 not exercised", 0.05},
	{"flaky to 20: one lost run is never good", true, true, "", "..L.................", 10, 20, OtherCrash::skip,
	 true, Verdict::skip, 0, "1 lost", 0.05},
	{"flaky to 20: a late hang is bad", true, true, "", "....N..............T", 10, 20, OtherCrash::skip, true,
	 Verdict::bad, 0, "1 of 20 runs", 1.0},
	{"flaky, too few clean at 20", true, true, "", "..NN.NN.NNNNN.NNNN.N", 10, 20, OtherCrash::skip, true,
	 Verdict::skip, 0, "only 6 of 20", -1},
	{"VM died early: make up the runs", true, true, "", "...", 10, 20, OtherCrash::skip, false, Verdict::skip, 7,
	 "3 of 3 runs finished", -1},
	{"lost run: go to full budget", true, true, "", "...L", 10, 20, OtherCrash::skip, false, Verdict::skip, 16,
	 "disagree", -1},
	{"lost runs at the bound", true, true, "", "LLLLLLLLLLLLLLLLLLLL", 10, 20, OtherCrash::skip, true,
	 Verdict::skip, 0, "runs lost", -1},
	{"single run wanted", true, true, "", ".", 1, 2, OtherCrash::skip, true, Verdict::good, 0, "all runs: OK", 1.0},
	{"no runs yet", true, true, "", "", 10, 20, OtherCrash::skip, false, Verdict::skip, 10, "0 of 0", -1},
};

class Decide : public ::testing::TestWithParam<Case> {};

TEST_P(Decide, Table)
{
	const Case &c = GetParam();
	Evidence ev;
	ev.booted = c.booted;
	ev.boot_failure = c.booted ? "" : "kernel panic: VFS: Unable to mount root fs";
	ev.module_loaded = c.module;
	ev.module_error = c.module ? "" : "insmod failed";
	ev.setup_failure = c.setup_failure;
	ev.runs = runs(c.code);
	Policy p;
	p.runs = c.runs;
	p.max_runs = c.max_runs;
	p.other_crash = c.other;
	Decision d = decide(ev, p);
	EXPECT_EQ(d.final, c.final) << d.reason;
	if (c.final) {
		EXPECT_EQ(d.verdict, c.verdict) << d.reason;
		if (c.confidence >= 0) {
			EXPECT_NEAR(d.confidence, c.confidence, 1e-9) << d.reason;
		}
	} else {
		EXPECT_EQ(d.more_runs, c.more_runs) << d.reason;
	}
	EXPECT_NE(d.reason.find(c.reason_has), std::string::npos) << "reason: " << d.reason;
	EXPECT_EQ(d.counts.total, int(c.code.size()));
}

// gtest prints a parameter it cannot format as a hex dump in every test
// name CTest shows; the case's own name says more.
void PrintTo(const Case &c, std::ostream *os)
{
	*os << c.name;
}

std::string case_name(const ::testing::TestParamInfo<Case> &info)
{
	std::string n;
	for (const char *p = info.param.name; *p; p++)
		n += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
	return n;
}

INSTANTIATE_TEST_SUITE_P(Rule, Decide, ::testing::ValuesIn(cases), case_name);

// The numbers are `git bisect run`'s, not ours to choose: spelled out here.
TEST(VerdictExit, FollowGitBisectRun)
{
	EXPECT_EQ(exit_code(Verdict::good), 0);
	EXPECT_EQ(exit_code(Verdict::bad), 1);
	EXPECT_EQ(exit_code(Verdict::skip), 125);
	EXPECT_EQ(exit_code(Verdict::error), 128);
	for (auto v : {Verdict::good, Verdict::bad, Verdict::skip, Verdict::error})
		EXPECT_EQ(from_exit_code(exit_code(v)), v) << to_string(v);
	EXPECT_EQ(from_exit_code(2), Verdict::error);  // a usage error is no verdict
	EXPECT_EQ(from_exit_code(-1), Verdict::error); // killed by a signal
	EXPECT_EQ(from_exit_code(130), Verdict::error);
	EXPECT_EQ(to_string(Verdict::error), "error");
}

TEST(VerdictRunLine, SyzbotWording)
{
	auto r = runs("T.N");
	EXPECT_EQ(run_line(r[0]), "run #0: crashed: INFO: task hung in pipe_release");
	EXPECT_EQ(run_line(r[1]), "run #1: OK");
	EXPECT_EQ(run_line(r[2]), "run #2: not exercised: ENOSYS: openat2");
}

// Driving the rule the way the oracle does (10, then up to 20) must end.
TEST(VerdictLoop, AlwaysTerminatesWithinBudget)
{
	for (const std::string pattern : {"N.", "L", ".", "F.", "NL."}) {
		Evidence ev;
		Policy p;
		int boots = 0;
		Decision d = decide(ev, p);
		while (!d.final) {
			ASSERT_LT(++boots, 50) << pattern;
			ASSERT_GT(d.more_runs, 0);
			for (int i = 0; i < d.more_runs; i++)
				ev.runs.push_back(runs(std::string(1, pattern[ev.runs.size() % pattern.size()]))[0]);
			d = decide(ev, p);
		}
		EXPECT_LE(int(ev.runs.size()), p.max_runs) << pattern;
	}
}

} // namespace

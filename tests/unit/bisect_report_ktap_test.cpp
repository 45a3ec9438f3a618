// `pipehang bisect --ktap` (bisect/report_ktap.h) on a hand-built session:
// a test per bisection, a subtest per revision in the order tested with
// its role and verdict, the culprit and the checks as diagnostics; a
// bisection that stopped is an ERROR, never ok.
#include "bisect/report_ktap.h"

#include <gtest/gtest.h>

using namespace pipehang::bisect;

namespace {

TestedRevision rev(const std::string &id, const std::string &subject, const char *role, Verdict v,
		   const std::string &why = "")
{
	TestedRevision t;
	t.commit = {id, subject};
	t.role = role;
	t.eval.build.ok = !(v == Verdict::skip && why == "no space left");
	t.eval.build.error = t.eval.build.ok ? "" : why;
	t.eval.test.verdict = v;
	(v == Verdict::bad ? t.eval.test.title : t.eval.test.reason) = why;
	t.eval.test.lines = {"run #0: " + std::string(v == Verdict::good ? "OK" : "not OK")};
	return t;
}

} // namespace

TEST(BisectReportKtap, OneTestPerBisectionOneSubtestPerRevision)
{
	SessionReport s;
	BisectionReport &r = s.first;
	r.mode.name = "syzbot";
	r.completed = true;
	r.given_good = "replay-v5.5";
	r.given_bad = "replay-v5.6";
	r.tested = {rev("aaaaaaaaaaaa1111", "open: introduce openat2(2) syscall", "bad end", Verdict::bad,
			"INFO: task hung in pipe_release"),
		    rev("bbbbbbbbbbbb2222", "pipe: say # slot", "good end", Verdict::good),
		    rev("cccccccccccc3333", "ext4: comment", "bisect", Verdict::skip, "no space left"),
		    rev("dddddddddddd4444", "splice: x", "bisect", Verdict::skip, "not exercised: ENOSYS")};
	r.culprit = Commit{"aaaaaaaaaaaa1111", "open: introduce openat2(2) syscall"};
	r.false_culprit.reasons = {"the culprit adds the syscall openat2, which the reproducer uses"};
	std::string k = session_ktap(s);
	EXPECT_EQ(k, "KTAP version 1\n"
		     "1..1\n"
		     "    KTAP version 1\n"
		     "    # Subtest: syzbot mode replay-v5.5..replay-v5.6\n"
		     "    1..4\n"
		     "    # bad end\n"
		     "    # run #0: not OK\n"
		     "    not ok 1 aaaaaaaaaaaa open: introduce openat2(2) syscall # INFO: task hung in pipe_release\n"
		     "    # good end\n"
		     "    # run #0: OK\n"
		     "    ok 2 bbbbbbbbbbbb pipe: say   slot\n"
		     "    # bisect\n"
		     "    # run #0: not OK\n"
		     "    ok 3 cccccccccccc ext4: comment # SKIP kernel build failed: no space left\n"
		     "    # bisect\n"
		     "    # run #0: not OK\n"
		     "    ok 4 dddddddddddd splice: x # SKIP not exercised: ENOSYS\n"
		     "# first bad commit: aaaaaaaaaaaa1111 open: introduce openat2(2) syscall\n"
		     "# false-culprit check: the culprit adds the syscall openat2, which the reproducer uses\n"
		     "ok 1 syzbot mode replay-v5.5..replay-v5.6\n");
}

TEST(BisectReportKtap, ReBisectionIsTheSecondTestAndAStoppedOneAnError)
{
	SessionReport s;
	s.first.mode.name = "syzbot";
	s.first.completed = true;
	s.first.given_bad = "v5.6";
	s.first.candidates = {{"c1", "one"}, {"c2", "two"}};
	BisectionReport second;
	second.mode.name = "fallback";
	second.given_good = "v5.5";
	second.given_bad = "v5.6";
	second.completed = false;
	second.error = "harness error on the bad commit: QEMU killed";
	s.rebisect = second;
	std::string k = session_ktap(s);
	EXPECT_EQ(k.rfind("KTAP version 1\n1..2\n", 0), 0u) << k;
	EXPECT_NE(k.find("# could be: c1 one\n# could be: c2 two\nok 1 syzbot mode (search back)..v5.6\n"),
		  std::string::npos)
		<< k;
	EXPECT_NE(k.find("not ok 2 re-bisection in fallback mode v5.5..v5.6 # ERROR harness error on the bad commit: "
			 "QEMU killed\n"),
		  std::string::npos)
		<< k;
}

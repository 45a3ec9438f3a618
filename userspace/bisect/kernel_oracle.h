// The real oracle behind `pipehang oracle` and `pipehang bisect`: builds the
// kernel tree with scripts/kernel/build-kernel.sh, names it by its kernel
// signature, and judges it with the harness's oracle -- the same
// pipehang::oracle::judge() that `pipehang run --kernel TREE` runs, called
// in-process (it builds pipewatch.ko against the tree, boots it and decides
// good / bad / skip). Nothing here boots QEMU itself.
#pragma once

#include "bisect/seams.h"
#include "guest/guest_image.h"
#include "guest/instance.h"
#include "oracle/decide.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace pipehang::bisect {

struct KernelOracleOptions {
	std::filesystem::path tree;         // kernel source tree, built in place
	std::filesystem::path build_script; // scripts/kernel/build-kernel.sh
	std::filesystem::path config;       // --config: a full .config (empty: tinyconfig + pipehang.config)
	std::filesystem::path fragment;     // --fragment: merged on top (may be empty)
	guest::ImageOptions image;          // the guest image's host paths (from the CLI)
	int jobs = 2;                       // make -j; with icecc, the cluster's slots (not capped by the local cores)
	bool icecc = false;                 // --icecc: compile through an icecream cluster (build-kernel.sh --icecc)
	int runs = 0;                       // 0: the harness's default
	std::chrono::seconds build_timeout{3600};
	std::chrono::seconds test_timeout{1200};
	std::function<void(std::string_view)> progress; // live lines (may be empty)
	// --report: each judgement's HTML report goes to
	// report_dir/run_report_path(commit, mode) (empty: none).
	std::filesystem::path report_dir;
	// Where each revision boots: empty here, or a lab's runner (--lab).
	guest::InstanceRunner runner;
};

// Where a revision's run report lives under a bisection's report
// directory: "runs/<12 hex digits>-<mode>/index.html" (one per mode: the
// same commit is judged differently in syzbot and pipehang mode).
std::string run_report_path(const Commit &c, const Mode &mode);

// One judgement as the bisection records it, from the oracle's typed result
// (never from its printed lines or JSON): the verdict, the crash title when
// bad (TARGET, rule 3), the reason when skip, the syzbot-style lines
// ("boot failed: ...", "run #0: OK", "all runs: OK") and whether the
// reproducer's entry point was missing (ENOSYS) in any run.
TestOutcome test_outcome(const oracle::Decision &d, const oracle::Evidence &ev, const std::string &target);

class KernelOracle : public Oracle {
public:
	explicit KernelOracle(KernelOracleOptions opt) : opt_(std::move(opt)) {}
	BuildOutcome build(const Commit &c) override;
	TestOutcome test(const Commit &c, const Mode &mode) override;

private:
	KernelOracleOptions opt_;
};

// Hash of a kernel's configuration: its CONFIG_ lines (comments and the
// header left out), 64 hex digits; "" when the file cannot be read. Joins
// the signature in the verdict-reuse key.
std::string config_hash(const std::filesystem::path &dot_config);

// The build script's exit statuses for bad input (its header): a usage
// error (e.g. TREE is not a kernel source tree), and "the configuration
// lacks what the oracle needs" (harness/kernel-config/required.config).
// Neither is a failed build (skip): both would be the same on every revision.
constexpr int kBuildScriptUsage = 2;
constexpr int kConfigUnusable = 3;

// Applies syzbot's rule to a skip caused by a missing entry point.
void apply_mode(TestOutcome &t, const Mode &mode);

} // namespace pipehang::bisect

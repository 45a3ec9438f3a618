// Where a verdict is reached: boot the standard guest (guest::run_instance)
// as few times as possible, read each boot's console into run outcomes
// (evidence.h) and ask the decision rule (decide.h) after every boot.
#include "oracle/judge.h"

#include "guest/instance.h"
#include "guest/kernel.h"
#include "oracle/boot_watch.h"
#include "oracle/console_dir.h"
#include "oracle/evidence.h"
#include "oracle/judge_json.h"
#include "oracle/repro_command.h"
#include "report/classifier.h"
#include "util/interrupt.h"
#include "util/progress.h"

#include <fmt/format.h>

#include <chrono>

namespace pipehang::oracle {

using namespace pipehang::guest;
using util::progress;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t)
{
	return std::chrono::duration<double>(Clock::now() - t).count();
}

// What one boot for WANT runs showed. A harness problem is thrown: it must
// never become a kernel verdict.
struct Boot {
	InstanceResult instance;
	BootReading reading;
	bool target_seen = false;
};

Boot boot_for_runs(const JudgeOptions &opt, const Kernel &k, const GuestImage &img, const std::string &custom_repro,
		   int want, int first_index, const std::filesystem::path &console_file)
{
	InstanceRequest req;
	req.kernel = &k;
	req.image = &img;
	req.settings = opt.guest;
	req.mode = "oracle";
	req.conf = {{"PH_RUNS", std::to_string(want)},
		    {"PH_RUN_TIMEOUT", std::to_string(opt.run_timeout)},
		    {"PH_REPRO", custom_repro.empty() ? "/bin/" + opt.repro : "/bin/repro-custom"},
		    {"PH_REPRO_ARGS", repro_args(opt)}};
	if (!custom_repro.empty())
		req.files["/bin/repro-custom"] = custom_repro;
	req.timeout = std::chrono::seconds(opt.boot_timeout + (want + 1) * opt.run_timeout);
	req.console_file = console_file;
	req.sink = opt.on_console;
	BootWatch watch({opt.target, opt.boot_timeout, opt.run_timeout, opt.early_stop});
	std::size_t started = 0, scan = 0;
	req.watch = [&](const std::string &console) {
		// Progress: one line per run started, from the new part only.
		static constexpr std::string_view tag = "PIPEHANG: run-start ";
		for (std::size_t pos = scan; (pos = console.find(tag, pos)) != std::string::npos; pos += tag.size())
			progress("run #{} started", first_index + int(started++));
		scan = console.size() >= tag.size() ? std::max(scan, console.size() - tag.size() + 1) : 0;
		return watch(console);
	};

	Boot b;
	b.instance = run_instance(req);
	const InstanceResult &r = b.instance;
	if (r.end == InstanceEnd::interrupted)
		throw util::Interrupted(util::interrupted());
	if (r.end == InstanceEnd::infra_error)
		throw std::runtime_error(r.reason);
	ReadingOptions ro;
	ro.target = opt.target;
	ro.allow_fallback = opt.fallback;
	ro.module_wanted = opt.policy.require_module;
	ro.first_index = first_index;
	ro.vm_end_reason = r.end == InstanceEnd::exited ? "" : r.reason;
	b.reading = read_boot(r.markers, report::classify(r.console), ro);
	b.target_seen = watch.target_seen();
	return b;
}

} // namespace

JudgeResult judge(const JudgeOptions &opt)
{
	auto t0 = Clock::now();
	auto say = [&](const std::string &line) {
		if (opt.on_line)
			opt.on_line(line);
	};
	check_judge_options(opt);

	std::string spec = opt.kernel.empty() ? default_debian_kernel() : opt.kernel;
	Kernel k = resolve_kernel(spec);
	progress("kernel {} ({}, release {})", k.bzimage.string(), to_string(k.kind),
		 k.release.empty() ? "?" : k.release);
	ImageOptions iopt = opt.image;
	iopt.with_module = opt.policy.require_module;
	GuestImage img = build_guest_image(k, iopt);
	std::string custom_repro = custom_reproducer(opt, img);
	JudgeTimings tm;
	tm.prepare_seconds = since(t0);
	nlohmann::json out = judgement_json(opt, spec, k, img);

	Evidence ev;
	Decision d;
	if (opt.policy.require_module && !img.module.ok) {
		// The module cannot be in the guest: no boot can give a verdict.
		ev.module_loaded = false;
		ev.module_error = img.module.error;
		d = decide(ev, opt.policy);
		say("verdict: skip: " + d.reason);
		tm.total_seconds = since(t0);
		add_decision(out, d, tm);
		return {d, ev, out};
	}
	// Made only now that there will be a boot.
	auto console_dir = make_console_dir(opt.console_dir);
	out["console_dir"] = console_dir.string();
	progress("serial consoles kept in {}", console_dir.string());
	int want = opt.policy.runs;
	while (true) {
		tm.boots++;
		say(fmt::format("booting {} ({} run{}{}), boot #{}", k.release.empty() ? spec : k.release, want,
				want == 1 ? "" : "s",
				opt.guest.throttle_bps
					? fmt::format(", disk writes limited to {} B/s", opt.guest.throttle_bps)
					: "",
				tm.boots));
		auto console_file = console_dir / fmt::format("console-{}.log", tm.boots);
		Boot boot = boot_for_runs(opt, k, img, custom_repro, want, int(ev.runs.size()), console_file);
		const BootReading &b = boot.reading;
		tm.vm_seconds += boot.instance.seconds;
		out["boots"].push_back(boot_json(tm.boots, boot.instance, b.booted, b.finished, console_file));
		for (auto &rep : b.reports)
			out["reports"].push_back(rep);
		for (auto &det : b.run_details)
			out["runs"].push_back(det);

		if (tm.boots == 1) {
			ev.booted = b.booted;
			ev.boot_failure = b.boot_failure;
			ev.module_loaded = b.module_loaded || !opt.policy.require_module;
			ev.module_error = b.module_error;
			ev.setup_failure = b.setup_failure;
			if (!b.booted)
				say("boot failed: " + b.boot_failure);
		} else if (!b.booted) {
			// A later boot that fails loses the runs it was for.
			for (int i = 0; i < want; i++)
				ev.runs.push_back({int(ev.runs.size()), RunStatus::lost, "",
						   "boot failed on retry: " + b.boot_failure});
		}
		for (auto &run : b.runs) {
			ev.runs.push_back(run);
			say(run_line(run));
		}
		if (b.booted && b.runs.size() < std::size_t(want) && !boot.target_seen && b.setup_failure.empty())
			progress("boot #{} ended after {} of {} runs: {}", tm.boots, b.runs.size(), want,
				 boot.instance.end == InstanceEnd::exited ? "VM stopped" : boot.instance.reason);

		d = decide(ev, opt.policy);
		if (d.final)
			break;
		if (tm.boots >= opt.max_boots) {
			Policy last = opt.policy;
			last.max_runs = int(ev.runs.size()); // no budget left: decide now
			d = decide(ev, last);
			if (!d.final) { // cannot happen with a zero budget; be safe
				d.final = true;
				d.verdict = Verdict::skip;
			}
			break;
		}
		say(d.reason);
		want = d.more_runs;
	}

	if (d.verdict == Verdict::good)
		say("all runs: OK");
	say(fmt::format("verdict: {}: {} (confidence {:.2f})", to_string(d.verdict), d.reason, d.confidence));
	tm.total_seconds = since(t0);
	add_decision(out, d, tm);
	return {d, ev, out};
}

} // namespace pipehang::oracle

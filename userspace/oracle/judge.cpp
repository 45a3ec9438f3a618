// Where a verdict is reached: boot the standard guest (guest::run_instance)
// as few times as possible, read each boot's console into run outcomes
// (evidence.h) and ask the decision rule (decide.h) after every boot. A
// boot the emulator spoilt (emulator_fault.h) is not evidence: it is
// counted and the kernel booted again under tcg-single.
#include "oracle/judge.h"

#include "guest/instance.h"
#include "guest/kernel.h"
#include "oracle/boot_watch.h"
#include "oracle/console_dir.h"
#include "oracle/emulator_fault.h"
#include "oracle/evidence.h"
#include "oracle/judge_boots.h"
#include "oracle/judge_json.h"
#include "oracle/repro_command.h"
#include "report/classifier.h"
#include "report/console_lines.h"
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
	std::vector<report::Report> reports;
	BootReading reading;
	bool target_seen = false;
};

Boot boot_for_runs(const JudgeOptions &opt, const BootPlan &plan, const GuestSettings &settings,
		   const InstanceRunner &runner, int want, int first_index, const std::filesystem::path &console_file)
{
	InstanceRequest req = oracle_request(opt, plan, settings, want);
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
	b.instance = runner(req);
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
	std::vector<std::string_view> raw;
	for (std::string_view rest = r.console; !rest.empty();) {
		auto nl = rest.find('\n');
		raw.push_back(rest.substr(0, nl));
		rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
	}
	ro.line_seconds = [&raw](std::size_t line) -> std::optional<double> {
		if (line >= raw.size())
			return std::nullopt;
		auto us = report::kernel_time_us(raw[line]);
		return us ? std::optional<double>(double(*us) / 1e6) : std::nullopt;
	};
	b.reports = report::classify(r.console);
	b.reading = read_boot(r.markers, b.reports, ro);
	b.target_seen = watch.target_seen();
	return b;
}

// "; not counted: 1 emulator fault (boot #1), re-booted under tcg-single"
std::string faults_note(const std::vector<EmulatorFault> &faults)
{
	if (faults.empty())
		return "";
	std::vector<std::string> boots;
	for (auto &f : faults)
		boots.push_back(fmt::format("#{}", f.boot));
	return fmt::format("; not counted: {} emulator fault{} (boot {}), re-booted under {}", faults.size(),
			   faults.size() == 1 ? "" : "s", fmt::join(boots, ", "), kFaultFreeAccel);
}

} // namespace

InstanceRequest oracle_request(const JudgeOptions &opt, const BootPlan &plan, const GuestSettings &settings, int want)
{
	InstanceRequest req;
	req.kernel = plan.kernel;
	req.image = plan.image;
	req.settings = settings;
	req.mode = "oracle";
	req.conf = {{"PH_RUNS", std::to_string(want)},
		    {"PH_RUN_TIMEOUT", std::to_string(opt.run_timeout)},
		    {"PH_REPRO", plan.custom_repro.empty() ? "/bin/" + opt.repro : "/bin/repro-custom"},
		    {"PH_REPRO_ARGS", repro_args(opt)}};
	if (!plan.custom_repro.empty())
		req.files["/bin/repro-custom"] = plan.custom_repro;
	req.timeout = std::chrono::seconds(opt.boot_timeout + (want + 1) * opt.run_timeout);
	return req;
}

void judge_boots(const JudgeOptions &opt, const BootPlan &plan, const InstanceRunner &runner, JudgeResult &res,
		 JudgeTimings &tm)
{
	auto say = [&](const std::string &line) {
		if (opt.on_line)
			opt.on_line(line);
	};
	Evidence &ev = res.evidence;
	Decision &d = res.decision;
	nlohmann::json &out = res.json;
	// Becomes tcg-single for the rest of the judgement after an emulator fault.
	GuestSettings settings = opt.guest;
	int counted = 0; // boots whose outcome is evidence
	int want = opt.policy.runs;
	while (true) {
		tm.boots++;
		say(fmt::format("booting {} ({} run{}{}{}), boot #{}", plan.name, want, want == 1 ? "" : "s",
				opt.guest.throttle_bps
					? fmt::format(", disk writes limited to {} B/s", opt.guest.throttle_bps)
					: "",
				settings.accel == opt.guest.accel ? "" : ", under " + settings.accel, tm.boots));
		auto console_file = plan.console_dir / fmt::format("console-{}.log", tm.boots);
		Boot boot = boot_for_runs(opt, plan, settings, runner, want, int(ev.runs.size()), console_file);
		const BootReading &b = boot.reading;
		tm.vm_seconds += boot.instance.seconds;
		out["boots"].push_back(boot_json(tm.boots, boot.instance, b.booted, b.finished, console_file));

		if (auto fault = emulator_fault(tm.boots, boot.instance.accel, settings.smp, boot.instance.markers,
						boot.reports)) {
			// Not the kernel's: nothing of this boot is evidence.
			ev.emulator_faults.push_back(*fault);
			out["boots"].back()["emulator_fault"] = true;
			out["emulator_faults"] = emulator_faults_json(ev.emulator_faults);
			if (tm.boots >= opt.max_boots)
				throw std::runtime_error(fmt::format("{}, and no boot is left (--max-boots {}) to boot "
								     "it again under {}: no verdict",
								     fault_line(*fault), opt.max_boots,
								     kFaultFreeAccel));
			say(fault_line(*fault) + "; re-booting under " + std::string(kFaultFreeAccel));
			settings.accel = kFaultFreeAccel;
			continue;
		}
		if (!ev.emulator_faults.empty())
			if (auto trap = int3_summary(boot.reports); !trap.empty())
				say(fmt::format("boot #{}: {} again under {}: judged as the kernel's", tm.boots, trap,
						boot.instance.accel));
		for (auto &rep : b.reports)
			out["reports"].push_back(rep);
		for (auto det : b.run_details) {
			det["boot"] = tm.boots; // its console: boots[boot - 1]
			out["runs"].push_back(det);
		}

		if (++counted == 1) {
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
		if (opt.on_report)
			opt.on_report(out, false);
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
	say(fmt::format("verdict: {}: {} (confidence {:.2f}){}", to_string(d.verdict), d.reason, d.confidence,
			faults_note(ev.emulator_faults)));
}

JudgeResult judge(const JudgeOptions &opt)
{
	auto t0 = Clock::now();
	check_judge_options(opt);

	std::string spec = opt.kernel.empty() ? default_debian_kernel() : opt.kernel;
	Kernel k = resolve_kernel(spec);
	progress("kernel {} ({}, release {})", k.bzimage.string(), to_string(k.kind),
		 k.release.empty() ? "?" : k.release);
	ImageOptions iopt = opt.image;
	iopt.with_module = opt.policy.require_module;
	GuestImage img = build_guest_image(k, iopt);
	JudgeTimings tm;
	JudgeResult res;
	res.json = judgement_json(opt, spec, k, img);
	BootPlan plan;
	plan.kernel = &k;
	plan.image = &img;
	plan.name = k.release.empty() ? spec : k.release;
	plan.custom_repro = custom_reproducer(opt, img);
	tm.prepare_seconds = since(t0);

	if (opt.policy.require_module && !img.module.ok) {
		// The module cannot be in the guest: no boot can give a verdict.
		res.evidence.module_loaded = false;
		res.evidence.module_error = img.module.error;
		res.decision = decide(res.evidence, opt.policy);
		if (opt.on_line)
			opt.on_line("verdict: skip: " + res.decision.reason);
		tm.total_seconds = since(t0);
		add_decision(res.json, res.decision, tm);
		if (opt.on_report)
			opt.on_report(res.json, true);
		return res;
	}
	// Made only now that there will be a boot.
	plan.console_dir = make_console_dir(opt.console_dir);
	res.json["console_dir"] = plan.console_dir.string();
	progress("serial consoles kept in {}", plan.console_dir.string());
	if (opt.on_report)
		opt.on_report(res.json, false); // the settings, before the first boot
	try {
		judge_boots(opt, plan, opt.runner ? opt.runner : InstanceRunner(run_instance), res, tm);
	} catch (...) {
		// A harness error (or an interrupt) leaves no empty console
		// directory behind; consoles with content stay as evidence.
		discard_empty_consoles(plan.console_dir, opt.console_dir.empty());
		throw;
	}
	tm.total_seconds = since(t0);
	add_decision(res.json, res.decision, tm);
	if (opt.on_report)
		opt.on_report(res.json, true);
	return res;
}

} // namespace pipehang::oracle

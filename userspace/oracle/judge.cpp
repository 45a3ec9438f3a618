#include "oracle/judge.h"

#include "guest/boot.h"
#include "guest/guest_image.h"
#include "guest/kernel.h"
#include "oracle/evidence.h"
#include "report/classifier.h"
#include "util/interrupt.h"
#include "util/process.h"
#include "util/progress.h"
#include "util/temp_dir.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <unistd.h>

namespace pipehang::oracle {

using namespace pipehang::util;

using namespace pipehang::guest;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t)
{
	return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string join(const std::vector<std::string> &v, const std::string &sep)
{
	std::string out;
	for (auto &s : v)
		out += (out.empty() ? "" : sep) + s;
	return out;
}

// Watches one boot's console: boot limit, stall limit, early stop shortly
// after the target report appears (the grace lets its stack finish).
class BootWatch {
public:
	BootWatch(const JudgeOptions &opt) : opt_(opt), start_(Clock::now()), last_progress_(start_) {}

	std::string operator()(const std::string &console)
	{
		auto now = Clock::now();
		if (console.size() != seen_) {
			std::size_t from = seen_ > 64 ? seen_ - 64 : 0;
			if (!booted_ && console.find("PIPEHANG: boot ", from) != std::string::npos)
				booted_ = true;
			auto markers = count_markers(console);
			if (markers != markers_) {
				markers_ = markers;
				last_progress_ = now;
			}
			if (opt_.early_stop && !target_seen_ &&
			    (console.find("blocked for more than", from) != std::string::npos ||
			     console.find("pipewatch: ", from) != std::string::npos ||
			     console.find("soft lockup", from) != std::string::npos ||
			     console.find("detected stall", from) != std::string::npos || hot_))
				hot_ = true;
			seen_ = console.size();
		}
		if (hot_ && !target_seen_ && now - last_classify_ > std::chrono::milliseconds(500)) {
			last_classify_ = now;
			for (auto &r : report::classify(console))
				if (r.title == opt_.target || holder_spin(r)) {
					target_seen_ = true;
					stop_at_ = now + std::chrono::seconds(2);
				}
		}
		if (target_seen_ && now >= stop_at_)
			return "early stop: " + opt_.target;
		if (!booted_ && now - start_ > std::chrono::seconds(opt_.boot_timeout))
			return fmt::format("no boot marker after {} s (kernel hangs before userspace?)",
					   opt_.boot_timeout);
		if (booted_ && now - last_progress_ > std::chrono::seconds(opt_.run_timeout))
			return fmt::format("no progress for {} s (guest stalled)", opt_.run_timeout);
		return "";
	}

	bool target_seen() const { return target_seen_; }

private:
	std::size_t count_markers(const std::string &console)
	{
		// Incremental count of marker tags.
		std::size_t pos = counted_upto_ > 16 ? counted_upto_ - 16 : 0;
		while ((pos = console.find("PIPEHANG: ", pos)) != std::string::npos) {
			if (pos >= counted_upto_)
				total_markers_++;
			pos += 10;
		}
		counted_upto_ = console.size();
		return total_markers_;
	}

	const JudgeOptions &opt_;
	Clock::time_point start_, last_progress_, last_classify_{}, stop_at_{};
	std::size_t seen_ = 0, markers_ = 0, total_markers_ = 0, counted_upto_ = 0;
	bool booted_ = false, hot_ = false, target_seen_ = false;
};

// Without --console-dir, each judgement keeps its consoles in a fresh
// directory under the cache: $cache/consoles/<UTC time>-<pid>. Those older
// than kConsoleKeepDays are removed here, so the cache does not grow
// without bound (a console is ~30 KB).
constexpr int kConsoleKeepDays = 14;

std::filesystem::path new_console_dir()
{
	namespace fs = std::filesystem;
	fs::path root = cache_root() / "consoles";
	std::error_code ec;
	auto limit = fs::file_time_type::clock::now() - std::chrono::hours(24 * kConsoleKeepDays);
	for (auto it = fs::directory_iterator(root, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
		std::error_code ec2;
		if (it->is_directory(ec2) && fs::last_write_time(it->path(), ec2) < limit && !ec2)
			fs::remove_all(it->path(), ec2);
	}
	std::time_t now = std::time(nullptr);
	std::tm tm{};
	gmtime_r(&now, &tm);
	char stamp[32];
	std::strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	return root / fmt::format("{}-{}", stamp, getpid());
}

std::string repro_args(const JudgeOptions &opt)
{
	// --close-delay-ms 200: under TCG on a busy host the default few ms
	// are not always enough for the splicer to take pipe->mutex before the
	// close; on a fast disk the splice is long over by then (no cost), on
	// a slow one it holds the mutex for seconds (no loss).
	std::vector<std::string> a = {"--iterations",     "1",
				      "--entry",          opt.fallback ? "auto" : "openat2",
				      "--close-delay-ms", "200",
				      "--fill",           opt.fill,
				      "--time-limit",     std::to_string(std::max(5, opt.run_timeout - 10))};
	if (!opt.deny.empty())
		a.insert(a.end(), {"--deny", join(opt.deny, ",")});
	a.insert(a.end(), opt.repro_args.begin(), opt.repro_args.end());
	return join(a, " ");
}

} // namespace

JudgeResult judge(const JudgeOptions &opt)
{
	auto t0 = Clock::now();
	auto say = [&](const std::string &line) {
		if (opt.on_line)
			opt.on_line(line);
	};
	if (!have_program(opt.guest.qemu))
		throw std::runtime_error("QEMU not found: '" + opt.guest.qemu +
					 "' (install qemu-system-x86 or pass --qemu)");
	if (opt.fill != "pages" && opt.fill != "gap" && opt.fill != "mixed")
		throw std::invalid_argument("--fill: '" + opt.fill + "' is not one of pages, gap, mixed");
	for (auto &d : opt.deny)
		if (d.empty() || d.find_first_of(" '\"\\;$`") != std::string::npos)
			throw std::invalid_argument("--deny: bad syscall name '" + d + "'");

	std::string spec = opt.kernel.empty() ? default_debian_kernel() : opt.kernel;
	Kernel k = resolve_kernel(spec);
	progress("kernel {} ({}, release {})", k.bzimage.string(), to_string(k.kind),
		 k.release.empty() ? "?" : k.release);
	ImageOptions iopt = opt.image;
	iopt.with_module = opt.policy.require_module;
	GuestImage img = build_guest_image(k, iopt);
	std::string custom_repro;
	if (!opt.repro_file.empty()) {
		try {
			custom_repro = read_file(opt.repro_file);
		} catch (const std::exception &) {
			throw std::invalid_argument("cannot read --repro-file " + opt.repro_file);
		}
	} else if (std::find(img.reproducers.begin(), img.reproducers.end(), opt.repro) == img.reproducers.end())
		throw std::runtime_error("reproducer " + opt.repro + " not found next to pipehang (build it first)");
	std::string repro_path = custom_repro.empty() ? "/bin/" + opt.repro : "/bin/repro-custom";
	double prepare_s = since(t0);

	json out;
	out["target"] = opt.target;
	out["kernel"] = {{"spec", spec},
			 {"kind", to_string(k.kind)},
			 {"bzimage", k.bzimage.string()},
			 {"release", k.release},
			 {"signature", k.signature}};
	out["module"] = {{"requested", opt.policy.require_module},
			 {"built", img.module.ok},
			 {"error", img.module.error},
			 {"cached", img.module.cached}};
	out["image"] = {{"cpio", img.cpio.string()},
			{"key", img.key},
			{"kernel_modules", img.kernel_modules},
			{"missing_kernel_modules", img.missing_modules}};
	out["settings"] = {{"runs", opt.policy.runs},
			   {"max_runs", opt.policy.max_runs},
			   {"fallback", opt.fallback},
			   {"deny", opt.deny},
			   {"fill", opt.fill},
			   {"disk_throttle_bps", opt.guest.throttle_bps},
			   {"other_crash", opt.policy.other_crash == OtherCrash::bad ? "bad" : "skip"},
			   {"hung_task_timeout_secs", opt.guest.hung_secs},
			   {"repro_args", repro_args(opt)}};
	out["boots"] = json::array();
	out["runs"] = json::array();
	out["reports"] = json::array();

	Evidence ev;
	Decision d;
	if (opt.policy.require_module && !img.module.ok) {
		// The module cannot be in the guest: no boot can give a verdict.
		ev.module_loaded = false;
		ev.module_error = img.module.error;
		d = decide(ev, opt.policy);
		say("verdict: skip: " + d.reason);
		out["verdict"] = "skip";
		out["exit_code"] = exit_code(d.verdict);
		out["reason"] = d.reason;
		out["confidence"] = d.confidence;
		out["timings"] = {{"total_seconds", since(t0)}, {"prepare_seconds", prepare_s}, {"boots", 0}};
		return {d, ev, out};
	}
	int want = opt.policy.runs;
	int boots = 0;
	double boot_total = 0;
	// Made only now that there will be a boot (no empty directory for a
	// verdict decided without one).
	std::filesystem::path console_dir =
		opt.console_dir.empty() ? new_console_dir() : std::filesystem::path(opt.console_dir);
	{
		std::error_code ec;
		std::filesystem::create_directories(console_dir, ec);
		if (ec)
			throw std::runtime_error("cannot create console directory " + console_dir.string() + ": " +
						 ec.message());
	}
	out["console_dir"] = console_dir.string();
	progress("serial consoles kept in {}", console_dir.string());
	while (true) {
		boots++;
		BootRequest req = make_boot_request(k, img, opt.guest, "oracle",
						    {{"PH_RUNS", std::to_string(want)},
						     {"PH_RUN_TIMEOUT", std::to_string(opt.run_timeout)},
						     {"PH_REPRO", repro_path},
						     {"PH_REPRO_ARGS", repro_args(opt)}});
		if (!custom_repro.empty())
			req.files["/bin/repro-custom"] = custom_repro;
		req.qemu.timeout = std::chrono::seconds(opt.boot_timeout + (want + 1) * opt.run_timeout);
		// The serial console goes to its file as it arrives, so it is there
		// even when the harness fails mid-boot.
		auto console_file = console_dir / fmt::format("console-{}.log", boots);
		std::ofstream console_out(console_file, std::ios::binary | std::ios::trunc);
		if (!console_out)
			throw std::runtime_error("cannot write console file " + console_file.string());
		BootWatch watch(opt);
		std::size_t runs_started = 0, run_scan = 0;
		req.sink = [&](std::string_view chunk) {
			console_out.write(chunk.data(), chunk.size()).flush();
			if (opt.on_console)
				opt.on_console(chunk);
		};
		say(fmt::format("booting {} ({} run{}{}), boot #{}", k.release.empty() ? spec : k.release, want,
				want == 1 ? "" : "s",
				opt.guest.throttle_bps
					? fmt::format(", disk writes limited to {} B/s", opt.guest.throttle_bps)
					: "",
				boots));
		req.watch = [&](const std::string &console) {
			// Progress: one line per run started. Only the new part of
			// the console is searched (the watcher runs per chunk).
			static constexpr std::string_view tag = "PIPEHANG: run-start ";
			std::size_t pos = run_scan;
			while ((pos = console.find(tag, pos)) != std::string::npos) {
				progress("run #{} started", int(ev.runs.size() + runs_started++));
				pos += tag.size();
			}
			run_scan =
				console.size() >= tag.size() ? std::max(run_scan, console.size() - tag.size() + 1) : 0;
			return watch(console);
		};
		BootResult r = boot_guest(req);
		auto &p = r.qemu.proc;
		if (!p.started)
			throw std::runtime_error("cannot start QEMU: " + p.start_error);
		if (p.term_signal)
			throw std::runtime_error("QEMU " + p.describe() + " (killed from outside the harness?)");
		if (r.qemu.stop_reason.empty() && p.exit_code != 0) {
			std::string err = p.errors;
			while (!err.empty() && err.back() == '\n')
				err.pop_back();
			throw std::runtime_error("QEMU " + p.describe() + ": " + err);
		}
		boot_total += r.qemu.seconds;
		if (!console_out.flush())
			throw std::runtime_error("cannot write console file " + console_file.string() +
						 " (disk full?)");
		auto reports = report::classify(r.qemu.console);
		ReadingOptions ro;
		ro.target = opt.target;
		ro.allow_fallback = opt.fallback;
		ro.module_wanted = opt.policy.require_module;
		ro.first_index = int(ev.runs.size());
		ro.vm_end_reason = r.qemu.stop_reason;
		if (ro.vm_end_reason.empty() && !r.booted)
			ro.vm_end_reason = "the VM ended before the guest init ran";
		BootReading b = read_boot(r.markers, reports, ro);
		out["boots"].push_back({{"boot", boots},
					{"seconds", r.qemu.seconds},
					{"boot_seconds", r.boot_seconds},
					{"accel", r.qemu.accel},
					{"booted", b.booted},
					{"finished", b.finished},
					{"stop_reason", r.qemu.stop_reason},
					{"console_bytes", r.qemu.console.size()},
					{"console", console_file.string()}});
		for (auto &rep : b.reports)
			out["reports"].push_back(rep);
		for (auto &det : b.run_details)
			out["runs"].push_back(det);

		if (boots == 1) {
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
			std::string line = run_line(run);
			if (run.status == RunStatus::target && !out["runs"].empty())
				for (auto &det : out["runs"])
					if (det.value("run", -1) == run.index && det.contains("holder"))
						line += " [holder " + det["holder"].get<std::string>() + "]";
			say(line);
		}
		if (b.booted && b.runs.size() < std::size_t(want) && !watch.target_seen() && b.setup_failure.empty())
			progress("boot #{} ended after {} of {} runs: {}", boots, b.runs.size(), want,
				 r.qemu.stop_reason.empty() ? "VM stopped" : r.qemu.stop_reason);

		d = decide(ev, opt.policy);
		if (d.final)
			break;
		if (boots >= opt.max_boots) {
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

	out["verdict"] = std::string(to_string(d.verdict));
	out["exit_code"] = exit_code(d.verdict);
	out["reason"] = d.reason;
	out["confidence"] = d.confidence;
	out["counts"] = {{"total", d.counts.total},
			 {"clean", d.counts.clean},
			 {"target", d.counts.target},
			 {"other_crash", d.counts.other_crash},
			 {"not_exercised", d.counts.not_exercised},
			 {"repro_failed", d.counts.repro_failed},
			 {"lost", d.counts.lost}};
	double run_sum = 0;
	int run_n = 0;
	for (auto &r : out["runs"])
		if (r.contains("seconds")) {
			run_sum += r["seconds"].get<double>();
			run_n++;
		}
	out["timings"] = {{"total_seconds", since(t0)},
			  {"prepare_seconds", prepare_s},
			  {"vm_seconds", boot_total},
			  {"boots", boots},
			  {"mean_run_seconds", run_n ? run_sum / run_n : -1.0}};
	return {d, ev, out};
}

} // namespace pipehang::oracle

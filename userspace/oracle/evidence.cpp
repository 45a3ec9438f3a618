#include "oracle/evidence.h"

#include "report/holder.h"
#include "report/holder_frames.h"
#include "report/report_json.h"

#include <fmt/format.h>

#include <limits>

namespace pipehang::oracle {

using guest::Marker;
using nlohmann::json;

// A soft lockup or RCU stall whose stack runs through
// iter_file_splice_write() is the pipe->mutex holder itself, spinning (the
// zero-length-bvec bug: iov_iter_alignment() never advances). It is the
// same bug seen from the holder's side, not another crash: it must neither
// hide the target nor turn the run into "other crash".
bool holder_spin(const report::Report &r)
{
	if (r.type != report::ReportType::Lockup && r.type != report::ReportType::Stall)
		return false;
	return r.text.find("iter_file_splice_write") != std::string::npos;
}

namespace {

// The two sides of a hang from the report that named them, for the run's
// JSON and the HTML report: who waited and who held, their stacks, the pipe
// and the times (pipewatch fields; the kernel's own report has only the
// tasks and stacks).
json hang_sides(const report::Report &r)
{
	auto field = [&](const char *key) {
		auto it = r.fields.find(key);
		return it == r.fields.end() ? std::string() : it->second;
	};
	json stacks = json::object();
	for (const auto &s : r.stacks)
		if (!stacks.contains(s.label))
			stacks[s.label] = s.frames;
	// The kernel's report: the hung task's own trace is the waiter's.
	if (!stacks.contains("waiter") && stacks.contains("call trace"))
		stacks["waiter"] = stacks["call trace"];
	json out = {{"source", r.source},
		    {"title", r.title},
		    {"waiter", field("waiter")},
		    {"holder", field("holder")},
		    {"holder_state", field("holder_state")},
		    {"pipe_ino", field("pipe_ino")},
		    {"waited_ms", field("waited_ms")},
		    {"held_ms", field("held_ms")},
		    {"waiter_stack", stacks.value("waiter", json::array())},
		    {"holder_stack", stacks.value("holder", json::array())},
		    {"holder_frames", report::holder_frames(r)}};
	return out;
}

// A report's text in the verdict JSON is cut here: a verdict lists every
// report of every boot, and the consoles are kept whole anyway.
constexpr std::size_t kReportTextLimit = 8000;

// The entry point a reproducer line (contract 1) says the kernel lacks: not
// exercised because the entry returned ENOSYS ("error", the errno name, or
// "reason_code"); empty when the line says nothing of the kind.
std::string unavailable_entry(const json &line)
{
	if (!line.is_object() || line.value("exercised", true) || !line.contains("entry") || !line["entry"].is_string())
		return "";
	bool enosys = line.value("error", json()) == "ENOSYS" || line.value("reason_code", json()) == "ENOSYS";
	return enosys ? line["entry"].get<std::string>() : "";
}

// Reproducer verdict for one finished run from its JSON lines and exit.
void judge_repro(RunOutcome &out, const json &lines, int exit_status, bool allow_fallback)
{
	std::string reason;
	bool not_exercised = false;
	for (auto &l : lines) {
		if (!l.is_object())
			continue;
		if (l.value("fallback", false) && !allow_fallback) {
			not_exercised = true;
			reason = "fell back to " + l.value("entry", std::string("another entry point")) +
				 " without --fallback";
		}
		if (l.contains("exercised") && !l.value("exercised", true)) {
			not_exercised = true;
			reason = l.value("reason", l.value("error", std::string("exercised=false")));
		}
	}
	for (auto &l : lines)
		if (!l.is_object()) {
			// Console damage cut into the line: whether the path was
			// exercised is unknown, so this run cannot count as clean.
			out.status = RunStatus::repro_failed;
			out.detail = "unreadable reproducer line on the console (corrupted output)";
			return;
		}
	if (exit_status == 4 || not_exercised) {
		out.status = RunStatus::not_exercised;
		out.detail = reason.empty() ? "reproducer exit 4" : reason;
		return;
	}
	if (exit_status == 124 || exit_status == 143) {
		out.status = RunStatus::repro_failed;
		out.detail = "reproducer timed out in the guest";
		return;
	}
	if (exit_status != 0) {
		out.status = RunStatus::repro_failed;
		std::string why;
		for (auto &l : lines)
			if (l.is_object() && l.contains("reason"))
				why = l.value("reason", "");
		out.detail = fmt::format("exit {}{}{}", exit_status, why.empty() ? "" : ": ", why);
		return;
	}
	if (lines.empty()) {
		out.status = RunStatus::repro_failed;
		out.detail = "exit 0 but no JSON line (contract 1)";
		return;
	}
	out.status = RunStatus::clean;
}

} // namespace

BootReading read_boot(const std::vector<Marker> &markers, const std::vector<report::Report> &reports,
		      const ReadingOptions &opt)
{
	BootReading b;
	constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
	std::size_t boot_line = none;
	for (auto &m : markers) {
		if (!m.valid)
			continue;
		if (m.event == "boot" && boot_line == none)
			boot_line = m.line;
		else if (m.event == "module") {
			b.module_loaded = m.data.value("loaded", false);
			if (!b.module_loaded)
				b.module_error =
					m.data.value("error", m.data.value("disabled", false) ? "disabled" : "unknown");
		} else if (m.event == "disk" && !m.data.value("mounted", false))
			b.setup_failure = "test disk not mounted: " + m.data.value("error", std::string("?"));
		else if (m.event == "done")
			b.finished = true;
	}
	for (auto &r : reports)
		b.reports.push_back(report::to_json(r, kReportTextLimit));
	b.booted = boot_line != none;
	// Report lines are 1-based, marker lines 0-based.
	auto line0 = [](const report::Report &r) { return r.start_line ? r.start_line - 1 : 0; };
	if (!b.booted) {
		b.boot_failure = reports.empty() ? (opt.vm_end_reason.empty() ? "no output from the guest init"
									      : opt.vm_end_reason)
						 : reports.front().title;
		return b;
	}
	bool module_marker = false;
	for (auto &m : markers)
		module_marker |= m.valid && m.event == "module";
	if (!module_marker) {
		b.module_loaded = false;
		b.module_error = "the VM ended before pipewatch.ko was loaded";
	}

	// Runs: spans from each run-start to the next (or the end of the log).
	std::vector<const Marker *> starts;
	for (auto &m : markers)
		if (m.valid && m.event == "run-start")
			starts.push_back(&m);
	for (std::size_t i = 0; i < starts.size(); i++) {
		// Reports printed after boot but before the first run belong to it.
		std::size_t from = i == 0 ? boot_line : starts[i]->line;
		std::size_t to = i + 1 < starts.size() ? starts[i + 1]->line : none;
		RunOutcome out;
		out.index = opt.first_index + int(i);
		json detail = {{"run", out.index}};
		json lines = json::array();
		const Marker *end = nullptr;
		for (auto &m : markers) {
			if (m.line <= starts[i]->line || m.line >= to)
				continue;
			if (m.event == "repro")
				lines.push_back(m.valid ? m.data : json(m.raw));
			else if (m.valid && m.event == "run-end" && !end)
				end = &m;
		}
		detail["repro"] = lines;
		for (auto &l : lines)
			if (out.unavailable_entry.empty())
				out.unavailable_entry = unavailable_entry(l);
		json titles = json::array();
		const report::Report *target = nullptr, *other = nullptr, *spin = nullptr;
		for (auto &r : reports) {
			std::size_t l = line0(r);
			if (l < from || l >= to)
				continue;
			titles.push_back(r.title);
			if (r.title == opt.target) {
				if (!target || (target->corrupted && !r.corrupted))
					target = &r;
			} else if (holder_spin(r)) {
				if (!spin)
					spin = &r;
			} else if (!other)
				other = &r;
		}
		detail["reports"] = titles;
		if (target) {
			out.status = RunStatus::target;
			out.title = target->title;
			out.corrupted = target->corrupted;
			// Name the holder: from a pipewatch record first, else from
			// the kernel's own report of the owner (6.15+).
			for (int pass = 0; pass < 2 && !detail.contains("holder"); pass++)
				for (auto &r : reports)
					if (line0(r) >= from && line0(r) < to && r.title == opt.target &&
					    (r.source == "pipewatch") == (pass == 0))
						if (auto h = report::report_holder(r); !h.empty()) {
							detail["holder"] = h;
							detail["holder_frames"] = report::holder_frames(r);
							detail["hang"] = hang_sides(r);
							out.holder = h;
							break;
						}
			if (!detail.contains("hang"))
				detail["hang"] = hang_sides(*target);
		} else if (spin && !other) {
			// The closer's hung-task report did not come (yet): the
			// holder's spin alone is the bug.
			out.status = RunStatus::target;
			out.title = spin->title;
			out.corrupted = spin->corrupted;
			out.detail = "the pipe->mutex holder spins under iter_file_splice_write (" + spin->title + ")";
			// Its own report's trace is the holder's stack.
			json hang = hang_sides(*spin);
			if (hang["holder_stack"].empty() && !spin->stacks.empty()) {
				hang["holder_stack"] = spin->stacks.front().frames;
				hang["holder_frames"] = report::telling_frames(spin->stacks.front().frames);
				hang["waiter_stack"] = json::array();
			}
			detail["hang"] = hang;
		} else if (other) {
			out.status = RunStatus::other_crash;
			out.title = other->title;
			out.corrupted = other->corrupted;
		} else if (end) {
			int rc = end->data.value("exit", -1);
			detail["exit"] = rc;
			judge_repro(out, lines, rc, opt.allow_fallback);
		} else {
			out.status = RunStatus::lost;
			out.detail = opt.vm_end_reason.empty() ? "the VM ended during the run" : opt.vm_end_reason;
		}
		if (end) {
			try {
				double t0 = std::stod(starts[i]->data.value("uptime", "0"));
				double t1 = std::stod(end->data.value("uptime", "0"));
				detail["seconds"] = t1 - t0;
			} catch (const std::exception &) {
			}
		} else if (const report::Report *r = target ? target : spin; r && opt.line_seconds) {
			// Stopped at its report (early stop): the run lasted until
			// the report, by the guest's clock on both sides.
			try {
				double t0 = std::stod(starts[i]->data.value("uptime", ""));
				if (auto t1 = opt.line_seconds(line0(*r)); t1 && *t1 >= t0)
					detail["seconds_to_report"] = *t1 - t0;
			} catch (const std::exception &) {
			}
		}
		detail["status"] = std::string(to_string(out.status));
		if (!out.title.empty())
			detail["title"] = out.title;
		if (!out.detail.empty())
			detail["detail"] = out.detail;
		b.runs.push_back(out);
		b.run_details.push_back(detail);
	}
	// A crash after boot but with no run started (e.g. while loading
	// pipewatch.ko) is still evidence: one pseudo-run carries it.
	if (starts.empty()) {
		for (auto &r : reports) {
			if (line0(r) < boot_line)
				continue;
			RunOutcome out;
			out.index = opt.first_index;
			out.status = r.title == opt.target ? RunStatus::target : RunStatus::other_crash;
			out.title = r.title;
			out.corrupted = r.corrupted;
			b.runs.push_back(out);
			b.run_details.push_back({{"run", out.index},
						 {"status", std::string(to_string(out.status))},
						 {"title", out.title},
						 {"note", "before the first run"}});
			break;
		}
	}
	return b;
}

} // namespace pipehang::oracle

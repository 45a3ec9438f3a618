// The classifier's driver: one pass over the console lines that opens,
// extends and closes reports as the family table (families.cpp) says, then
// titles each report. Nothing here knows about a particular report family.
#include "report/classifier.h"

#include "report/console_lines.h"
#include "report/families.h"
#include "report/frames.h"
#include "report/hung_blocker.h"
#include "report/pattern.h"
#include "report/pipewatch_record.h"
#include "report/title.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>
#include <stdexcept>
#include <unordered_map>

namespace pipehang::report {

namespace {

// Kernel lines are at most ~1 KiB (printk's limit); longer ones are garbage
// and matching headers only in their head keeps the pass linear.
constexpr size_t kMaxHeaderScan = 1024;
constexpr size_t kTriggerLength = 5;

struct CompiledFamily {
	const Family *family;
	std::vector<Pattern> headers;
	std::vector<std::vector<Pattern>> body; // each entry: alternatives ("A|B")
};

std::vector<Pattern> alternatives(std::string_view spec)
{
	std::vector<Pattern> out;
	for (size_t from = 0;;) {
		size_t bar = spec.find('|', from);
		out.emplace_back(
			spec.substr(from, bar == std::string_view::npos ? std::string_view::npos : bar - from));
		if (bar == std::string_view::npos)
			return out;
		from = bar + 1;
	}
}

// The table compiled once, plus an index of short literal "triggers": a line
// can only start a report if it contains one, which rejects almost every
// console line with a handful of substring searches.
struct Index {
	std::vector<CompiledFamily> families;
	std::vector<std::pair<std::string, std::vector<size_t>>> triggers;
	// Keys whose first two bytes are each bigram; one table lookup per byte
	// tells whether any trigger can start there.
	std::vector<std::vector<uint8_t>> by_bigram = std::vector<std::vector<uint8_t>>(65536);
	size_t pipewatch_key = 0, end_key = 0;
};

constexpr std::string_view kEndKey = "---[ end";

uint16_t bigram(std::string_view s, size_t i)
{
	return static_cast<uint16_t>(static_cast<unsigned char>(s[i]) << 8 | static_cast<unsigned char>(s[i + 1]));
}

const Index &index()
{
	static const Index idx = [] {
		Index out;
		for (const auto &f : families()) {
			CompiledFamily cf{&f, {}, {}};
			for (auto h : f.headers)
				cf.headers.emplace_back(h);
			for (auto b : f.body)
				cf.body.push_back(alternatives(b));
			size_t n = out.families.size();
			for (const auto &p : cf.headers) {
				if (p.first_literal().empty())
					throw std::logic_error("report header patterns must start with literal text");
				std::string key(p.first_literal().substr(0, kTriggerLength));
				auto it = std::find_if(out.triggers.begin(), out.triggers.end(),
						       [&](const auto &t) { return t.first == key; });
				if (it == out.triggers.end()) {
					out.triggers.push_back({key, {}});
					it = out.triggers.end() - 1;
				}
				if (it->second.empty() || it->second.back() != n)
					it->second.push_back(n);
			}
			out.families.push_back(std::move(cf));
		}
		out.pipewatch_key = out.triggers.size();
		out.triggers.push_back({std::string(kPipewatchTag), {}});
		out.end_key = out.triggers.size();
		out.triggers.push_back({std::string(kEndKey), {}});
		if (out.triggers.size() > 64)
			throw std::logic_error("classifier: more than 64 trigger keys");
		for (size_t k = 0; k < out.triggers.size(); k++)
			out.by_bigram[bigram(out.triggers[k].first, 0)].push_back(static_cast<uint8_t>(k));
		return out;
	}();
	return idx;
}

// Which trigger keys occur in the first kMaxHeaderScan bytes of msg (bit k
// for key k). This is the only work done for the vast majority of lines.
uint64_t scan_triggers(std::string_view msg)
{
	const Index &idx = index();
	std::string_view head = msg.substr(0, kMaxHeaderScan);
	uint64_t hits = 0;
	for (size_t i = 0; i + 1 < head.size(); i++) {
		const auto &keys = idx.by_bigram[bigram(head, i)];
		if (keys.empty())
			continue;
		for (uint8_t k : keys) {
			const std::string &key = idx.triggers[k].first;
			if (head.substr(i, key.size()) == key)
				hits |= uint64_t{1} << k;
		}
	}
	return hits;
}

bool contains(std::string_view s, std::string_view p)
{
	return s.find(p) != std::string_view::npos;
}

struct HeaderMatch {
	size_t family;
	std::vector<std::string_view> caps;
	std::string_view header_func;
	std::string_view line; // from the header's first literal to the end of its line: a title's {0}
};

// kernel_seen: the kernel has printed before this line (a reboot header
// only counts then).
std::optional<HeaderMatch> match_header(std::string_view msg, uint64_t hits, bool kernel_seen = true)
{
	const Index &idx = index();
	std::string_view head = msg.substr(0, kMaxHeaderScan);
	std::optional<HeaderMatch> best;
	std::vector<std::string_view> caps;
	for (size_t k = 0; k < idx.triggers.size(); k++) {
		if (!(hits & (uint64_t{1} << k)))
			continue;
		const auto &fams = idx.triggers[k].second;
		for (size_t fi : fams) {
			if (best && fi >= best->family)
				break;
			const CompiledFamily &cf = idx.families[fi];
			if (cf.family->after_kernel_output && !kernel_seen)
				continue;
			bool vetoed = false;
			for (auto s : cf.family->suppress)
				vetoed = vetoed || contains(head, s);
			if (vetoed)
				continue;
			for (const auto &p : cf.headers) {
				caps.clear();
				if (!p.search(head, caps))
					continue;
				if (cf.family->line_start &&
				    head.substr(0, p.first_literal().size()) != p.first_literal())
					continue;
				HeaderMatch m{fi, caps, {}, {}};
				if (size_t at = head.find(p.first_literal()); at != std::string_view::npos)
					m.line = head.substr(at);
				if (p.func_capture() >= 0 && static_cast<size_t>(p.func_capture()) < caps.size())
					m.header_func = caps[static_cast<size_t>(p.func_capture())];
				best = std::move(m);
				break;
			}
		}
	}
	return best;
}

bool is_end_marker(std::string_view msg)
{
	return contains(msg, "---[ end trace") || contains(msg, "---[ end Kernel panic") ||
	       msg.substr(0, 13) == "Rebooting in ";
}

bool is_separator(std::string_view msg)
{
	size_t i = 0;
	while (i < msg.size() && msg[i] == ' ')
		i++;
	size_t n = 0;
	while (i + n < msg.size() && msg[i + n] == '=')
		n++;
	return n >= 20;
}

bool starts_trace(std::string_view msg)
{
	return contains(msg, "Call Trace:") || contains(msg, "Call trace:") || is_trace_heading(msg);
}

// A report while the scan is collecting its lines.
struct Pending {
	HeaderMatch header;
	std::string_view header_msg; // the header line, or the lines of one printk record it spans, joined
	size_t header_last = 0;      // last input line the header spans
	std::string_view context;    // printk caller of the header ("" without caller ids)
	bool timestamped = false;    // the header has a kernel timestamp: lines without one are not the kernel's
	std::vector<size_t> lines;   // line indices, header first
	bool open = true;
	bool complete = false;    // its family's end was seen
	bool reopened = false;    // extended by an aftermath header (Fold::IntoRecent)
	bool interrupted = false; // another report of the same printk caller started before it ended
	bool in_trace = false, saw_frame = false, cpu_traceback = false;
	size_t since_reopen = 0;

	const Family &family() const { return *index().families[header.family].family; }
	size_t last() const { return std::max(lines.back(), header_last); }
	// Takes lines of every printk caller (NMI backtraces of other CPUs).
	bool takes_any_context() const { return family().any_context || cpu_traceback; }
};

// How many lines of one printk record a header may span: a task name with
// a newline in it ("INFO: task \xff" / "\xfe:5612 blocked for more than...").
constexpr size_t kMaxHeaderContinuations = 3;

class Scanner {
public:
	explicit Scanner(const std::vector<ConsoleLine> &lines) : lines_(lines) {}

	void run()
	{
		for (size_t i = 0; i < lines_.size(); i++) {
			if (i >= skip_until_ && !lines_[i].replayed)
				step(i);
		}
		while (!open_.empty())
			close(reports_[open_.back()]);
	}

	std::vector<Pending> &pending() { return reports_; }
	PipewatchCollector &pipewatch() { return pipewatch_; }

private:
	// Reports are demultiplexed by printk caller: with caller ids, a report
	// of one task is not cut by another task's report that starts while it
	// is printed (syzkaller reads such consoles the same way). Without
	// caller ids there is one stream, and a new report ends the open one.
	static bool same_stream(std::string_view a, std::string_view b) { return a.empty() || b.empty() || a == b; }

	// The open report a line of this printk caller continues, if any: the
	// latest one (open_ holds a few indices, one per printk caller at most).
	Pending *open_for(const ConsoleLine &line)
	{
		// The caller's own report first; a report taking every caller's
		// lines (an NMI backtrace) only when the caller has none open.
		Pending *own = nullptr, *any = nullptr;
		for (size_t k : open_) {
			Pending &p = reports_[k];
			if (line.context.empty() || p.context.empty() || p.context == line.context) {
				if (!own || own < &p)
					own = &p;
			} else if (p.takes_any_context() && belongs(p, line) && (!any || any < &p)) {
				any = &p;
			}
		}
		return own ? own : any;
	}

	void mark_open(Pending &p)
	{
		p.open = true;
		size_t k = static_cast<size_t>(&p - reports_.data());
		if (std::find(open_.begin(), open_.end(), k) == open_.end())
			open_.push_back(k);
	}

	void close(Pending &p)
	{
		p.open = false;
		size_t k = static_cast<size_t>(&p - reports_.data());
		open_.erase(std::remove(open_.begin(), open_.end(), k), open_.end());
	}

	void step(size_t i)
	{
		const ConsoleLine &line = lines_[i];
		std::string_view msg = line.msg;
		uint64_t hits = scan_triggers(msg);
		const Index &idx = index();
		if (hits & (uint64_t{1} << idx.pipewatch_key)) {
			size_t at = msg.find(kPipewatchTag);
			pipewatch_.feed(i, msg.substr(at + kPipewatchTag.size()));
			return;
		}
		Pending *open = open_for(line);
		// "---[ end Kernel panic - not syncing: X ]---" repeats a header but
		// only ever closes a report.
		if ((hits & (uint64_t{1} << idx.end_key)) && is_end_marker(msg)) {
			if (open && belongs(*open, line))
				append(*open, i);
			return;
		}
		std::optional<HeaderMatch> h;
		std::string_view header_msg = msg;
		size_t continuations = 0;
		if (hits != 0)
			h = match_header(msg, hits, kernel_seen_);
		if (!line.prefix.empty())
			kernel_seen_ = true;
		if (h && index().families[h->family].family->catch_all)
			continuations = join_record(i, h, header_msg);
		if (!h) {
			if (open && belongs(*open, line))
				append(*open, i);
			return;
		}
		const Family &f = *index().families[h->family].family;
		if (f.fold == Fold::IntoOpen && open) {
			append(*open, i);
			return;
		}
		if (f.fold == Fold::IntoRecent && !f.fold_into.empty()) {
			const Pending *target = fold_target(line);
			if (!target || !folds_into(f, target->family())) {
				// Evidence for a report that is not there: an ordinary line.
				if (open && belongs(*open, line))
					append(*open, i);
				return;
			}
		}
		if (f.fold == Fold::IntoRecent) {
			if (Pending *last = fold_target(line);
			    last && (last->open || i - last->last() <= kFoldWindow)) {
				mark_open(*last);
				last->reopened = true;
				last->since_reopen = 0;
				last->lines.push_back(i);
				return;
			}
		}
		// A new report ends the open report of its own stream, and every
		// report that takes all callers' lines (it would take this one's).
		for (size_t k : std::vector<size_t>(open_)) {
			Pending &p = reports_[k];
			if (!(same_stream(p.context, line.context) || p.takes_any_context()))
				continue;
			// Cut before any frame: the rest of it is lost or interleaved.
			// (Older kernels print no "</TASK>", so a report that already has
			// its frames simply ends where the next one starts.)
			if (same_stream(p.context, line.context) && !p.complete && !p.saw_frame &&
			    p.family().end != EndRule::None && !p.family().frames.empty())
				p.interrupted = true;
			close(p);
		}
		Pending p;
		p.context = line.context;
		p.timestamped = !line.prefix.empty();
		p.lines.push_back(i);
		p.header = std::move(*h);
		p.header_msg = header_msg;
		p.header_last = i + continuations;
		skip_until_ = i + continuations + 1;
		reports_.push_back(std::move(p));
		Pending &np = reports_.back();
		mark_open(np);
		if (!np.context.empty())
			last_of_caller_[np.context] = reports_.size() - 1;
		if (f.end == EndRule::Line) {
			np.complete = true;
			close(np);
		}
	}

	// A header that only a catch-all family matched may be the first line of
	// a printk record with a newline in it (a task name holds any bytes):
	// the record's next lines carry the same decorations. When the joined
	// record matches a specific family, that is the header. Returns how many
	// lines were joined.
	size_t join_record(size_t i, std::optional<HeaderMatch> &h, std::string_view &header_msg)
	{
		const ConsoleLine &first = lines_[i];
		std::string joined(first.msg.substr(0, kMaxHeaderScan));
		for (size_t k = 1; k <= kMaxHeaderContinuations && i + k < lines_.size(); k++) {
			const ConsoleLine &next = lines_[i + k];
			if (next.replayed || next.prefix != first.prefix || next.context != first.context)
				return 0;
			if (uint64_t nh = scan_triggers(next.msg); nh && match_header(next.msg, nh))
				return 0; // a header of its own
			joined += next.msg.substr(0, kMaxHeaderScan);
			uint64_t jh = scan_triggers(joined);
			if (!jh)
				continue;
			auto m = match_header(joined, jh);
			if (!m || index().families[m->family].family->catch_all)
				continue;
			joined_.push_back(std::move(joined));
			header_msg = joined_.back();
			// The captures point into the joined text.
			h = match_header(header_msg, scan_triggers(header_msg));
			return k;
		}
		return 0;
	}

	// The report an aftermath header of this caller belongs to: the last one
	// of the same printk caller, else the last one.
	Pending *fold_target(const ConsoleLine &line)
	{
		if (auto it = last_of_caller_.find(line.context); !line.context.empty() && it != last_of_caller_.end())
			return &reports_[it->second];
		return reports_.empty() ? nullptr : &reports_.back();
	}

	static bool folds_into(const Family &f, const Family &into)
	{
		return std::find(f.fold_into.begin(), f.fold_into.end(), into.name) != f.fold_into.end();
	}

	bool belongs(const Pending &p, const ConsoleLine &line) const
	{
		// A line without a timestamp amid timestamped kernel output is
		// someone else's (the executor's log, a shell): as syzkaller, not
		// part of the report, and it does not end it.
		if (p.timestamped && line.prefix.empty())
			return false;
		if (p.context.empty() || line.context.empty() || line.context == p.context)
			return true;
		if (p.family().any_context)
			return true;
		return p.cpu_traceback && line.context.front() == 'C';
	}

	void append(Pending &p, size_t i)
	{
		std::string_view msg = lines_[i].msg;
		const Family &f = p.family();
		if (p.reopened) {
			p.lines.push_back(i);
			if (is_end_marker(msg) || ++p.since_reopen > kMaxOpenLinesNoEnd)
				close(p);
			return;
		}
		if (contains(msg, "Sending NMI from CPU"))
			p.cpu_traceback = true;
		if (f.end == EndRule::TraceEnd && p.saw_frame && !is_trace_line(msg) && !starts_trace(msg) &&
		    !is_garbled_line(msg) && !is_interleaved_line(msg, next_msgs(i))) {
			// First line after the call trace: the report is over.
			p.complete = true;
			close(p);
			return;
		}
		p.lines.push_back(i);
		if (starts_trace(msg)) {
			p.in_trace = true;
		} else if (p.in_trace && !p.saw_frame && parse_frame_line(msg)) {
			p.saw_frame = true;
		}
		bool done = is_end_marker(msg);
		if (f.end == EndRule::TraceEnd && p.in_trace && contains(msg, "</TASK>"))
			done = true;
		// A ruler before the stack is the slab debugger's object dump inside
		// an old KASAN report, not the sanitizer's closing ruler.
		if (f.end == EndRule::Separator && is_separator(msg) && (p.saw_frame || !f.needs_stack))
			done = true;
		if (done) {
			p.complete = true;
			close(p);
			return;
		}
		size_t limit = f.end == EndRule::None ? kMaxOpenLinesNoEnd : kMaxOpenLines;
		if (p.lines.size() > limit)
			close(p);
	}

	// The messages of the next few lines that are not printk's cut copy or
	// marker.
	std::vector<std::string_view> next_msgs(size_t i) const
	{
		std::vector<std::string_view> out;
		for (size_t j = i + 1; j < lines_.size() && out.size() < kMaxInterleavedRun; j++)
			if (!lines_[j].replayed)
				out.push_back(lines_[j].msg);
		return out;
	}

	const std::vector<ConsoleLine> &lines_;
	std::vector<Pending> reports_;
	std::vector<size_t> open_;                                    // indices of the open reports
	std::unordered_map<std::string_view, size_t> last_of_caller_; // printk caller -> its last report
	std::deque<std::string> joined_; // headers joined from several lines (stable addresses)
	size_t skip_until_ = 0;          // lines before it were joined into a header
	bool kernel_seen_ = false;       // a timestamped kernel line was seen
	PipewatchCollector pipewatch_;
};

bool has_timestamp(std::string_view s)
{
	// "[  12.345678]" merged into a header by interleaved output.
	for (size_t at = s.find('['); at != std::string_view::npos; at = s.find('[', at + 1)) {
		size_t i = at + 1;
		while (i < s.size() && s[i] == ' ')
			i++;
		size_t d = i;
		while (i < s.size() && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i > d && i < s.size() && s[i] == '.')
			return true;
	}
	return false;
}

// A stack the title cannot trust, as syzkaller judges it: a stack heading
// ("Call Trace:", "Allocated by task N:", "Freed by task N:", "backtrace:")
// with no frame in the 15 lines after it (cut, or another CPU's output in
// between), or a fault-injection stack mixed into the report.
std::string stack_problem(const std::vector<std::string_view> &msgs)
{
	auto heading = [](std::string_view m) {
		return starts_trace(m) || (contains(m, "Allocated by task ") && m.back() == ':') ||
		       (contains(m, "Freed by task ") && m.back() == ':') ||
		       (contains(m, "backtrace:") && !contains(m, "stack backtrace:"));
	};
	for (size_t i = 1; i < msgs.size(); i++) {
		if (auto f = parse_frame_line(msgs[i]); f && f->name.substr(0, 11) == "should_fail")
			return "a fault-injection stack is mixed into the report";
		if (msgs[i].empty() || !heading(msgs[i]))
			continue;
		bool frame = false;
		for (size_t k = i + 1; k < msgs.size() && k <= i + 15 && !frame; k++) {
			if (heading(msgs[k]))
				break;
			frame = parse_frame_line(msgs[k]).has_value() || parse_rip_line(msgs[k]).has_value() ||
				contains(msgs[k], "(stack is not available)");
		}
		if (!frame && i + 1 < msgs.size())
			return "no frames in a stack trace";
	}
	return {};
}

Report finish(const Pending &p, const std::vector<ConsoleLine> &lines)
{
	const CompiledFamily &cf = index().families[p.header.family];
	const Family &f = *cf.family;
	Report r;
	r.source = "kernel";
	r.family = std::string(f.name);
	r.type = f.type;
	r.start_line = p.lines.front() + 1;
	r.end_line = p.last() + 1;

	std::vector<std::string_view> msgs;
	msgs.reserve(p.lines.size());
	for (size_t i : p.lines)
		msgs.push_back(msgs.empty() ? p.header_msg : lines[i].msg);

	std::vector<std::string_view> caps = p.header.caps;
	bool body_found = true;
	for (const auto &alts : cf.body) {
		bool found = false;
		// A garbled line cannot give a title its words (a name cut by
		// garbage bytes would end the title).
		for (size_t i = 1; i < msgs.size() && !found; i++)
			for (size_t a = 0; a < alts.size() && !found && !is_garbled_line(msgs[i]); a++)
				found = alts[a].search(msgs[i].substr(0, kMaxHeaderScan), caps);
		if (!found) {
			body_found = false;
			break; // later captures would take this one's number
		}
	}

	GuiltyFrame g = find_guilty_frame(f, msgs, p.header.header_func);
	if (!g.trace.empty())
		r.stacks.push_back({"call trace", g.trace});
	if (f.type == ReportType::Hang)
		add_blocker_evidence(msgs, r);

	std::vector<std::string> reasons;
	bool missing = false;
	std::string title = format_title(f.title, caps, g.frame, missing);
	if (missing) {
		reasons.push_back(body_found && g.frame.empty() && !f.frames.empty()
					  ? "no guilty frame: " + g.problem
					  : "report lacks a line its title needs");
		bool fb_missing = f.fallback_title.empty() || (f.fallback_without_body && body_found);
		std::string fb = format_title(f.fallback_title, caps, g.frame, fb_missing, p.header.line);
		if (!fb_missing) {
			title = fb;
			if (f.fallback_is_clean)
				reasons.clear();
		} else {
			// syzkaller's convention for a frame that cannot be found.
			bool ignored = false;
			title = format_title(f.title, caps, g.frame.empty() ? "corrupted" : g.frame, ignored);
		}
	}
	r.title = sanitize_title(title);
	r.guilty_frame = g.frame;

	if (f.corrupted)
		reasons.push_back("only the header of a report was found");
	if (has_timestamp(title))
		reasons.push_back("title contains a console timestamp (interleaved output)");
	if (f.needs_stack) {
		bool stack = false;
		for (auto m : msgs)
			stack = stack || starts_trace(m) || contains(m, "backtrace");
		if (!stack)
			reasons.push_back("no stack trace in report");
	}
	if (std::string why = stack_problem(msgs); !why.empty())
		reasons.push_back(why);
	if (p.interrupted)
		reasons.push_back("interrupted by another report before its end");
	else if (!p.complete && !p.reopened && f.end != EndRule::None && f.end != EndRule::Line &&
		 p.last() + 1 == lines.size() && !p.saw_frame && !f.frames.empty())
		reasons.push_back("truncated: the log ends before the report's stack");
	if (!reasons.empty()) {
		r.corrupted = true;
		r.corrupted_reason = reasons.front();
		for (size_t i = 1; i < reasons.size(); i++)
			r.corrupted_reason += "; " + reasons[i];
	}

	for (size_t k = 0; k < msgs.size(); k++) {
		if (k)
			r.text += '\n';
		r.text += printable(msgs[k]);
	}
	return r;
}

} // namespace

std::vector<Report> classify(std::string_view console_log)
{
	std::vector<ConsoleLine> lines = split_console(console_log);
	Scanner scanner(lines);
	scanner.run();
	std::vector<Report> out;
	for (const Pending &p : scanner.pending())
		out.push_back(finish(p, lines));
	for (Report &r : scanner.pipewatch().finish())
		out.push_back(std::move(r));
	std::stable_sort(out.begin(), out.end(),
			 [](const Report &a, const Report &b) { return a.start_line < b.start_line; });
	return out;
}

} // namespace pipehang::report

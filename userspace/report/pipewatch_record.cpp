#include "report/pipewatch_record.h"

#include "report/console_lines.h"
#include "report/families.h"
#include "report/frame_rules.h"
#include "report/frames.h"
#include "report/pattern.h"
#include "report/title.h"

namespace pipehang::report {

namespace {

std::string_view trim(std::string_view s)
{
	while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
		s.remove_prefix(1);
	while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
		s.remove_suffix(1);
	return s;
}

void append_text(Report &r, size_t line, std::string_view full)
{
	if (!r.text.empty())
		r.text += '\n';
	r.text += printable(full);
	r.end_line = line + 1;
}

} // namespace

void PipewatchCollector::feed(size_t line, std::string_view rest)
{
	std::string full = std::string(kPipewatchTag) + std::string(rest);
	if (rest.substr(0, 6) == "event=") {
		Record rec;
		Report &r = rec.report;
		r.source = "pipewatch";
		r.type = ReportType::Hang;
		r.start_line = line + 1;
		// key=value fields separated by blanks (values have no blanks: the
		// module replaces them in comm names).
		std::string_view s = rest;
		while (!s.empty()) {
			s = trim(s);
			size_t sp = s.find(' ');
			std::string_view tok = s.substr(0, sp);
			size_t eq = tok.find('=');
			if (eq != std::string_view::npos && eq > 0)
				r.fields[printable(tok.substr(0, eq))] = printable(tok.substr(eq + 1));
			if (sp == std::string_view::npos)
				break;
			s = s.substr(sp + 1);
		}
		rec.id = r.fields.count("id") ? r.fields["id"] : std::string();
		r.family = "pipewatch-" + (r.fields.count("event") ? r.fields["event"] : std::string("unknown"));
		append_text(r, line, full);
		by_id_[rec.id] = records_.size();
		records_.push_back(std::move(rec));
		return;
	}
	if (rest.substr(0, 3) != "id=")
		return;
	size_t sp = rest.find(' ');
	if (sp == std::string_view::npos)
		return;
	auto it = by_id_.find(rest.substr(3, sp - 3));
	if (it == by_id_.end())
		return; // the record's first line was lost; nothing to title
	Record &rec = records_[it->second];
	if (rec.ended)
		return;
	Report &r = rec.report;
	append_text(r, line, full);
	std::string_view body = rest.substr(sp + 1);
	if (body.substr(0, 1) == " ") { // two blanks: a frame of the current stack
		if (rec.section >= 0) {
			std::string_view name = symbol_name(trim(body));
			if (!name.empty())
				r.stacks[static_cast<size_t>(rec.section)].frames.emplace_back(name);
		}
		return;
	}
	body = trim(body);
	if (body == "end") {
		rec.ended = true;
	} else if (body.size() > 7 && body.substr(body.size() - 7) == " stack:") {
		r.stacks.push_back({printable(body.substr(0, body.size() - 7)), {}});
		rec.section = static_cast<int>(r.stacks.size() - 1);
	}
}

std::vector<Report> PipewatchCollector::finish()
{
	std::vector<Report> out;
	for (auto &rec : records_) {
		Report &r = rec.report;
		std::string func(symbol_name(r.fields.count("func") ? r.fields["func"] : std::string()));
		if (func.empty()) {
			// Fall back to what the kernel's hung-task report would name.
			for (const auto &st : r.stacks) {
				if (st.label != "waiter")
					continue;
				std::vector<Candidate> cands;
				for (const auto &f : st.frames) // skipped as in the kernel's own report
					cands.push_back({f, is_infrastructure_frame(f) ||
								    is_infrastructure_frame(strip_frame_prefix(f))});
				func = extract_frame(Extractor::HungTask, cands);
			}
			r.corrupted = true;
			r.corrupted_reason = "pipewatch record has no func= field";
		}
		r.guilty_frame = func;
		r.title = sanitize_title("INFO: task hung in " + (func.empty() ? std::string("corrupted") : func));
		if (!rec.ended && !r.corrupted) {
			r.corrupted = true;
			r.corrupted_reason = "truncated: pipewatch record has no end line";
		}
		out.push_back(std::move(r));
	}
	records_.clear();
	by_id_.clear();
	return out;
}

} // namespace pipehang::report

#include "report/invariants.h"

#include "report/console_lines.h"
#include "report/families.h"
#include "report/frame_rules.h"
#include "report/frames.h"
#include "report/title.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace pipehang::report {

namespace {

bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Whether word is one whole (normalized) word of text. Each raw word is
// normalized on its own, with a separator before it, the way it would be
// inside a title.
bool has_word(std::string_view text, std::string_view word_in)
{
	std::string word_buf(word_in);
	std::erase(word_buf, '?');
	std::string_view word = word_buf;
	constexpr size_t kMaxLines = 400; // a title's words come from the head of the report
	size_t lines = 0;
	size_t i = 0;
	while (i < text.size() && lines < kMaxLines) {
		if (text[i] == '\n') {
			lines++;
			i++;
			continue;
		}
		if (text[i] == ' ') {
			i++;
			continue;
		}
		size_t j = i;
		while (j < text.size() && text[j] != ' ' && text[j] != '\n')
			j++;
		std::string_view raw = text.substr(i, j - i);
		if (raw.size() < 4 * kMaxTitle) {
			std::string norm = normalize_title_text("x " + std::string(raw));
			std::erase_if(norm, [](char c) { return c < 0x20 || c >= 0x7f; });
			// The text shows bytes the title drops as '?': compare without
			// any '?' on either side.
			std::erase(norm, '?');
			std::string_view tok = std::string_view(norm).substr(norm.size() >= 2 ? 2 : norm.size());
			if (tok == word)
				return true;
			// A word ending in punctuation ("fs/pipe.c:LINE!") may be glued
			// to garbage that follows it on the console.
			if (!word.empty() && !is_word_char(word.back()) && tok.substr(0, word.size()) == word)
				return true;
			// "[unmount of tmpfs]" and the like: the word may end a longer token
			if (norm.size() > word.size() &&
			    norm.compare(norm.size() - word.size(), word.size(), word) == 0 &&
			    !is_word_char(norm[norm.size() - word.size() - 1]))
				return true;
		}
		i = j;
	}
	return false;
}

// The fixed text a family's formats put right after their last placeholder
// ("!" in "kernel BUG at {1}!"), which a title's last word may end with.
std::vector<std::string_view> format_suffixes(std::string_view family)
{
	std::vector<std::string_view> out;
	for (const auto &f : families()) {
		if (f.name != family)
			continue;
		for (std::string_view fmt : {f.title, f.fallback_title}) {
			size_t close = fmt.rfind('}');
			if (close != std::string_view::npos && close + 1 < fmt.size() &&
			    fmt.find(' ', close) == std::string_view::npos)
				out.push_back(fmt.substr(close + 1));
		}
	}
	return out;
}

// Whether word is a fixed word of the family's title formats (a title like
// "unregister_netdevice: waiting for DEV to become free" is written whole;
// "kernel panic:" is what is left when the cap drops a giant garbage word).
bool fixed_word(std::string_view family, std::string_view word)
{
	// pipewatch records (pipewatch_record.cpp) are titled like the kernel's
	// hung-task reports.
	std::vector<std::string_view> formats;
	if (family.substr(0, 10) == "pipewatch-")
		formats.push_back("INFO: task hung in {frame}");
	for (const auto &f : families())
		if (f.name == family)
			formats.insert(formats.end(), {f.title, f.fallback_title});
	for (std::string_view fmt : formats)
		for (size_t at = fmt.find(word); at != std::string_view::npos; at = fmt.find(word, at + 1))
			if ((at == 0 || fmt[at - 1] == ' ') &&
			    (at + word.size() == fmt.size() || fmt[at + word.size()] == ' '))
				return true;
	return false;
}

// Whether frame is where the report was raised: the function in its header
// line or in a RIP/pc line (dispatch code may be named only there).
bool crash_site(std::string_view text, std::string_view frame)
{
	size_t line_no = 0;
	for (size_t pos = 0; pos < text.size() && line_no < 400; line_no++) {
		size_t nl = text.find('\n', pos);
		std::string_view line =
			text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
		pos = nl == std::string_view::npos ? text.size() : nl + 1;
		size_t lead = line.find_first_not_of(' ');
		std::string_view t = lead == std::string_view::npos ? std::string_view() : line.substr(lead);
		bool rip = t.substr(0, 4) == "RIP:" || t.substr(0, 3) == "IP:" || t.substr(0, 4) == "NIP:" ||
			   t.substr(0, 5) == "pc : ";
		if (line_no != 0 && !rip)
			continue;
		for (size_t at = line.find(frame); at != std::string_view::npos; at = line.find(frame, at + 1)) {
			size_t end = at + frame.size();
			if (end < line.size() && (line[end] == '+' || line[end] == '.'))
				return true;
		}
	}
	return false;
}

// Whether the guilty frame is the first frame of the call trace under a
// RIP that names no function of its own: a helper (a retpoline thunk) or no
// symbol at all (a call through a bad pointer). That caller made the call
// the report is about.
bool caller_of_bad_rip(const Report &r)
{
	const std::vector<std::string> *trace = nullptr;
	for (const Stack &st : r.stacks)
		if (st.label == "call trace" && !trace)
			trace = &st.frames;
	if (!trace || trace->empty() || trace->front() != r.guilty_frame)
		return false;
	size_t pos = 0;
	while (pos < r.text.size()) {
		size_t nl = r.text.find('\n', pos);
		std::string_view line = std::string_view(r.text).substr(
			pos, nl == std::string::npos ? std::string_view::npos : nl - pos);
		pos = nl == std::string::npos ? r.text.size() : nl + 1;
		if (auto rip = parse_rip_line(line))
			return is_helper_frame(*rip);
		if (is_symbolless_kernel_rip(line))
			return true;
	}
	return false;
}

// Whether a report's call trace holds nothing but skipped frames, so that
// an infrastructure frame that is not machinery is its only possible name
// (frames.cpp, the last-resort pass).
bool only_skipped_frames(const Report &r)
{
	const Family *fam = nullptr;
	for (const auto &f : families())
		if (f.name == r.family)
			fam = &f;
	size_t frames = 0;
	for (const Stack &st : r.stacks) {
		if (st.label != "call trace")
			continue;
		for (const std::string &fr : st.frames) {
			frames++;
			std::string stripped = strip_frame_prefix(fr);
			bool skipped = is_infrastructure_frame(fr) || is_infrastructure_frame(stripped) ||
				       (fam && (matches_any(fam->skip, fr) || matches_any(fam->skip, stripped))) ||
				       (fam && fam->extractor == Extractor::HungTask &&
					matches_any(hung_task_skips(), stripped));
			if (!skipped)
				return false;
		}
	}
	return frames > 0;
}

// Whether FRAME is the first "at:" function after "is trying to acquire" (or
// after the header) of a report whose family takes
// that function verbatim (FrameSource::LockdepAcquire).
bool acquisition_site(const Report &r, std::string_view frame)
{
	const Family *fam = nullptr;
	for (const auto &f : families())
		if (f.name == r.family)
			fam = &f;
	if (!fam || std::find(fam->frames.begin(), fam->frames.end(), FrameSource::LockdepAcquire) == fam->frames.end())
		return false;
	size_t trying = r.text.find("is trying to acquire");
	size_t at = r.text.find("at: ", trying == std::string::npos ? 0 : trying);
	if (at == std::string::npos)
		return false;
	std::string_view line = std::string_view(r.text).substr(at + 4);
	line = line.substr(0, line.find('\n'));
	size_t pos = line.find(frame);
	return pos != std::string_view::npos && pos + frame.size() < line.size() &&
	       (line[pos + frame.size()] == '+' || line[pos + frame.size()] == '.');
}

} // namespace

std::string report_invariant_problem(const Report &r)
{
	if (r.title.empty())
		return "empty title";
	if (r.title.size() > kMaxTitle)
		return "title longer than " + std::to_string(kMaxTitle);
	for (char c : r.title)
		if (c < 0x20 || c >= 0x7f)
			return "title has a non-printable byte";
	if (r.corrupted != !r.corrupted_reason.empty())
		return "corrupted flag and reason disagree";
	if (r.start_line < 1 || r.start_line > r.end_line)
		return "line numbers out of order";
	bool last_resort = !r.guilty_frame.empty() && !is_machinery_frame(r.guilty_frame) && only_skipped_frames(r);
	// A family that names the lock acquisition's "at:" function verbatim
	// (FrameSource::LockdepAcquire) may name any function there.
	if (!r.guilty_frame.empty() && acquisition_site(r, r.guilty_frame))
		last_resort = true;
	if (!r.guilty_frame.empty() && is_helper_frame(r.guilty_frame) && !last_resort)
		return "guilty frame '" + r.guilty_frame + "' is infrastructure (frame_rules.cpp)";
	if (!r.guilty_frame.empty() && is_infrastructure_frame(r.guilty_frame) && !last_resort &&
	    !crash_site(r.text, r.guilty_frame) && !caller_of_bad_rip(r))
		return "guilty frame '" + r.guilty_frame + "' is dispatch code named as a caller (frame_rules.cpp)";
	std::string_view title = r.title;
	size_t space = title.rfind(' ');
	std::string_view last = space == std::string_view::npos ? title : title.substr(space + 1);
	std::string frame = normalize_title_text(r.guilty_frame);
	if (last == r.guilty_frame || last == frame || last == "corrupted" || fixed_word(r.family, last) ||
	    has_word(r.text, last))
		return {};
	for (std::string_view suffix : format_suffixes(r.family)) {
		if (last.size() <= suffix.size() || last.substr(last.size() - suffix.size()) != suffix)
			continue;
		std::string_view core = last.substr(0, last.size() - suffix.size());
		if (core == r.guilty_frame || core == frame || core == "corrupted" || has_word(r.text, core))
			return {};
	}
	return "title '" + r.title + "' ends in '" + std::string(last) +
	       "', which is neither its frame nor a whole word of the report (a cut title)";
}

std::string log_invariant_problem(std::string_view log, const std::vector<Report> &reports)
{
	std::vector<ConsoleLine> lines = split_console(log);
	for (const Report &r : reports) {
		if (std::string p = report_invariant_problem(r); !p.empty())
			return "line " + std::to_string(r.start_line) + ": " + p;
		size_t at = r.start_line - 1; // 0-based header line
		if (at >= lines.size())
			return "line " + std::to_string(r.start_line) + ": past the end of the log";
		if (lines[at].replayed)
			return "line " + std::to_string(r.start_line) + ": title '" + r.title +
			       "' taken from a line printk cut and replayed (a cut title)";
	}
	return {};
}

} // namespace pipehang::report

#include "report/hung_blocker.h"

#include "report/frames.h"

#include <string>

namespace pipehang::report {

namespace {

std::string_view trim(std::string_view s)
{
	while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
		s.remove_prefix(1);
	while (!s.empty() && (s.back() == ' ' || s.back() == '.' || s.back() == '\t'))
		s.remove_suffix(1);
	return s;
}

// "comm:123" (a comm may itself contain ':') -> "comm/123", as pipewatch
// names tasks; "" when there is no ":pid".
std::string task_name(std::string_view s)
{
	s = trim(s);
	if (size_t lt = s.find(" <"); lt != std::string_view::npos)
		s = trim(s.substr(0, lt)); // rw-semaphore role: "<writer>"
	size_t colon = s.rfind(':');
	if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size())
		return {};
	for (char c : s.substr(colon + 1))
		if (c < '0' || c > '9')
			return {};
	return std::string(s.substr(0, colon)) + "/" + std::string(s.substr(colon + 1));
}

} // namespace

void add_blocker_evidence(const std::vector<std::string_view> &lines, Report &r)
{
	constexpr std::string_view kTask = "INFO: task ";
	for (size_t i = 1; i < lines.size(); i++) {
		std::string_view s = lines[i];
		size_t at = s.find(kTask);
		size_t on = s.find(" blocked on a");
		if (at == std::string_view::npos || on == std::string_view::npos || on < at)
			continue;
		std::string_view who = s.substr(at + kTask.size(), on - at - kTask.size());
		if (who.size() >= 3 && who.substr(who.size() - 3) == " is")
			who.remove_suffix(3);
		std::string_view rest = s.substr(on + 13); // after " blocked on a"
		if (!rest.empty() && rest.front() == 'n')
			rest.remove_prefix(1); // "an rw-semaphore"
		rest = trim(rest);
		size_t end = rest.find_first_of(" ,");
		r.fields["blocked_on"] = std::string(rest.substr(0, end));
		if (auto w = task_name(who); !w.empty())
			r.fields["waiter"] = w;
		size_t by = s.find(" by task ");
		std::string holder = by == std::string_view::npos ? std::string() : task_name(s.substr(by + 9));
		r.fields["holder"] = holder.empty() ? "none/0" : holder;
		if (holder.empty())
			return;
		// The holder's stack follows (sched_show_task): its first call trace.
		Family any{.name = "blocker", .type = ReportType::Hang, .headers = {}, .title = ""};
		GuiltyFrame g = find_guilty_frame(
			any, std::vector<std::string_view>(lines.begin() + static_cast<long>(i), lines.end()), {});
		if (!g.trace.empty())
			r.stacks.push_back({"holder", g.trace});
		return;
	}
}

} // namespace pipehang::report

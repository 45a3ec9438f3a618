#include "report/holder.h"

#include "report/holder_frames.h"

namespace pipehang::report {

std::string report_holder(const Report &r)
{
	// pipewatch records name the holder; so does the kernel's own
	// hung-task report from 6.15 on ("... is blocked on a mutex likely
	// owned by task B:M", read by the classifier into the same field).
	auto it = r.fields.find("holder");
	if (it == r.fields.end() || it->second.empty() || it->second == "none/0")
		return "";
	std::string out = it->second;
	if (auto h = r.fields.find("held_ms"); h != r.fields.end() && h->second != "-1")
		out += ", held " + h->second + " ms";
	// Running: caught on a CPU, spinning with the mutex (the real bug);
	// sleeping: waiting inside the splice (e.g. for a slow disk).
	std::string where = frames_line(holder_frames(r));
	if (auto s = r.fields.find("holder_state");
	    s != r.fields.end() && (s->second == "running" || s->second == "sleeping"))
		out += s->second == "running" ? ", running on a CPU" : ", sleeping";
	else if (!where.empty())
		out += ",";
	// Where it is: the first telling frames of its stack.
	if (!where.empty())
		out += " in " + where;
	if (r.source != "pipewatch")
		out += " (kernel hung-task report)";
	return out;
}

} // namespace pipehang::report

#include "report/report_json.h"

#include "report/holder.h"
#include "report/holder_frames.h"

namespace pipehang::report {

nlohmann::json to_json(const Report &r, std::size_t text_limit)
{
	nlohmann::json stacks = nlohmann::json::array();
	for (const auto &s : r.stacks)
		stacks.push_back({{"label", s.label}, {"frames", s.frames}});
	nlohmann::json j = {
		{"title", r.title},
		{"type", std::string(to_string(r.type))},
		{"guilty_frame", r.guilty_frame},
		{"start_line", r.start_line},
		{"end_line", r.end_line},
		{"corrupted", r.corrupted},
		{"corrupted_reason", r.corrupted_reason},
		{"family", r.family},
		{"source", r.source},
		{"fields", r.fields},
		{"stacks", stacks},
		{"text", r.text.size() > text_limit ? r.text.substr(0, text_limit) + "\n...(cut)" : r.text},
	};
	if (auto h = report_holder(r); !h.empty()) {
		j["holder"] = h;
		j["holder_frames"] = holder_frames(r); // where it is, innermost first
	}
	return j;
}

} // namespace pipehang::report

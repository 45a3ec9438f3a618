#include "oracle/verdict.h"

#include "util/exit_status.h"

namespace pipehang::oracle {

namespace es = util::exit_status;

std::string_view to_string(Verdict v)
{
	switch (v) {
	case Verdict::good: return "good";
	case Verdict::bad: return "bad";
	case Verdict::skip: return "skip";
	case Verdict::error: return "error";
	}
	return "error";
}

int exit_code(Verdict v)
{
	switch (v) {
	case Verdict::good: return es::good;
	case Verdict::bad: return es::bad;
	case Verdict::skip: return es::skip;
	case Verdict::error: return es::error;
	}
	return es::error;
}

Verdict from_exit_code(int code)
{
	switch (code) {
	case es::good: return Verdict::good;
	case es::bad: return Verdict::bad;
	case es::skip: return Verdict::skip;
	default: return Verdict::error;
	}
}

} // namespace pipehang::oracle

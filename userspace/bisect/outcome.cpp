#include "bisect/outcome.h"

namespace pipehang::bisect {

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
	case Verdict::good: return 0;
	case Verdict::bad: return 1;
	case Verdict::skip: return 125;
	case Verdict::error: return 128;
	}
	return 128;
}

Verdict verdict_from_exit_code(int code)
{
	switch (code) {
	case 0: return Verdict::good;
	case 1: return Verdict::bad;
	case 125: return Verdict::skip;
	default: return Verdict::error;
	}
}

} // namespace pipehang::bisect

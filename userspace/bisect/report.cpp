#include "bisect/report.h"

namespace pipehang::bisect {

std::string_view to_string(Verification v)
{
	switch (v) {
	case Verification::not_run: return "not run";
	case Verification::confirmed: return "confirmed";
	case Verification::not_confirmed: return "NOT confirmed";
	case Verification::inconclusive: return "inconclusive";
	}
	return "inconclusive";
}

} // namespace pipehang::bisect

#include "bisect/seams.h"

namespace pipehang::bisect {

std::string short_id(const Commit &c)
{
	return c.id.substr(0, 12);
}

} // namespace pipehang::bisect

#include "bisect/git_text.h"

#include <sstream>

namespace pipehang::bisect {

std::string trim(std::string s)
{
	while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r'))
		s.pop_back();
	return s;
}

std::vector<std::string> lines_of(const std::string &s)
{
	std::vector<std::string> out;
	std::istringstream in(s);
	std::string l;
	while (std::getline(in, l))
		if (!l.empty())
			out.push_back(l);
	return out;
}

} // namespace pipehang::bisect

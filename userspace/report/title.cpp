#include "report/title.h"

namespace pipehang::report {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }
bool is_sym(char c) { return is_alpha(c) || is_digit(c) || c == '_' || c == '.'; }

// "name+0xHEX/0xHEX" -> "name" (offsets and sizes differ between builds).
std::string strip_offsets(std::string_view s)
{
	std::string out;
	out.reserve(s.size());
	size_t i = 0;
	while (i < s.size()) {
		if (s[i] == '+' && i > 0 && is_sym(s[i - 1]) && s.substr(i, 3) == "+0x") {
			size_t j = i + 3;
			while (j < s.size() && (is_digit(s[j]) || is_alpha(s[j])))
				j++;
			if (j > i + 3 && s.substr(j, 3) == "/0x") {
				size_t k = j + 3;
				while (k < s.size() && (is_digit(s[k]) || is_alpha(s[k])))
					k++;
				if (k > j + 3) {
					i = k;
					continue;
				}
			}
		}
		out += s[i++];
	}
	return out;
}

// Long numbers are addresses, ids or counts: never part of a bug's identity.
std::string replace_numbers(std::string_view s)
{
	std::string out;
	out.reserve(s.size());
	size_t i = 0;
	while (i < s.size()) {
		bool boundary = i > 0 && !is_alpha(s[i - 1]);
		if (boundary && (is_lower_hex(s[i]))) {
			size_t start = i;
			if (s.substr(i, 2) == "0x")
				i += 2;
			size_t j = i;
			while (j < s.size() && is_lower_hex(s[j]))
				j++;
			if (j - i >= 6) {
				out += "ADDR";
				i = j;
				continue;
			}
			size_t d = start;
			while (d < s.size() && is_digit(s[d]))
				d++;
			if (d - start >= 5) {
				out += "NUM";
				i = d;
				continue;
			}
			i = start;
		}
		out += s[i++];
	}
	return out;
}

std::string replace_lines_and_cpus(std::string_view s)
{
	std::string out;
	out.reserve(s.size());
	size_t i = 0;
	while (i < s.size()) {
		if (s[i] == ':' && i + 1 < s.size() && is_digit(s[i + 1])) {
			while (i < s.size() && s[i] == ':' && i + 1 < s.size() && is_digit(s[i + 1])) {
				i++;
				while (i < s.size() && is_digit(s[i]))
					i++;
			}
			out += ":LINE";
			continue;
		}
		if (s.substr(i, 4) == "CPU#" && i + 4 < s.size() && is_digit(s[i + 4])) {
			i += 4;
			while (i < s.size() && is_digit(s[i]))
				i++;
			out += "CPU";
			continue;
		}
		out += s[i++];
	}
	return out;
}

} // namespace

std::string format_title(std::string_view format, const std::vector<std::string_view> &caps,
			 std::string_view frame, bool &missing)
{
	std::string out;
	size_t i = 0;
	while (i < format.size()) {
		if (format[i] == '{') {
			size_t close = format.find('}', i);
			if (close != std::string_view::npos) {
				std::string_view name = format.substr(i + 1, close - i - 1);
				if (name == "frame") {
					if (frame.empty())
						missing = true;
					out += frame;
				} else if (name.size() == 1 && is_digit(name[0])) {
					size_t n = static_cast<size_t>(name[0] - '0');
					if (n >= 1 && n <= caps.size() && !caps[n - 1].empty())
						out += caps[n - 1];
					else
						missing = true;
				}
				i = close + 1;
				continue;
			}
		}
		out += format[i++];
	}
	return out;
}

std::string sanitize_title(std::string_view title)
{
	// Bounded first: a corrupted header can be a megabyte long.
	std::string s = strip_offsets(title.substr(0, 4 * kMaxTitle));
	s = replace_numbers(s);
	s = replace_lines_and_cpus(s);
	std::string out;
	char prev = ' ';
	for (char c : s) {
		unsigned char u = static_cast<unsigned char>(c);
		if (c == '\t')
			c = ' ';
		else if (u < 0x20 || u >= 0x7f)
			continue;
		if (c == ' ' && prev == ' ')
			continue;
		out += c;
		prev = c;
		if (out.size() >= kMaxTitle)
			break;
	}
	while (!out.empty() && out.back() == ' ')
		out.pop_back();
	return out;
}

} // namespace pipehang::report

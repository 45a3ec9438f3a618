#include "report/title.h"

namespace pipehang::report {

namespace {

bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}
bool is_lower_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f');
}
bool is_sym(char c)
{
	return is_alpha(c) || is_digit(c) || c == '_' || c == '.';
}

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

bool is_word(char c)
{
	return is_alpha(c) || is_digit(c) || c == '_';
}
bool is_alnum(char c)
{
	return is_alpha(c) || is_digit(c);
}

// Pass 1: run ids of syzkaller's own processes ("syz-executor.3:1234",
// "syz.2.17", "syzkaller12345") say nothing about the bug.
std::string replace_executor_names(std::string_view s)
{
	std::string out;
	out.reserve(s.size());
	size_t i = 0;
	auto digits = [&](size_t j) {
		while (j < s.size() && is_digit(s[j]))
			j++;
		return j;
	};
	while (i < s.size()) {
		if (s.substr(i, 12) == "syz-executor") {
			size_t j = i + 12;
			size_t k = j < s.size() && s[j] == '.' ? j + 1 : j;
			if (digits(k) > k) {
				j = digits(k);
				if (j + 1 < s.size() && (s[j] == '/' || s[j] == ':') && digits(j + 1) > j + 1)
					j = digits(j + 1);
			}
			out += "syz-executor";
			i = j;
			continue;
		}
		if (s.substr(i, 9) == "syzkaller" && digits(i + 9) > i + 9) {
			size_t j = digits(i + 9);
			if (j + 1 < s.size() && (s[j] == '/' || s[j] == ':') && digits(j + 1) > j + 1)
				j = digits(j + 1);
			out += "syzkaller";
			i = j;
			continue;
		}
		if (s.substr(i, 4) == "syz." && digits(i + 4) > i + 4) {
			size_t j = digits(i + 4);
			if (j + 1 < s.size() && s[j] == '.' && digits(j + 1) > j + 1) {
				out += "syz";
				i = digits(j + 1);
				continue;
			}
		}
		out += s[i++];
	}
	return out;
}

// Pass 2: anything that looks like an address (6+ hex digits between
// non-alphanumeric characters) is ADDR; a dotted quad is IP, an IPv6
// address IPV6ADDR.
std::string replace_addresses(std::string_view s)
{
	std::string out;
	out.reserve(s.size());
	size_t i = 0;
	while (i < s.size()) {
		if (i > 0 && !is_alnum(s[i - 1])) {
			size_t j = i;
			if (s.substr(i, 2) == "0x")
				j += 2;
			size_t k = j;
			while (k < s.size() && is_lower_hex(s[k]))
				k++;
			// A whole token only: "a5555555lloc_pipe_info" (a garbled
			// frame) keeps its letters, or the title's last word would be
			// "ADDRlloc_pipe_info", which is nothing in the report.
			bool token_ends = k == s.size() || (!is_alnum(s[k]) && s[k] != '_');
			if (k - j >= 6 && token_ends) {
				out += "ADDR";
				i = k;
				continue;
			}
			// An IPv6 address: groups of 1-4 hex digits, compressed with
			// "::" or all eight ("fc00::", "fe80::1"); not a time or a
			// "file.c:12:3" (no "::", fewer groups).
			if (i == 0 || s[i - 1] == ' ' || s[i - 1] == '(' || s[i - 1] == '[') {
				size_t q = i, colons = 0, digits = 0;
				bool compressed = false, ok = true;
				while (q < s.size() && ok) {
					if (is_lower_hex(s[q])) {
						if (++digits > 4)
							ok = false;
						q++;
					} else if (s[q] == ':') {
						colons++;
						if (q + 1 < s.size() && s[q + 1] == ':') {
							compressed = compressed || colons > 0;
							if (q + 2 < s.size() && s[q + 2] == ':')
								ok = false;
						}
						digits = 0;
						q++;
					} else {
						break;
					}
				}
				bool ends = q == s.size() || (!is_alnum(s[q]) && s[q] != '_');
				if (ok && ends && colons >= 2 && (compressed || colons == 7)) {
					out += "IPV6ADDR";
					i = q;
					continue;
				}
			}
			// a.b.c.d with 1-3 digits each
			size_t p = i;
			int parts = 0;
			while (parts < 4) {
				size_t d = p;
				while (d < s.size() && is_digit(s[d]) && d - p < 4)
					d++;
				if (d == p || d - p > 3)
					break;
				parts++;
				p = d;
				if (parts < 4) {
					if (p >= s.size() || s[p] != '.')
						break;
					p++;
				}
			}
			if (parts == 4 && (p >= s.size() || !is_digit(s[p]))) {
				out += "IP";
				i = p;
				continue;
			}
		}
		out += s[i++];
	}
	return out;
}

// Pass 3: "file.c:123:45" -> "file.c:LINE" (only after a file extension: a
// "comm:pid" is a number, handled below).
std::string replace_line_numbers(std::string_view s)
{
	std::string out;
	out.reserve(s.size());
	size_t i = 0;
	while (i < s.size()) {
		if (s[i] == ':' && i + 1 < s.size() && is_digit(s[i + 1])) {
			size_t w = i;
			while (w > 0 && is_word(s[w - 1]))
				w--;
			if (w > 0 && s[w - 1] == '.' && w < i) {
				while (i < s.size() && s[i] == ':' && i + 1 < s.size() && is_digit(s[i + 1])) {
					i++;
					while (i < s.size() && is_digit(s[i]))
						i++;
				}
				out += ":LINE";
				continue;
			}
		}
		out += s[i++];
	}
	return out;
}

// Pass 4: "CPU#1" -> "CPU".
std::string replace_cpus(std::string_view s)
{
	std::string out;
	out.reserve(s.size());
	size_t i = 0;
	while (i < s.size()) {
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

// Pass 5: every other stand-alone decimal number (pids, counts, sizes) is
// NUM; digits inside a word stay ("cfg80211", "nl802154") unless there are
// 7 or more of them.
std::string replace_numbers(std::string_view s)
{
	std::string out;
	out.reserve(s.size());
	size_t i = 0;
	while (i < s.size()) {
		if (is_digit(s[i])) {
			size_t j = i;
			while (j < s.size() && is_digit(s[j]))
				j++;
			bool alone = i > 0 && !is_word(s[i - 1]) && (j == s.size() || !is_word(s[j]));
			if (alone || j - i >= 7) {
				out += "NUM";
				i = j;
				continue;
			}
			out.append(s.substr(i, j - i));
			i = j;
			continue;
		}
		out += s[i++];
	}
	return out;
}

} // namespace

std::string format_title(std::string_view format, const std::vector<std::string_view> &caps, std::string_view frame,
			 bool &missing, std::string_view header)
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
					if (n == 0 && !header.empty())
						out += header;
					else if (n >= 1 && n <= caps.size() && !caps[n - 1].empty())
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

std::string normalize_title_text(std::string_view text)
{
	std::string s = replace_executor_names(text);
	s = replace_addresses(s);
	s = replace_line_numbers(s);
	s = strip_offsets(s);
	s = replace_cpus(s);
	return replace_numbers(s);
}

std::string sanitize_title(std::string_view title)
{
	// Bounded first: a corrupted header can be a megabyte long. That bound
	// is a cut too: it can fall inside a word, and when the bytes dropped
	// below (non-printable garbage) leave the title short of kMaxTitle,
	// only this flag says its last word may be a part of one.
	const std::size_t bound = 4 * kMaxTitle;
	std::string s = normalize_title_text(title.substr(0, bound));
	std::string out;
	char prev = ' ';
	bool cut = title.size() > bound;
	for (char c : s) {
		unsigned char u = static_cast<unsigned char>(c);
		if (c == '\t')
			c = ' ';
		else if (u < 0x20 || u >= 0x7f)
			continue;
		if (c == ' ' && prev == ' ')
			continue;
		if (out.size() >= kMaxTitle) {
			cut = true;
			break;
		}
		out += c;
		prev = c;
	}
	// Over-long titles (garbage or interleaved headers) end at a word
	// boundary: a title never ends in half a word.
	if (cut && prev != ' ') {
		size_t space = out.rfind(' ');
		if (space != std::string::npos)
			out.resize(space);
	}
	while (!out.empty() && out.back() == ' ')
		out.pop_back();
	return out;
}

} // namespace pipehang::report

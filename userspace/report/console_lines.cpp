#include "report/console_lines.h"

namespace pipehang::report {

namespace {

bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

// Consumes "[ 12.345678]" at pos; returns the position after it or npos.
size_t skip_timestamp(std::string_view s, size_t pos)
{
	if (pos >= s.size() || s[pos] != '[')
		return std::string_view::npos;
	size_t i = pos + 1;
	while (i < s.size() && s[i] == ' ')
		i++;
	size_t digits = i;
	while (i < s.size() && is_digit(s[i]))
		i++;
	if (i == digits || i >= s.size() || s[i] != '.')
		return std::string_view::npos;
	i++;
	digits = i;
	while (i < s.size() && is_digit(s[i]))
		i++;
	if (i == digits || i >= s.size() || s[i] != ']')
		return std::string_view::npos;
	return i + 1;
}

// Consumes "[  T123]" or "[ C1]" at pos; sets ctx to "T123"/"C1".
size_t skip_caller(std::string_view s, size_t pos, std::string_view &ctx)
{
	if (pos >= s.size() || s[pos] != '[')
		return std::string_view::npos;
	size_t i = pos + 1;
	while (i < s.size() && s[i] == ' ')
		i++;
	if (i >= s.size() || (s[i] != 'T' && s[i] != 'C'))
		return std::string_view::npos;
	size_t start = i++;
	size_t digits = i;
	while (i < s.size() && is_digit(s[i]))
		i++;
	if (i == digits || i >= s.size() || s[i] != ']')
		return std::string_view::npos;
	ctx = s.substr(start, i - start);
	return i + 1;
}
// Where a line starts after its "<6>" syslog level, as /dev/kmsg-style
// dumps print it (0 without one).
size_t after_syslog_level(std::string_view line)
{
	if (line.size() > 2 && line[0] == '<' && is_digit(line[1])) {
		size_t i = 1;
		while (i < line.size() && is_digit(line[i]))
			i++;
		if (i < line.size() && line[i] == '>')
			return i + 1;
	}
	return 0;
}

// Bytes a serial line drops or garbles ahead of a line: NUL, other control
// bytes, DEL and non-ASCII bytes (never a tab).
bool is_line_noise(char c)
{
	unsigned char u = static_cast<unsigned char>(c);
	return (u < 0x20 && u != '\t') || u >= 0x7f;
}

// "** 12 printk messages dropped ** " before a line's decorations.
size_t after_dropped_notice(std::string_view line)
{
	constexpr std::string_view kHead = "** ", kTail = " printk messages dropped ** ";
	if (line.substr(0, kHead.size()) != kHead)
		return 0;
	size_t i = kHead.size();
	while (i < line.size() && is_digit(line[i]))
		i++;
	if (i == kHead.size() || line.substr(i, kTail.size()) != kTail)
		return 0;
	return i + kTail.size();
}

// "syzkaller login: " before a line's decorations: a getty's prompt that
// the kernel's next line was printed after, on the same console line.
size_t after_login_prompt(std::string_view line)
{
	constexpr std::string_view kPrompt = " login: ";
	size_t at = line.find(kPrompt);
	if (at == std::string_view::npos || at > 64)
		return 0;
	std::string_view rest = line.substr(at + kPrompt.size());
	if (skip_timestamp(rest, after_syslog_level(rest)) == std::string_view::npos)
		return 0;
	return at + kPrompt.size();
}

ConsoleLine strip(std::string_view line)
{
	while (!line.empty() && (line.back() == '\r' || line.back() == '\0'))
		line.remove_suffix(1);
	while (!line.empty() && is_line_noise(line.front()))
		line.remove_prefix(1);
	line.remove_prefix(after_dropped_notice(line));
	line.remove_prefix(after_login_prompt(line));
	ConsoleLine out{line, {}, {}, line};
	size_t pos = after_syslog_level(line);
	size_t after = skip_timestamp(line, pos);
	if (after == std::string_view::npos) {
		out.msg = line.substr(pos);
		return out;
	}
	pos = after;
	std::string_view ctx;
	after = skip_caller(line, pos, ctx);
	if (after != std::string_view::npos) {
		pos = after;
		out.context = ctx;
	}
	if (pos < line.size() && line[pos] == ' ')
		pos++;
	// Garbled bytes right after the decorations (a NUL where the frame's
	// indentation was) are noise too.
	out.prefix = line.substr(0, pos);
	while (pos < line.size() && is_line_noise(line[pos]))
		pos++;
	out.msg = line.substr(pos);
	return out;
}

std::string_view trim_blanks(std::string_view s)
{
	while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
		s.remove_prefix(1);
	while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
		s.remove_suffix(1);
	return s;
}

} // namespace

std::vector<ConsoleLine> split_console(std::string_view log)
{
	std::vector<ConsoleLine> lines;
	lines.reserve(log.size() / 64 + 1);
	size_t pos = 0;
	while (pos < log.size()) {
		size_t nl = log.find('\n', pos);
		if (nl == std::string_view::npos)
			nl = log.size();
		lines.push_back(strip(log.substr(pos, nl - pos)));
		pos = nl + 1;
	}
	// printk's replay after a console takeover: the line before the marker
	// is a cut copy of the one after it. Both copies are the same record,
	// so the cut one is dropped when it is a prefix of the whole one.
	for (size_t i = 0; i < lines.size(); i++) {
		if (trim_blanks(lines[i].msg) != kReplayMarker)
			continue;
		lines[i].replayed = true;
		if (i == 0 || i + 1 >= lines.size())
			continue;
		std::string_view cut = lines[i - 1].raw, whole = lines[i + 1].raw;
		if (whole.substr(0, cut.size()) == cut)
			lines[i - 1].replayed = true;
	}
	return lines;
}

std::optional<std::int64_t> kernel_time_us(std::string_view line)
{
	while (!line.empty() && line.front() == '\r')
		line.remove_prefix(1);
	size_t pos = after_syslog_level(line);
	if (skip_timestamp(line, pos) == std::string_view::npos)
		return std::nullopt;
	size_t i = pos + 1;
	while (line[i] == ' ')
		i++;
	std::int64_t sec = 0, us = 0;
	for (; line[i] != '.'; i++) {
		if (sec > (INT64_MAX - 9) / 10 / 1000000)
			return std::nullopt; // not a timestamp any kernel prints
		sec = sec * 10 + (line[i] - '0');
	}
	int digits = 0;
	for (i++; line[i] != ']'; i++)
		if (digits < 6) {
			us = us * 10 + (line[i] - '0');
			digits++;
		}
	for (; digits < 6; digits++)
		us *= 10;
	return sec * 1000000 + us;
}

std::string printable(std::string_view text)
{
	std::string out(text);
	for (char &c : out) {
		unsigned char u = static_cast<unsigned char>(c);
		if (u == '\t')
			c = ' ';
		else if (u < 0x20 || u >= 0x7f)
			c = '?';
	}
	return out;
}

} // namespace pipehang::report

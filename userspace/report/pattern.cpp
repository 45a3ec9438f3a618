#include "report/pattern.h"

#include <stdexcept>

namespace pipehang::report {

namespace {

bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}
bool is_path(char c)
{
	return is_ident(c) || c == '/' || c == '.' || c == '-';
}

} // namespace

std::string_view symbol_name(std::string_view token)
{
	size_t i = 0;
	while (i < token.size() && is_ident(token[i]))
		i++;
	if (i == 0)
		return {};
	return token.substr(0, i);
}

Pattern::Pattern(std::string_view tmpl)
{
	std::string lit;
	size_t i = 0;
	auto flush = [&] {
		if (!lit.empty())
			pieces_.push_back({Kind::Literal, lit});
		lit.clear();
	};
	while (i < tmpl.size()) {
		if (tmpl[i] != '{') {
			lit += tmpl[i++];
			continue;
		}
		size_t close = tmpl.find('}', i);
		if (close == std::string_view::npos)
			throw std::logic_error("pattern: unclosed placeholder in " + std::string(tmpl));
		std::string_view name = tmpl.substr(i + 1, close - i - 1);
		Kind kind;
		if (name == "func")
			kind = Kind::Func;
		else if (name == "id")
			kind = Kind::Id;
		else if (name == "word")
			kind = Kind::Word;
		else if (name == "num")
			kind = Kind::Num;
		else if (name == "src")
			kind = Kind::Src;
		else if (name == "access")
			kind = Kind::Access;
		else if (name == "text")
			kind = Kind::Text;
		else if (name == "*")
			kind = Kind::Any;
		else if (name == "rest")
			kind = Kind::Rest;
		else if (name == "eol")
			kind = Kind::Eol;
		else
			throw std::logic_error("pattern: unknown placeholder {" + std::string(name) + "}");
		flush();
		pieces_.push_back({kind, {}});
		i = close + 1;
	}
	flush();
	int captures = 0;
	for (const auto &p : pieces_) {
		if (p.kind == Kind::Func && func_capture_ < 0)
			func_capture_ = captures;
		if (p.kind != Kind::Literal && p.kind != Kind::Any && p.kind != Kind::Eol)
			captures++;
	}
	if (pieces_.empty())
		throw std::logic_error("empty pattern");
}

bool Pattern::search(std::string_view line, std::vector<std::string_view> &caps) const
{
	size_t caps_before = caps.size();
	if (pieces_.front().kind != Kind::Literal) {
		// Only body patterns start with a placeholder; they run once per
		// report, so trying every position is affordable.
		for (size_t at = 0; at < line.size(); at++) {
			if ((at == 0 || line[at - 1] == ' ') && match(0, line, at, caps))
				return true;
			caps.resize(caps_before);
		}
		return false;
	}
	const std::string &first = pieces_.front().lit;
	for (size_t at = line.find(first); at != std::string_view::npos; at = line.find(first, at + 1)) {
		if (match(1, line, at + first.size(), caps))
			return true;
		caps.resize(caps_before);
	}
	return false;
}

bool Pattern::match(size_t piece, std::string_view line, size_t pos, std::vector<std::string_view> &caps) const
{
	if (piece == pieces_.size())
		return true;
	const Piece &p = pieces_[piece];
	size_t n = line.size();
	size_t i = pos;
	switch (p.kind) {
	case Kind::Literal:
		if (line.substr(pos, p.lit.size()) != p.lit)
			return false;
		return match(piece + 1, line, pos + p.lit.size(), caps);
	case Kind::Func: {
		while (i < n && (is_ident(line[i]) || line[i] == '.'))
			i++;
		if (i == pos || i + 2 >= n || line[i] != '+' || line[i + 1] != '0' || line[i + 2] != 'x')
			return false;
		std::string_view name = symbol_name(line.substr(pos, i - pos));
		if (name.empty())
			return false;
		caps.push_back(name);
		return match(piece + 1, line, i, caps);
	}
	case Kind::Id:
	case Kind::Word:
	case Kind::Num:
		while (i < n && (p.kind == Kind::Id    ? is_ident(line[i])
				 : p.kind == Kind::Num ? is_digit(line[i])
						       : line[i] != ' '))
			i++;
		if (i == pos)
			return false;
		caps.push_back(line.substr(pos, i - pos));
		return match(piece + 1, line, i, caps);
	case Kind::Src: {
		size_t dot = std::string_view::npos;
		while (i < n && is_path(line[i])) {
			if (line[i] == '.')
				dot = i;
			i++;
		}
		if (i == pos || dot == std::string_view::npos || i >= n || line[i] != ':')
			return false;
		size_t digits = ++i;
		while (i < n && is_digit(line[i]))
			i++;
		if (i == digits)
			return false;
		caps.push_back(line.substr(pos, i - pos));
		return match(piece + 1, line, i, caps);
	}
	case Kind::Access:
		for (std::string_view a : {"Read", "Write", "read", "write"}) {
			if (line.substr(pos, a.size()) == a) {
				caps.push_back(line.substr(pos, a.size()));
				return match(piece + 1, line, pos + a.size(), caps);
			}
		}
		return false;
	case Kind::Rest: {
		size_t end = n;
		while (end > pos && line[end - 1] == ' ')
			end--;
		if (end == pos)
			return false;
		caps.push_back(line.substr(pos, end - pos));
		return match(piece + 1, line, n, caps);
	}
	case Kind::Eol:
		while (i < n && line[i] == ' ')
			i++;
		return i == n && match(piece + 1, line, i, caps);
	case Kind::Text:
	case Kind::Any: {
		// Shortest run up to the next literal. The next piece is a literal
		// by construction of every pattern in the table; if the pattern ends
		// here, take the rest of the line.
		if (piece + 1 == pieces_.size()) {
			if (p.kind == Kind::Text)
				caps.push_back(line.substr(pos));
			return true;
		}
		const Piece &next = pieces_[piece + 1];
		if (next.kind != Kind::Literal)
			return false;
		size_t caps_before = caps.size();
		for (size_t at = line.find(next.lit, pos); at != std::string_view::npos;
		     at = line.find(next.lit, at + 1)) {
			if (p.kind == Kind::Text)
				caps.push_back(line.substr(pos, at - pos));
			if (match(piece + 1, line, at, caps))
				return true;
			caps.resize(caps_before);
		}
		return false;
	}
	}
	return false;
}

} // namespace pipehang::report

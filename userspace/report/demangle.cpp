// A deliberately small demangler: kernel stacks only show nested names
// (namespaces, types, functions); templates, closures and impl blocks are
// left mangled rather than guessed.
#include "report/demangle.h"

#include <vector>

namespace pipehang::report {

namespace {

bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}
bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f');
}

// <decimal length><bytes> at pos; false when malformed.
bool length_name(std::string_view s, size_t &pos, std::string_view &out)
{
	size_t len = 0, i = pos;
	while (i < s.size() && is_digit(s[i]) && len < 100000)
		len = len * 10 + static_cast<size_t>(s[i++] - '0');
	if (i == pos || len == 0 || i + len > s.size())
		return false;
	out = s.substr(i, len);
	pos = i + len;
	return true;
}

std::string join(const std::vector<std::string_view> &parts)
{
	std::string out;
	for (size_t i = 0; i < parts.size(); i++) {
		if (i)
			out += "::";
		out += parts[i];
	}
	return out;
}

// Itanium: _Z <len><name> | _ZN [K|V|r]* (<len><name>)+ E ...
std::string itanium(std::string_view s)
{
	size_t pos = 2;
	std::vector<std::string_view> parts;
	if (pos < s.size() && s[pos] == 'N') {
		pos++;
		while (pos < s.size() && (s[pos] == 'K' || s[pos] == 'V' || s[pos] == 'r'))
			pos++;
		while (pos < s.size() && s[pos] != 'E') {
			std::string_view part;
			if (!length_name(s, pos, part))
				return {};
			parts.push_back(part);
		}
		if (pos >= s.size())
			return {};
		// Rust legacy mangling ends with a hash element: 17h<16 hex>
		if (parts.size() > 1) {
			std::string_view h = parts.back();
			bool hash = h.size() == 17 && h[0] == 'h';
			for (size_t i = 1; hash && i < h.size(); i++)
				hash = is_hex(h[i]);
			if (hash)
				parts.pop_back();
		}
	} else {
		std::string_view part;
		if (!length_name(s, pos, part))
			return {};
		parts.push_back(part);
	}
	return join(parts);
}

// Rust v0: _R [decimal] <path>, path = C <ident> | N <ns> <path> <ident>;
// ident = [s <base62> _] [u] <decimal> [_] <bytes>.
bool v0_ident(std::string_view s, size_t &pos, std::string_view &out)
{
	if (pos < s.size() && s[pos] == 's') { // disambiguator (crate hash)
		pos++;
		while (pos < s.size() && s[pos] != '_')
			pos++;
		if (pos >= s.size())
			return false;
		pos++;
	}
	if (pos < s.size() && s[pos] == 'u')
		return false; // punycode identifiers: leave mangled
	size_t len = 0, i = pos;
	while (i < s.size() && is_digit(s[i]) && len < 100000)
		len = len * 10 + static_cast<size_t>(s[i++] - '0');
	if (i == pos)
		return false;
	if (i < s.size() && s[i] == '_')
		i++;
	if (i + len > s.size())
		return false;
	out = s.substr(i, len);
	pos = i + len;
	return true;
}

bool v0_path(std::string_view s, size_t &pos, std::vector<std::string_view> &parts, int depth)
{
	if (pos >= s.size() || depth > 32)
		return false;
	char tag = s[pos++];
	std::string_view id;
	if (tag == 'C') {
		if (!v0_ident(s, pos, id))
			return false;
		parts.push_back(id);
		return true;
	}
	if (tag == 'N') {
		if (pos >= s.size())
			return false;
		char ns = s[pos++];
		if (!v0_path(s, pos, parts, depth + 1) || !v0_ident(s, pos, id))
			return false;
		if (ns == 'C') // a closure inside the function before it
			parts.push_back("{closure}");
		else if (ns >= 'A' && ns <= 'Z')
			return false; // other special namespaces (shims): leave mangled
		else if (!id.empty())
			parts.push_back(id);
		return true;
	}
	return false; // impl paths, generics, back references: leave mangled
}

std::string rust_v0(std::string_view s)
{
	size_t pos = 2;
	while (pos < s.size() && is_digit(s[pos]))
		pos++;
	std::vector<std::string_view> parts;
	if (!v0_path(s, pos, parts, 0) || parts.empty())
		return {};
	return join(parts);
}

} // namespace

std::string demangle_symbol(std::string_view name)
{
	std::string out;
	if (name.size() > 3 && name.substr(0, 2) == "_Z")
		out = itanium(name);
	else if (name.size() > 3 && name.substr(0, 2) == "_R")
		out = rust_v0(name);
	return out.empty() ? std::string(name) : out;
}

} // namespace pipehang::report

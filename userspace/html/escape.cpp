#include "html/escape.h"

namespace pipehang::html {

std::string escape(std::string_view text)
{
	std::string out;
	out.reserve(text.size() + text.size() / 8);
	for (char c : text) {
		switch (c) {
		case '&': out += "&amp;"; break;
		case '<': out += "&lt;"; break;
		case '>': out += "&gt;"; break;
		case '"': out += "&quot;"; break;
		case '\'': out += "&#39;"; break;
		default:
			// A NUL or an escape sequence from a serial console is
			// not text; bytes >= 0x80 pass (UTF-8 page).
			if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t')
				continue;
			out += c;
		}
	}
	return out;
}

} // namespace pipehang::html

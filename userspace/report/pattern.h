// A tiny, regex-free line pattern language for report headers, so that the
// rule table (families.cpp) reads like the kernel messages it matches and
// matching stays linear-time on hostile input (fuzzing, megabyte lines).
//
// A pattern is literal text with placeholders:
//   {func}   a kernel symbol followed by "+0x..." or ".suffix+0x..."; captures
//            the bare name ("pipe_write.cold+0x1" -> "pipe_write")
//   {id}     an identifier [A-Za-z0-9_]+
//   {word}   a run of non-space characters
//   {num}    a run of decimal digits
//   {src}    a source location "path/file.c:123"
//   {access} "Read"/"Write" (any case) as KASAN/KFENCE print them
//   {text}   any text up to the next literal (shortest), captured
//   {*}      any text up to the next literal (shortest), not captured
//   {rest}   the rest of the line, captured (must be last)
//   {eol}    the end of the line (blanks allowed), not captured
// Patterns match anywhere in the line (console garbage before a header is
// common). Header patterns start with literal text, which the classifier
// indexes; a pattern starting with a placeholder matches at word starts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pipehang::report {

class Pattern {
public:
	explicit Pattern(std::string_view tmpl);

	// Appends the captures to caps on a match (caps is untouched otherwise).
	bool search(std::string_view line, std::vector<std::string_view> &caps) const;
	// "" when the pattern starts with a placeholder.
	std::string_view first_literal() const { return pieces_.front().lit; }
	// Index among the captures of the first {func}, or -1.
	int func_capture() const { return func_capture_; }

private:
	enum class Kind { Literal, Func, Id, Word, Num, Src, Access, Text, Any, Rest, Eol };
	struct Piece {
		Kind kind;
		std::string lit;
	};
	bool match(size_t piece, std::string_view line, size_t pos, std::vector<std::string_view> &caps) const;
	std::vector<Piece> pieces_;
	int func_capture_ = -1;
};

// "pipe_write.cold+0x1a/0x40" -> "pipe_write"; "" when it is not a symbol.
std::string_view symbol_name(std::string_view token);

} // namespace pipehang::report

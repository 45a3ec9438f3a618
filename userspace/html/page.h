// The frame every report shares: one self-contained HTML page (inline CSS,
// inline SVG, no script and nothing fetched from the network), so it opens
// from a mail attachment or a copied directory as it is.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace pipehang::html {

// A whole page: TITLE (escaped here) in <title> and <h1>, BODY as given
// (already HTML). `refresh`: the page is still being written; it says so
// and reloads itself every 30 s (a meta tag, not a script).
std::string page(std::string_view title, std::string_view body, bool in_progress);

// Colour of a verdict or run status, one home for both reports: bad and
// target red, good and clean green, skip and the untestable grey/amber.
std::string_view status_colour(std::string_view status);

// Writes CONTENT to FILE atomically (a temporary file in the same
// directory, then rename), so a reader -- or an interrupted run -- always
// finds a whole page. Throws std::runtime_error naming FILE on failure.
void write_atomically(const std::filesystem::path &file, std::string_view content);

} // namespace pipehang::html

// `pipehang parse [--json] FILE|-`: runs the console-log classifier on a
// saved serial console and prints each report's title, first report first;
// --json adds what else the tool reads in a console (guest markers,
// pipewatch.ko records and messages: oracle/console_json.h).
#include "command.h"

#include "oracle/console_json.h"
#include "report/classifier.h"
#include "report/expectations.h"
#include "util/exit_status.h"
#include "util/file_checks.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace pipehang::cli {
namespace {

constexpr int kExitUnreadable = util::exit_status::usage;

struct ParseArgs {
	std::vector<std::string> files;
	bool json = false;
	bool update = false;
};

// The largest console log parse reads (the same bound for "-"): a boot's
// console is tens of KiB (the corpus' largest is 71 KB), so 64 MiB is any
// real one with room to spare, and /dev/zero or a runaway file is refused
// with its name rather than read until memory runs out.
constexpr std::size_t kMaxConsoleBytes = 64u << 20;

bool slurp(const std::string &path, std::string &out, std::string &error)
{
	return util::read_bounded(path, kMaxConsoleBytes, out, error);
}

// --update: NAME.log -> NAME.titles with the full expectation of every
// report (report/expectations.h), for corpus maintenance.
std::string titles_file(const std::string &log)
{
	return log.size() > 4 && log.substr(log.size() - 4) == ".log" ? log.substr(0, log.size() - 4) + ".titles"
								      : log + ".titles";
}

int run_update(const ParseArgs &a)
{
	// Every output probed first: a bad one stops the run before any is written.
	for (const auto &file : a.files)
		if (std::string why = util::output_file_problem(titles_file(file)); file != "-" && !why.empty()) {
			std::fprintf(stderr, "pipehang parse: cannot write '%s': %s\n", titles_file(file).c_str(),
				     why.c_str());
			return kExitUnreadable;
		}
	for (const auto &file : a.files) {
		std::string log, error;
		if (file == "-" || !slurp(file, log, error)) {
			std::fprintf(stderr, "pipehang parse: cannot read console log '%s': %s\n", file.c_str(),
				     file == "-" ? "--update needs files" : error.c_str());
			return kExitUnreadable;
		}
		std::string out;
		for (const auto &r : report::classify(log))
			out += report::expectation_line(r) + "\n";
		std::string titles = titles_file(file);
		FILE *f = std::fopen(titles.c_str(), "wb");
		if (!f || std::fwrite(out.data(), 1, out.size(), f) != out.size() || std::fclose(f) != 0) {
			std::fprintf(stderr, "pipehang parse: cannot write '%s': %s\n", titles.c_str(),
				     std::strerror(errno));
			return kExitUnreadable;
		}
		std::printf("%s\n", titles.c_str());
	}
	return 0;
}

int run_parse(const ParseArgs &a)
{
	if (a.update)
		return run_update(a);
	if (a.files.size() != 1) {
		std::fprintf(stderr, "pipehang parse: exactly one console log (or --update LOG...)\n");
		return kExitUnreadable;
	}
	const std::string &file = a.files.front();
	std::string log;
	std::string error;
	if (!slurp(file, log, error)) {
		std::fprintf(stderr, "pipehang parse: cannot read console log '%s': %s\n",
			     file == "-" ? "<stdin>" : file.c_str(), error.c_str());
		return kExitUnreadable;
	}
	if (a.json) {
		nlohmann::json out = oracle::console_json(log);
		out["file"] = file;
		std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
		return 0;
	}
	for (const auto &r : report::classify(log))
		std::cout << r.title << '\n';
	return 0;
}

RunFn setup(CLI::App &app)
{
	auto a = std::make_shared<ParseArgs>();
	app.description("Find the kernel reports in a serial-console log and print their syzkaller-style titles,\n"
			"one per line, first report first (nothing when there is none).\n"
			"Exit status: 0 parsed (with or without reports), 2 (usage) unreadable file or bad usage.");
	app.add_option("file", a->files,
		       fmt::format("console log to read, a regular file of at most {} MiB; '-' reads standard input "
				   "(the same bound)",
				   kMaxConsoleBytes >> 20))
		->required();
	app.add_flag("--update", a->update,
		     "corpus maintenance: for each FILE.log given, write FILE.titles with every report's\n"
		     "title, clean|corrupted, type= and frame= (and holder=), tab-separated");
	app.add_flag("--json", a->json,
		     "print one JSON object instead of titles (lines are 1-based; time_us is a line's kernel\n"
		     "timestamp in microseconds, null without one):\n"
		     "  file\n"
		     "  reports: every report with every field: title, type, guilty_frame, start_line/end_line,\n"
		     "    corrupted, corrupted_reason, family, source, fields, stacks, text, holder\n"
		     "  markers: the guest's PIPEHANG: lines as the harness reads them: line, event, valid\n"
		     "    (its JSON parsed), rejoined (cut by a kernel message, joined with its rest on the\n"
		     "    next line), data (the object), raw\n"
		     "  pipewatch.records: pipewatch.ko's records: id, event, line, end_line, time_us, fields\n"
		     "    (every key=value), stacks ({\"holder\": [...], \"waiter\": [...]}, bare function\n"
		     "    names, innermost first), ended (has its end line), corrupted, corrupted_reason,\n"
		     "    title, holder\n"
		     "  pipewatch.messages: the module's other lines (loaded:, hold start, out of range, ...):\n"
		     "    line, time_us, text (after 'pipewatch: '), fields (its key=value words)");
	return [a] { return run_parse(*a); };
}

PIPEHANG_COMMAND("parse", setup);

} // namespace
} // namespace pipehang::cli

// `pipehang parse [--json] FILE|-`: runs the console-log classifier on a
// saved serial console and prints each report's title, first report first.
#include "command.h"

#include "report/classifier.h"
#include "report/expectations.h"
#include "report/report_json.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace pipehang::cli {
namespace {

constexpr int kExitUnreadable = 2;

struct ParseArgs {
	std::vector<std::string> files;
	bool json = false;
	bool update = false;
};

// Reads all of a file (or stdin for "-"); false with a message on error.
bool slurp(const std::string &path, std::string &out, std::string &error)
{
	FILE *f = stdin;
	if (path != "-") {
		struct stat st {};
		if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
			error = "is a directory";
			return false;
		}
		f = std::fopen(path.c_str(), "rb");
		if (!f) {
			error = std::strerror(errno);
			return false;
		}
	}
	char buf[1 << 16];
	size_t n;
	while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
		out.append(buf, n);
	bool failed = std::ferror(f);
	if (failed)
		error = std::strerror(errno);
	if (f != stdin)
		std::fclose(f);
	return !failed;
}

// --update: NAME.log -> NAME.titles with the full expectation of every
// report (report/expectations.h), for corpus maintenance.
int run_update(const ParseArgs &a)
{
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
		std::string titles = file.size() > 4 && file.substr(file.size() - 4) == ".log"
					     ? file.substr(0, file.size() - 4) + ".titles"
					     : file + ".titles";
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
	std::vector<report::Report> reports = report::classify(log);
	if (a.json) {
		nlohmann::json out = {{"file", file}, {"reports", nlohmann::json::array()}};
		for (const auto &r : reports)
			out["reports"].push_back(report::to_json(r));
		std::cout << out.dump(2) << '\n';
		return 0;
	}
	for (const auto &r : reports)
		std::cout << r.title << '\n';
	return 0;
}

RunFn setup(CLI::App &app)
{
	auto a = std::make_shared<ParseArgs>();
	app.description("Find the kernel reports in a serial-console log and print their syzkaller-style titles,\n"
			"one per line, first report first (nothing when there is none).\n"
			"Exit status: 0 parsed (with or without reports), 2 unreadable file or bad usage.");
	app.add_option("file", a->files, "console log to read; '-' reads standard input")->required();
	app.add_flag("--update", a->update,
		     "corpus maintenance: for each FILE.log given, write FILE.titles with every report's\n"
		     "title, clean|corrupted, type= and frame= (and holder=), tab-separated");
	app.add_flag(
		"--json", a->json,
		"print {\"file\", \"reports\": [...]} with every field of every report: title, type, guilty_frame,\n"
		"start_line/end_line (1-based), corrupted, corrupted_reason, family, source, fields, stacks, text");
	return [a] { return run_parse(*a); };
}

PIPEHANG_COMMAND("parse", setup);

} // namespace
} // namespace pipehang::cli

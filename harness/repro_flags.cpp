#include "repro_flags.h"

#include "paths.h"
#include "splice-dio/options.h"

#include "oracle/repro_command.h"

#include <fmt/format.h>

#include <sstream>
#include <unistd.h>
#include <vector>

namespace pipehang::cli {

namespace {

constexpr const char *kSpliceDio = "repro-splice-dio";

// The guest init runs `$PH_REPRO --dir "$dir" $PH_REPRO_ARGS`: the
// arguments are split on white space there, so they are here too.
std::string parser_error(const oracle::JudgeOptions &opt)
{
	std::vector<std::string> words = {kSpliceDio, "--dir", "/mnt/ext4/run0"};
	std::istringstream in(oracle::repro_args(opt));
	for (std::string w; in >> w;) {
		// --help would make the reproducer print its help and run nothing.
		if (w == "-h" || w == "--help")
			return "'" + w + "' would make it print its help and run nothing";
		words.push_back(w);
	}
	std::vector<char *> argv;
	for (auto &w : words)
		argv.push_back(w.data());
	argv.push_back(nullptr);
	repro::Options parsed;
	std::string error;
	if (repro::parse_options(static_cast<int>(words.size()), argv.data(), parsed, error) ==
	    repro::ParseOutcome::kUsageError)
		return error.empty() ? "refused" : error;
	return "";
}

} // namespace

std::string reproducer_refuses(const oracle::JudgeOptions &opt)
{
	if (!opt.repro_file.empty() || opt.repro != kSpliceDio)
		return "";
	// Added one at a time, so the message names the flag at fault.
	oracle::JudgeOptions step = opt;
	step.deny.clear();
	step.repro_args.clear();
	if (std::string e = parser_error(step); !e.empty())
		return fmt::format("{} refuses the flags the oracle gives it: {}", kSpliceDio, e);
	step.deny = opt.deny;
	if (std::string e = parser_error(step); !e.empty())
		return fmt::format("--deny {}: {} refuses it: {}", fmt::join(opt.deny, ","), kSpliceDio, e);
	step.repro_args = opt.repro_args;
	if (std::string e = parser_error(step); !e.empty())
		return fmt::format("--repro-arg {}: {} refuses it: {}", fmt::join(opt.repro_args, " "), kSpliceDio, e);
	return "";
}

CLI::Validator reproducer_next_to_pipehang()
{
	return CLI::Validator(
		[](std::string &name) {
			// Any other binary (repro-pipe-bench, ...) would get flags it
			// does not take, and every run would fail: a skip, not an error.
			if (name != kSpliceDio)
				return fmt::format(
					"'{}': the oracle drives its reproducer with {}'s flags (--iterations, "
					"--entry, --fill, ...), which only {} takes; a reproducer of your own "
					"goes in with --repro-file",
					name, kSpliceDio, kSpliceDio);
			auto path = bin_dir() / name;
			if (::access(path.c_str(), X_OK) != 0)
				return fmt::format("{}: no such reproducer next to pipehang (build it first)",
						   path.string());
			return std::string();
		},
		"");
}

} // namespace pipehang::cli

#include "cli_app.h"

#include "util/exit_status.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <exception>

namespace pipehang::cli {

std::vector<CommandSpec> &command_registry()
{
	static std::vector<CommandSpec> registry;
	return registry;
}

std::vector<std::string> command_names()
{
	std::vector<std::string> names;
	for (const auto &spec : command_registry())
		names.push_back(spec.name);
	std::sort(names.begin(), names.end());
	return names;
}

Runners build_cli(CLI::App &app)
{
	auto &registry = command_registry();
	std::sort(registry.begin(), registry.end(),
		  [](const CommandSpec &a, const CommandSpec &b) { return a.name < b.name; });
	Runners runners;
	for (auto &spec : registry) {
		auto *sub = app.add_subcommand(spec.name);
		runners[sub] = spec.setup(*sub);
	}
	return runners;
}

int usage_status(const std::string &subcommand)
{
	namespace exit_status = util::exit_status;
	// `oracle` and `run` are made for `git bisect run`, which reads 2 as
	// "bad": their usage errors must abort the bisection (error,
	// contract 4). So must a command line that names no known command:
	// it may be a mistyped `oracle` under `git bisect run`.
	if (subcommand.empty() || subcommand == "oracle" || subcommand == "run")
		return exit_status::error;
	return exit_status::usage;
}

namespace {

// The first word that is not a flag, when it names no subcommand: what
// CLI11 would only call "A subcommand is required".
std::string unknown_command(int argc, char **argv, const std::vector<std::string> &names)
{
	for (int i = 1; i < argc; i++) {
		std::string word = argv[i];
		if (word.empty() || word[0] == '-')
			continue;
		if (std::find(names.begin(), names.end(), word) == names.end())
			return word;
		return "";
	}
	return "";
}

} // namespace

int run_cli(int argc, char **argv)
{
	namespace exit_status = util::exit_status;
	CLI::App app{"pipehang: reproducer harness and oracle for 'INFO: task hung in pipe_release'"};
	app.require_subcommand(1);
	Runners runners = build_cli(app);
	const auto names = command_names();

	try {
		app.parse(argc, argv);
	} catch (const CLI::ParseError &e) {
		if (e.get_exit_code() == 0)
			return app.exit(e); // --help
		std::string sub;
		for (auto *s : app.get_subcommands())
			sub = s->get_name();
		const std::string list = fmt::format("{}", fmt::join(names, ", "));
		if (sub.empty()) {
			if (auto word = unknown_command(argc, argv, names); !word.empty())
				std::fprintf(stderr,
					     "pipehang: unknown command '%s': the commands are %s (pipehang COMMAND "
					     "--help)\n",
					     word.c_str(), list.c_str());
			else
				std::fprintf(stderr, "pipehang: %s; the commands are %s (pipehang COMMAND --help)\n",
					     e.what(), list.c_str());
			return usage_status("");
		}
		std::fprintf(stderr, "pipehang %s: usage error: %s\nRun 'pipehang %s --help' for the flags.\n",
			     sub.c_str(), e.what(), sub.c_str());
		return usage_status(sub);
	}

	for (auto *sub : app.get_subcommands()) {
		auto it = runners.find(sub);
		if (it == runners.end())
			continue;
		try {
			return it->second();
		} catch (const std::exception &e) {
			std::fprintf(stderr, "pipehang %s: harness error: %s\n", sub->get_name().c_str(), e.what());
			return exit_status::error;
		}
	}
	return usage_status("");
}

} // namespace pipehang::cli

// pipehang CLI entry point: collects the registered subcommands (command.h),
// parses the command line and runs the chosen one.
#include "command.h"

#include "util/exit_status.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>

namespace pipehang::cli {

std::vector<CommandSpec> &command_registry()
{
	static std::vector<CommandSpec> registry;
	return registry;
}

} // namespace pipehang::cli

int main(int argc, char **argv)
{
	using namespace pipehang::cli;
	namespace exit_status = pipehang::util::exit_status;

	CLI::App app{"pipehang: reproducer harness and oracle for 'INFO: task hung in pipe_release'"};
	app.require_subcommand(1);

	auto &registry = command_registry();
	std::sort(registry.begin(), registry.end(),
		  [](const CommandSpec &a, const CommandSpec &b) { return a.name < b.name; });

	std::map<const CLI::App *, RunFn> runners;
	for (auto &spec : registry) {
		auto *sub = app.add_subcommand(spec.name);
		runners[sub] = spec.setup(*sub);
	}

	try {
		app.parse(argc, argv);
	} catch (const CLI::ParseError &e) {
		// Usage errors exit 2, --help exits 0.
		int rc = app.exit(e);
		// Except the two commands made for `git bisect run` (`oracle`,
		// `run`): git reads 2 as "bad", so their usage errors must abort
		// the bisection (error, contract 4).
		for (auto *sub : app.get_subcommands())
			if ((sub->get_name() == "oracle" || sub->get_name() == "run") && rc != 0)
				return exit_status::error;
		return rc == 0 ? 0 : exit_status::usage;
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
	return exit_status::usage;
}

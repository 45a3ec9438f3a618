// Subcommand registry for the pipehang CLI.
//
// Each subcommand lives in its own harness/cmd_NAME.cpp and registers itself
// with a file-scope PIPEHANG_COMMAND(...) so that main.cpp never needs to
// change when a command is added. A command's setup function adds its
// CLI11 subcommand and returns the function to run when it is chosen; that
// function returns the process exit status.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace pipehang::cli {

using RunFn = std::function<int()>;
using SetupFn = std::function<RunFn(CLI::App &app)>;

struct CommandSpec {
	std::string name;
	SetupFn setup;
};

std::vector<CommandSpec> &command_registry();

struct CommandRegistrar {
	CommandRegistrar(std::string name, SetupFn setup)
	{
		command_registry().push_back({std::move(name), std::move(setup)});
	}
};

} // namespace pipehang::cli

#define PIPEHANG_CMD_CONCAT2(a, b) a##b
#define PIPEHANG_CMD_CONCAT(a, b) PIPEHANG_CMD_CONCAT2(a, b)
#define PIPEHANG_COMMAND(name, setup)                                                                                  \
	static ::pipehang::cli::CommandRegistrar PIPEHANG_CMD_CONCAT(pipehang_command_registrar_, __LINE__)(name, setup)

// pipehang CLI entry point: the command line lives in cli_app.cpp, so the
// CLI table test can build it too.
#include "cli_app.h"

int main(int argc, char **argv)
{
	return pipehang::cli::run_cli(argc, argv);
}

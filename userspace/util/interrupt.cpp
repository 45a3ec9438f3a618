#include "util/interrupt.h"

#include <csignal>
#include <cstring>
#include <string>

namespace pipehang::util {

namespace {
volatile std::sig_atomic_t g_signal = 0;

void on_signal(int sig)
{
	g_signal = sig;
}
} // namespace

Interrupted::Interrupted(int sig) : std::runtime_error(std::string("interrupted by ") + strsignal(sig)), signal(sig) {}

void install_interrupt_handlers()
{
	struct sigaction sa {};
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, nullptr);
	sigaction(SIGTERM, &sa, nullptr);
	sigaction(SIGHUP, &sa, nullptr);
	// A closed stdout (pipehang vm | head) must not kill us before the
	// VM and the temp files are cleaned up: writes just fail instead.
	signal(SIGPIPE, SIG_IGN);
}

int interrupted()
{
	return g_signal;
}

void check_interrupted()
{
	if (g_signal)
		throw Interrupted(g_signal);
}

} // namespace pipehang::util

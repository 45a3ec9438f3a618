// SIGINT/SIGTERM handling for long host-side work (downloads, image
// builds, QEMU runs). The handler only records the signal; every wait loop
// in the guest code polls interrupted() and throws Interrupted, so RAII
// owners (temp dirs, child process groups) clean up on the way out.
#pragma once

#include <stdexcept>

namespace pipehang::util {

struct Interrupted : std::runtime_error {
	explicit Interrupted(int sig);
	int signal;
};

// Installs the handlers (idempotent). Without SA_RESTART, so blocking
// poll()/waitpid() return EINTR and the loops notice promptly.
void install_interrupt_handlers();

// The signal received, or 0.
int interrupted();

// Throws Interrupted if a signal arrived.
void check_interrupted();

} // namespace pipehang::util

// Building pipewatch.ko (kmod/) for the kernel under test, cached by the
// content of kmod/ and the kernel's signature. A build failure is reported,
// not thrown: the oracle turns it into "skip", `pipehang vm` carries on
// without the module and says so in the module marker.
#pragma once

#include "guest/kernel.h"

#include <filesystem>
#include <string>

namespace pipehang::guest {

struct ModuleBuild {
	bool ok = false;
	std::filesystem::path ko;  // the built pipewatch.ko when ok
	std::string error;         // why not, one line
	std::filesystem::path log; // full build log (in the cache) when a build ran
	bool cached = false;
};

ModuleBuild build_pipewatch(const Kernel &k, const std::filesystem::path &kmod_src);

} // namespace pipehang::guest

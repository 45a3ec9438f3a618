#include "guest/module_inputs.h"

#include "util/process.h"
#include "util/sha256.h"

#include <algorithm>
#include <sstream>
#include <system_error>
#include <vector>

namespace pipehang::guest {

using namespace pipehang::util;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// Source directories a module build reads, by tree id.
const char *const source_dirs[] = {
	"include",
	"arch/x86/include",
	"scripts",
	// objtool runs on every module object (ORC, retpoline checks): its
	// sources decide what it writes into pipewatch.ko.
	"tools/objtool",
	"tools/include",
	"tools/arch/x86/include",
	"tools/lib",
	"tools/build",
	"tools/scripts",
};

// Generated from the configuration by the kernel's own build: by content.
const char *const generated_dirs[] = {"include/generated", "arch/x86/include/generated"};
const char *const generated_files[] = {".config", "Module.symvers", "include/config/auto.conf",
				       "include/config/kernel.release"};

bool git(const fs::path &tree, std::vector<std::string> args, std::string &out)
{
	args.insert(args.begin(), {"git", "-C", tree.string()});
	auto r = run_process(args, timed(60s));
	out = std::move(r.output);
	return r.ok();
}

// Blob entries only (the files of a directory, not its subtrees).
std::string blob_lines(const std::string &ls_tree)
{
	std::istringstream in(ls_tree);
	std::string line, out;
	while (std::getline(in, line))
		if (line.find(" blob ") != std::string::npos)
			out += line + "\n";
	return out;
}

// A modified tracked path the module build reads.
bool build_reads(const std::string &path)
{
	for (const char *d : source_dirs)
		if (path.starts_with(std::string(d) + "/"))
			return true;
	if (path.find('/') == std::string::npos)
		return true; // top-level Makefile, Kbuild, ...
	const std::string arch = "arch/x86/";
	return path.starts_with(arch) && path.find('/', arch.size()) == std::string::npos;
}

void hash_dir(Sha256 &h, const fs::path &tree, const char *rel)
{
	std::vector<fs::path> files;
	std::error_code ec;
	for (fs::recursive_directory_iterator it(tree / rel, ec), end; !ec && it != end; it.increment(ec))
		if (it->is_regular_file())
			files.push_back(it->path());
	std::sort(files.begin(), files.end());
	for (auto &f : files)
		h.update(fs::relative(f, tree).string()).update("\n").update(sha256_file(f)).update("\n");
}

} // namespace

std::string module_inputs_id(const fs::path &tree)
{
	std::string top;
	std::error_code ec;
	if (!git(tree, {"rev-parse", "--show-toplevel"}, top))
		return "";
	while (!top.empty() && top.back() == '\n')
		top.pop_back();
	// A tree unpacked inside some other repository is not named by it.
	if (!fs::equivalent(top, tree, ec) || ec)
		return "";

	std::string status;
	if (!git(tree, {"status", "--porcelain", "-z", "--untracked-files=no"}, status))
		return "";
	for (std::size_t pos = 0; pos < status.size();) {
		std::size_t end = status.find('\0', pos);
		if (end == std::string::npos)
			end = status.size();
		std::string entry = status.substr(pos, end - pos);
		pos = end + 1;
		// "XY path"; a rename carries its source as the next entry.
		if (entry.size() > 3 && build_reads(entry.substr(3)))
			return "";
	}

	std::string dirs, root, arch;
	std::vector<std::string> args = {"ls-tree", "HEAD", "--"};
	args.insert(args.end(), std::begin(source_dirs), std::end(source_dirs));
	if (!git(tree, args, dirs) || !git(tree, {"ls-tree", "HEAD"}, root) ||
	    !git(tree, {"ls-tree", "HEAD", "arch/x86/"}, arch))
		return "";

	Sha256 h;
	h.update("pipehang-module-inputs-v1\n").update(dirs).update(blob_lines(root)).update(blob_lines(arch));
	for (const char *f : generated_files) {
		// Not built (or not configured) yet: nothing to name.
		if (!fs::is_regular_file(tree / f))
			return "";
		h.update(f).update("\n").update(sha256_file(tree / f)).update("\n");
	}
	for (const char *d : generated_dirs)
		hash_dir(h, tree, d);
	return h.hex();
}

} // namespace pipehang::guest

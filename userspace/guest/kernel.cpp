#include "guest/kernel.h"

#include "util/cache_lock.h"
#include "util/process.h"
#include "util/progress.h"
#include "util/sha256.h"
#include "util/temp_dir.h"

#include <fstream>
#include <regex>

namespace pipehang::guest {

using namespace pipehang::util;

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string to_string(KernelKind kind)
{
	switch (kind) {
	case KernelKind::bzimage: return "bzimage";
	case KernelKind::build_tree: return "build-tree";
	case KernelKind::debian_package: return "debian-package";
	case KernelKind::debian_version: return "debian-version";
	}
	return "?";
}

std::string bzimage_release(const fs::path &file)
{
	std::ifstream in(file, std::ios::binary);
	if (!in)
		throw KernelError("kernel " + file.string() + ": cannot read the file");
	std::string head(0x10000 + 0x400, '\0');
	in.read(head.data(), head.size());
	head.resize(in.gcount());
	// The x86 boot protocol: "HdrS" at 0x202, and at 0x20e a pointer
	// (relative to 0x200) to a NUL-terminated version string.
	if (head.size() < 0x210 || head.compare(0x202, 4, "HdrS") != 0)
		throw KernelError("kernel " + file.string() + ": not an x86 Linux bzImage (no 'HdrS' boot header)");
	unsigned ptr = static_cast<unsigned char>(head[0x20e]) | static_cast<unsigned char>(head[0x20f]) << 8;
	std::size_t off = 0x200 + ptr;
	if (ptr == 0 || off >= head.size())
		return "";
	std::size_t end = head.find('\0', off);
	std::string version = head.substr(off, end == std::string::npos ? std::string::npos : end - off);
	return version.substr(0, version.find(' '));
}

namespace {

fs::path kernels_cache()
{
	return cache_root() / "kernels";
}

// apt-get download PKG into DIR; KernelError when the archive has no such
// package, runtime_error for other failures (network, apt itself).
fs::path apt_download(const std::string &pkg, const fs::path &dir)
{
	progress("downloading {} (apt-get download)", pkg);
	auto r = run_process({"apt-get", "download", "-q", pkg}, timed(15min, dir.string()));
	if (!r.ok()) {
		if (r.errors.find("Unable to locate package") != std::string::npos ||
		    r.errors.find("Can't select") != std::string::npos ||
		    r.errors.find("has no installation candidate") != std::string::npos)
			throw KernelError("no package " + pkg + " in the apt archive");
		throw std::runtime_error("apt-get download " + pkg + " failed (" + r.describe() + "): " + r.errors);
	}
	for (auto &e : fs::directory_iterator(dir))
		if (e.path().filename().string().rfind(pkg + "_", 0) == 0 && e.path().extension() == ".deb")
			return e.path();
	throw std::runtime_error("apt-get download " + pkg + " left no .deb in " + dir.string());
}

void unpack_deb(const fs::path &deb, const fs::path &root)
{
	progress("unpacking {}", deb.filename().string());
	fs::create_directories(root);
	run_checked({"dpkg-deb", "-x", deb.string(), root.string()}, timed(10min));
}

std::string deb_field(const fs::path &deb, const std::string &field)
{
	auto out = run_checked({"dpkg-deb", "-f", deb.string(), field}, timed(1min));
	while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
		out.pop_back();
	return out;
}

// Debian packages put modules in lib/modules or usr/lib/modules; depmod -b
// and modprobe -d want BASE/lib/modules.
void fill_modules_from_root(Kernel &k, const fs::path &root)
{
	for (auto dir : {root / "lib" / "modules", root / "usr" / "lib" / "modules"}) {
		if (!fs::is_directory(dir))
			continue;
		for (auto &e : fs::directory_iterator(dir)) {
			if (!e.is_directory())
				continue;
			if (k.release.empty())
				k.release = e.path().filename().string();
			if (e.path().filename() == k.release) {
				if (dir.parent_path() != root / "lib") {
					std::error_code ec;
					fs::create_directory_symlink("usr/lib", root / "lib", ec);
				}
				k.modules_base = root;
			}
		}
	}
	for (auto &e : fs::directory_iterator(root / "boot"))
		if (e.path().filename().string().rfind("config-", 0) == 0)
			k.config = e.path();
}

// Finds boot/vmlinuz-* in an unpacked Debian image package.
fs::path find_vmlinuz(const fs::path &root, const std::string &what)
{
	if (fs::is_directory(root / "boot"))
		for (auto &e : fs::directory_iterator(root / "boot"))
			if (e.path().filename().string().rfind("vmlinuz-", 0) == 0)
				return e.path();
	throw KernelError(what + ": no boot/vmlinuz-* inside (not a kernel image package?)");
}

Kernel resolve_debian_version(const std::string &version)
{
	static const std::regex valid(R"(^[0-9]+\.[0-9]+[0-9A-Za-z.+~-]*$)");
	if (!std::regex_match(version, valid))
		throw KernelError("kernel '" + version + "': not a file, directory or Debian kernel version");
	Kernel k;
	k.kind = KernelKind::debian_version;
	k.spec = version;
	k.debian_version = version;
	fs::path dir = kernels_cache() / version;
	fs::path root = dir / "root";
	{
		CacheLock lock(kernels_cache() / (version + ".lock"));
		if (!fs::exists(dir / "complete")) {
			fs::remove_all(dir);
			TempDir dl("download");
			auto deb = apt_download("linux-image-" + version, dl.path());
			unpack_deb(deb, root);
			write_file_atomic(dir / "complete", deb.filename().string() + "\n");
		} else {
			progress("kernel {} from cache {}", version, dir.string());
		}
	}
	k.bzimage = find_vmlinuz(root, "linux-image-" + version);
	k.release = version;
	fill_modules_from_root(k, root);
	return k;
}

Kernel resolve_deb(const fs::path &deb)
{
	std::string pkg;
	try {
		pkg = deb_field(deb, "Package");
	} catch (const std::exception &e) {
		throw KernelError("kernel " + deb.string() + ": not a readable Debian package");
	}
	if (pkg.rfind("linux-image-", 0) != 0)
		throw KernelError("kernel " + deb.string() + ": package " + pkg + " is not a linux-image-* package");
	Kernel k;
	k.kind = KernelKind::debian_package;
	k.spec = deb.string();
	std::string hash = sha256_file(deb).substr(0, 16);
	fs::path dir = kernels_cache() / ("deb-" + hash);
	fs::path root = dir / "root";
	{
		CacheLock lock(kernels_cache() / ("deb-" + hash + ".lock"));
		if (!fs::exists(dir / "complete")) {
			fs::remove_all(dir);
			unpack_deb(deb, root);
			write_file_atomic(dir / "complete", pkg + "\n");
		}
	}
	k.bzimage = find_vmlinuz(root, "kernel " + deb.string());
	k.release = k.bzimage.filename().string().substr(std::string("vmlinuz-").size());
	// linux-image-6.1.0-56-amd64[-unsigned] -> 6.1.0-56-amd64 (for headers)
	std::string v = pkg.substr(std::string("linux-image-").size());
	if (auto p = v.find("-unsigned"); p != std::string::npos)
		v.erase(p);
	k.debian_version = v;
	fill_modules_from_root(k, root);
	return k;
}

// Installs a build tree's modules (if it has any) into the cache, once per
// kernel signature, so depmod/modprobe see a normal lib/modules layout.
void tree_modules(Kernel &k)
{
	fs::path order = k.build_tree / "modules.order";
	if (!fs::exists(order) || fs::file_size(order) == 0)
		return;
	fs::path dir = kernels_cache() / ("tree-" + k.signature.substr(0, 16));
	CacheLock lock(kernels_cache() / ("tree-" + k.signature.substr(0, 16) + ".lock"));
	if (!fs::exists(dir / "complete")) {
		fs::remove_all(dir);
		progress("installing the build tree's modules into {}", dir.string());
		run_checked({"make", "-s", "-C", k.build_tree.string(), "modules_install",
			     "INSTALL_MOD_PATH=" + (dir / "root").string(), "INSTALL_MOD_STRIP=1", "DEPMOD=/bin/true"},
			    timed(15min));
		write_file_atomic(dir / "complete", k.build_tree.string() + "\n");
	}
	k.modules_base = dir / "root";
}

Kernel resolve_tree(const fs::path &tree, const std::string &spec)
{
	Kernel k;
	k.kind = KernelKind::build_tree;
	k.spec = spec;
	k.build_tree = fs::canonical(tree);
	k.bzimage = k.build_tree / "arch/x86/boot/bzImage";
	if (!fs::exists(k.bzimage))
		throw KernelError("kernel " + spec + ": build tree without arch/x86/boot/bzImage (not built yet?)");
	k.release = bzimage_release(k.bzimage);
	std::ifstream rel(k.build_tree / "include/config/kernel.release");
	if (std::string line; rel && std::getline(rel, line) && !line.empty())
		k.release = line;
	if (fs::exists(k.build_tree / ".config"))
		k.config = k.build_tree / ".config";
	k.signature = sha256_file(k.bzimage);
	tree_modules(k);
	return k;
}

} // namespace

std::string default_debian_kernel()
{
	// linux-image-amd64 is Debian's "newest image" metapackage; on bookworm
	// it depends on the newest 6.1 ABI image.
	auto r = run_process({"apt-cache", "depends", "linux-image-amd64"}, timed(1min));
	static const std::regex dep(R"(Depends: linux-image-([0-9][^\s]*-amd64))");
	std::smatch m;
	if (r.ok() && std::regex_search(r.output, m, dep))
		return m[1];
	throw std::runtime_error("cannot find the default Debian kernel: 'apt-cache depends linux-image-amd64' " +
				 (r.ok() ? std::string("names no linux-image-*-amd64") : r.describe()));
}

Kernel resolve_kernel(const std::string &spec)
{
	if (spec.empty())
		throw KernelError("kernel: empty --kernel argument");
	fs::path p(spec);
	std::error_code ec;
	if (fs::is_directory(p, ec))
		return resolve_tree(p, spec);
	if (fs::exists(p, ec)) {
		if (!fs::is_regular_file(p, ec))
			throw KernelError("kernel " + spec + ": not a regular file");
		if (p.extension() == ".deb") {
			Kernel k = resolve_deb(fs::absolute(p));
			k.signature = sha256_file(k.bzimage);
			return k;
		}
		Kernel k;
		k.kind = KernelKind::bzimage;
		k.spec = spec;
		k.bzimage = fs::absolute(p);
		k.release = bzimage_release(k.bzimage);
		// A bzImage inside a build tree (TREE/arch/x86/boot/bzImage):
		// use the tree, it has what pipewatch.ko needs.
		fs::path tree = k.bzimage.parent_path().parent_path().parent_path().parent_path();
		if (k.bzimage.filename() == "bzImage" && fs::exists(tree / ".config") &&
		    fs::exists(tree / "Makefile") && fs::equivalent(tree / "arch/x86/boot/bzImage", k.bzimage, ec))
			return resolve_tree(tree, spec);
		// A vmlinuz from an unpacked Debian package (ROOT/boot/vmlinuz-V
		// next to ROOT/lib/modules/V): use those modules and, for
		// pipewatch.ko, the matching headers.
		fs::path root = k.bzimage.parent_path().parent_path();
		if (k.bzimage.parent_path().filename() == "boot" && !k.release.empty() &&
		    (fs::is_directory(root / "lib/modules" / k.release) ||
		     fs::is_directory(root / "usr/lib/modules" / k.release))) {
			fill_modules_from_root(k, root);
			k.debian_version = k.release;
		}
		k.signature = sha256_file(k.bzimage);
		return k;
	}
	if (spec.find('/') != std::string::npos || spec.ends_with(".deb"))
		throw KernelError("kernel " + spec + ": no such file or directory");
	Kernel k = resolve_debian_version(spec);
	k.signature = sha256_file(k.bzimage);
	return k;
}

fs::path kbuild_dir(const Kernel &k)
{
	if (!k.build_tree.empty())
		return k.build_tree;
	if (k.debian_version.empty())
		throw std::runtime_error("no kernel build tree or headers for a bare bzImage (" + k.spec +
					 "): pass the build tree or a Debian kernel instead");
	const std::string v = k.debian_version;
	fs::path installed = "/usr/src/linux-headers-" + v;
	if (fs::exists(installed / "Makefile") && fs::exists(installed / "scripts"))
		return installed;
	// Not installed: unpack linux-headers-V, its -common package and the
	// matching linux-kbuild into the cache; fix the absolute include.
	fs::path dir = kernels_cache() / ("headers-" + v);
	fs::path root = dir / "root";
	CacheLock lock(kernels_cache() / ("headers-" + v + ".lock"));
	if (!fs::exists(dir / "complete")) {
		fs::remove_all(dir);
		TempDir dl("headers");
		auto deb = apt_download("linux-headers-" + v, dl.path());
		unpack_deb(deb, root);
		std::string depends = deb_field(deb, "Depends");
		static const std::regex pkg_re(R"((linux-headers-[^\s,]+-common(?:-rt)?|linux-kbuild-[^\s,]+))");
		for (std::sregex_iterator it(depends.begin(), depends.end(), pkg_re), end; it != end; ++it) {
			std::string name = (*it)[1];
			if (name.rfind("linux-kbuild-", 0) == 0 && fs::exists("/usr/lib/" + name)) {
				// Installed on the host: the relative scripts symlink
				// needs it inside our root too.
				fs::create_directories(root / "usr/lib");
				std::error_code ec;
				fs::create_directory_symlink("/usr/lib/" + name, root / "usr/lib" / name, ec);
				continue;
			}
			unpack_deb(apt_download(name, dl.path()), root);
		}
		fs::path mk = root / "usr/src" / ("linux-headers-" + v) / "Makefile";
		std::string text = read_file(mk);
		std::string abs = "/usr/src/";
		if (auto pos = text.find(abs); pos != std::string::npos)
			text.replace(pos, abs.size(), (root / "usr/src").string() + "/");
		write_file_atomic(mk, text);
		write_file_atomic(dir / "complete", v + "\n");
	}
	return root / "usr/src" / ("linux-headers-" + v);
}

} // namespace pipehang::guest

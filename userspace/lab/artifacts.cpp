#include "lab/artifacts.h"

#include "guest/disk.h"
#include "util/process.h"
#include "util/sha256.h"

#include <chrono>
#include <stdexcept>
#include <system_error>

namespace pipehang::lab {

namespace fs = std::filesystem;

namespace {

Artifact artifact(const fs::path &file, std::string compression = {})
{
	return {file.filename().string(), util::sha256_file(file), std::move(compression)};
}

} // namespace

JobArtifacts stage_artifacts(const guest::InstanceRequest &req, const fs::path &dir)
{
	if (!req.kernel || !req.image)
		throw std::invalid_argument("stage_artifacts: no kernel or no guest image");
	std::error_code ec;
	fs::create_directories(dir, ec);
	if (ec)
		throw std::runtime_error("cannot make the artifact directory " + dir.string() + ": " + ec.message());
	JobArtifacts a;

	const fs::path kernel = dir / "bzImage";
	fs::copy_file(req.kernel->bzimage, kernel, fs::copy_options::overwrite_existing, ec);
	if (ec)
		throw std::runtime_error("cannot copy the kernel " + req.kernel->bzimage.string() + " to " +
					 kernel.string() + ": " + ec.message());
	a.kernel = artifact(kernel);

	const fs::path initrd = dir / "initrd.cpio";
	guest::write_boot_initrd(req, initrd);
	a.initrd = artifact(initrd);

	// make_ext4_disk names it disk.img; zstd -1 replaces it with disk.img.zst.
	const fs::path raw = guest::make_ext4_disk(dir, req.settings.disk_mb);
	const fs::path zst = dir / (raw.filename().string() + ".zst");
	util::run_checked({"zstd", "-q", "-1", "-f", "--rm", raw.string(), "-o", zst.string()},
			  util::timed(std::chrono::seconds(120)));
	a.disk = artifact(zst, "zstd");
	return a;
}

} // namespace pipehang::lab

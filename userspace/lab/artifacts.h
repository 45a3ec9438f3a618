// What a lab fetches for one boot: the kernel image, the guest's initrd
// (the same bytes a local boot gets: guest::write_boot_initrd) and a fresh
// ext4 test disk, compressed with zstd (256 MiB of mostly zeros become a
// few hundred KiB on the wire; LAVA unpacks zstd itself). Each file's
// sha256 goes into the job so the lab checks what it fetched.
#pragma once

#include "guest/instance.h"
#include "lab/lava_job.h"

#include <filesystem>

namespace pipehang::lab {

// Writes REQ's kernel, initrd and disk into DIR (made if missing). Throws
// std::runtime_error naming the file that cannot be written.
JobArtifacts stage_artifacts(const guest::InstanceRequest &req, const std::filesystem::path &dir);

} // namespace pipehang::lab

// The per-run test disk: a sparse file formatted as ext4 on the host,
// attached to the guest as virtio-blk and mounted at /mnt/ext4. Made fresh
// for every boot inside the run's temporary directory.
#pragma once

#include <cstdint>
#include <filesystem>

namespace pipehang::guest {

// Creates DIR/disk.img of SIZE_MB MiB. Inode tables and journal are
// initialised on the host so the guest's lazy-init thread does not eat a
// throttled disk's bandwidth.
std::filesystem::path make_ext4_disk(const std::filesystem::path &dir, std::uint64_t size_mb);

} // namespace pipehang::guest

// SHA-256 for content-addressed caching (guest images, module builds) and
// kernel signatures. Incremental, so large files are hashed in chunks.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace pipehang::guest {

class Sha256 {
public:
	Sha256();
	Sha256 &update(std::string_view data);
	Sha256 &update_file(const std::filesystem::path &file); // throws if unreadable
	std::string hex(); // finishes; the object is spent afterwards

private:
	void block(const std::uint8_t *p);
	std::array<std::uint32_t, 8> h_;
	std::array<std::uint8_t, 64> buf_{};
	std::size_t buf_len_ = 0;
	std::uint64_t total_ = 0;
};

std::string sha256_hex(std::string_view data);
std::string sha256_file(const std::filesystem::path &file);

} // namespace pipehang::guest

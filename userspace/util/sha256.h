// SHA-256 for content-addressed caching (guest images, module builds) and
// kernel signatures, computed by OpenSSL's libcrypto. Incremental, so large
// files are hashed in chunks.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace pipehang::util {

class Sha256 {
public:
	Sha256(); // throws if libcrypto cannot set up the digest
	~Sha256();
	Sha256(const Sha256 &) = delete;
	Sha256 &operator=(const Sha256 &) = delete;

	Sha256 &update(std::string_view data);
	Sha256 &update_file(const std::filesystem::path &file); // throws if unreadable
	std::string hex();                                      // finishes; the object is spent afterwards

private:
	struct Ctx;
	std::unique_ptr<Ctx> ctx_;
};

std::string sha256_hex(std::string_view data);
std::string sha256_file(const std::filesystem::path &file);

} // namespace pipehang::util

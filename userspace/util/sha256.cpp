// SHA-256 through libcrypto's EVP interface: the hashing itself is OpenSSL's
// job, this file only adapts it to strings, files and hex output.
#include "util/sha256.h"

#include <openssl/evp.h>

#include <fstream>
#include <stdexcept>

namespace pipehang::util {

struct Sha256::Ctx {
	EVP_MD_CTX *md = nullptr;
	bool done = false;
	~Ctx() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>())
{
	ctx_->md = EVP_MD_CTX_new();
	if (!ctx_->md || EVP_DigestInit_ex(ctx_->md, EVP_sha256(), nullptr) != 1)
		throw std::runtime_error("libcrypto: cannot initialise SHA-256");
}

Sha256::~Sha256() = default;

Sha256 &Sha256::update(std::string_view data)
{
	if (ctx_->done)
		throw std::logic_error("Sha256::update after hex()");
	if (EVP_DigestUpdate(ctx_->md, data.data(), data.size()) != 1)
		throw std::runtime_error("libcrypto: SHA-256 update failed");
	return *this;
}

Sha256 &Sha256::update_file(const std::filesystem::path &file)
{
	std::ifstream in(file, std::ios::binary);
	if (!in)
		throw std::runtime_error("cannot read " + file.string());
	std::string chunk(1 << 16, '\0');
	while (in) {
		in.read(chunk.data(), chunk.size());
		update(std::string_view(chunk.data(), in.gcount()));
	}
	if (in.bad())
		throw std::runtime_error("read error on " + file.string());
	return *this;
}

std::string Sha256::hex()
{
	if (ctx_->done)
		throw std::logic_error("Sha256::hex called twice");
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (EVP_DigestFinal_ex(ctx_->md, md, &len) != 1)
		throw std::runtime_error("libcrypto: SHA-256 final failed");
	ctx_->done = true;
	static const char digits[] = "0123456789abcdef";
	std::string out;
	out.reserve(2 * len);
	for (unsigned int i = 0; i < len; i++) {
		out += digits[md[i] >> 4];
		out += digits[md[i] & 15];
	}
	return out;
}

std::string sha256_hex(std::string_view data)
{
	return Sha256().update(data).hex();
}

std::string sha256_file(const std::filesystem::path &file)
{
	return Sha256().update_file(file).hex();
}

} // namespace pipehang::util

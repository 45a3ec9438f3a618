// Checks on the files and directories a user names on the command line,
// made where the input enters, before any work: an input must be a regular
// file we can read, an output must be writable (probed without creating or
// truncating anything). Each returns "" when the path is fine, else the
// problem in a few words for a message that names the flag and the path
// ("--script /tmp: is a directory").
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace pipehang::util {

// A regular file this process can read.
std::string input_file_problem(const std::filesystem::path &file);

// A file this process can write: an existing one that is not a directory
// and opens for writing (not truncated here), or a new one whose directory
// exists and is writable (not created here).
std::string output_file_problem(const std::filesystem::path &file);

// A directory this process can create files in: an existing writable
// directory, or a new one under a writable existing directory (its
// missing parents are made later, by whoever writes there).
std::string output_dir_problem(const std::filesystem::path &dir);

// Reads FILE ("-": standard input) into OUT, at most MAX_BYTES: a regular
// file larger than that, or a stream that goes on past it (/dev/zero
// through "-"), is refused rather than read without bound. False with
// ERROR set ("is a directory", "not a regular file", "larger than ...").
bool read_bounded(const std::string &file, std::size_t max_bytes, std::string &out, std::string &error);

} // namespace pipehang::util

#include "sys/errno_name.h"

#include <string.h>

namespace pipehang::sys {

std::string errno_name(int err)
{
	if (err == 0)
		return "OK";
	// glibc >= 2.32 knows every errno name; it returns NULL for unknown values.
	if (const char *name = strerrorname_np(err))
		return name;
	return "E" + std::to_string(err);
}

std::string errno_text(int err)
{
	// strerrordesc_np returns a static string and, unlike strerror, does not
	// depend on the locale or share a buffer between threads.
	if (const char *text = strerrordesc_np(err))
		return text;
	return "Unknown error " + std::to_string(err);
}

} // namespace pipehang::sys

# The exit statuses of every pipehang command, for the shell scripts and
# tests (source this file). The C++ table is userspace/util/exit_status.h;
# tests/unit/util_exit_status_test.cpp checks that the two agree. Besides
# comments, only PH_EXIT_NAME=NUMBER lines: the test reads them one by one.
# shellcheck shell=sh disable=SC2034 # (the names are used where this is sourced)
PH_EXIT_GOOD=0
PH_EXIT_BAD=1
PH_EXIT_USAGE=2
PH_EXIT_NO_CULPRIT=3
PH_EXIT_GUEST_DIED=122
PH_EXIT_BOOT_FAILED=123
PH_EXIT_TIMEOUT=124
PH_EXIT_SKIP=125
PH_EXIT_ERROR=128
PH_EXIT_INTERRUPTED=130

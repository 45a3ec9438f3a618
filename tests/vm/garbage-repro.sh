#!/bin/sh
# A reproducer whose output is corrupted: random bytes instead of JSON
# lines. The oracle must not call this good (or bad): skip, with a reason.
head -c 3000 /dev/urandom
echo
echo '{"tool":"garbage-repro","iteration":1,"exercised":tr'
exit 0

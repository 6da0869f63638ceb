/* kernel/random.h — pseudo-random bytes for AT_RANDOM and /dev/urandom. */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <stddef.h>

void get_random_bytes(void *buf, size_t n);
#endif

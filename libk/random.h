/*
 * libk/random.h — a small deterministic pseudo-random generator
 * (xorshift32) for tests and stress runs: the same seed gives the same
 * sequence on the host and in the kernel. Not for anything secret.
 */
#ifndef LIBK_RANDOM_H
#define LIBK_RANDOM_H

#include <stdint.h>

static inline uint32_t xorshift32(uint32_t *state)
{
	uint32_t x = *state ? *state : 0x9E3779B9u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* A value in [0, n). */
static inline uint32_t random_below(uint32_t *state, uint32_t n)
{
	return n ? xorshift32(state) % n : 0;
}
#endif

/*
 * kernel/random.c — the kernel's pseudo-random bytes (AT_RANDOM,
 * /dev/urandom). An xorshift generator stirred with the time-stamp
 * counter on every call: unpredictable enough for stack canaries in a
 * teaching kernel, not for cryptography.
 */
#include <kernel/random.h>
#include <kernel/spinlock.h>
#include <arch/x86/cpu.h>
#include <libk/random.h>

static DEFINE_SPINLOCK(random_lock);
static uint32_t state = 0x2545F491u;

void
get_random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;
	uint32_t flags = spin_lock_irqsave(&random_lock);

	state ^= (uint32_t)rdtsc();
	if (!state)
		state = 0x2545F491u;
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)xorshift32(&state);
	spin_unlock_irqrestore(&random_lock, flags);
}

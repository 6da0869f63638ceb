/* kernel/main.h — boot milestones, read by benchmarks. */
#ifndef KERNEL_MAIN_H
#define KERNEL_MAIN_H

#include <stdint.h>

/* Time-stamp counter at kmain entry and when the init thread starts.
 * Under QEMU -icount shift=0 the TSC counts guest instructions. */
extern uint64_t boot_tsc_kmain, boot_tsc_init_done;
#endif

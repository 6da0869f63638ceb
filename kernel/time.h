/*
 * kernel/time.h — clocks. CLOCK_MONOTONIC counts from boot using the
 * time-stamp counter, calibrated against the PIT; CLOCK_REALTIME adds the
 * wall-clock time read from the CMOS RTC at boot.
 */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <stdint.h>

#define NSEC_PER_SEC 1000000000ull

void time_init(void);
uint64_t monotonic_ns(void);
uint64_t realtime_ns(void);
#endif

/*
 * kernel/time.c — clocks and sleeping system calls.
 *
 * The TSC rate is measured once at boot against PIT channel 2 (a known
 * 1.193182 MHz): count TSC cycles over CALIBRATE_MS. Under QEMU with
 * -icount shift=0 the TSC advances once per guest instruction, so the
 * calibration then reads 1 GHz and all clocks stay deterministic.
 */
#include <kernel/time.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/uaccess.h>
#include <kernel/signal.h>
#include <kernel/printk.h>
#include <arch/x86/cpu.h>
#include <arch/x86/pit.h>

#define CALIBRATE_MS     50
#define PIT_CH2_DATA     0x42
#define PIT_CMD          0x43
#define PIT_CH2_ONESHOT  0xB0          /* channel 2, lo/hi, mode 0 */
#define PORT_B           0x61
#define PORT_B_GATE2     0x01
#define PORT_B_SPEAKER   0x02
#define PORT_B_OUT2      0x20
#define CMOS_INDEX       0x70
#define CMOS_DATA        0x71
#define CLOCK_REALTIME   0
#define CLOCK_MONOTONIC  1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_REALTIME_COARSE    5
#define CLOCK_MONOTONIC_COARSE   6
#define CLOCK_BOOTTIME           7
#define TIMER_ABSTIME    1

static uint64_t tsc_khz = 1000000;     /* until calibrated: 1 GHz */
static uint64_t tsc_at_boot;
static uint64_t boot_epoch_ns;

static void
calibrate_tsc(void)
{
	uint16_t count = PIT_INPUT_HZ / 1000 * CALIBRATE_MS;
	uint64_t t0, t1;

	outb(PORT_B, (inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	outb(PIT_CMD, PIT_CH2_ONESHOT);
	outb(PIT_CH2_DATA, count & 0xFF);
	outb(PIT_CH2_DATA, count >> 8);
	t0 = rdtsc();
	while (!(inb(PORT_B) & PORT_B_OUT2))
		cpu_relax();
	t1 = rdtsc();
	if (t1 > t0)
		tsc_khz = (t1 - t0) / CALIBRATE_MS;
}

static unsigned
cmos_read(unsigned reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static unsigned
bcd(unsigned v)
{
	return (v & 0xF) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t
days_since_epoch(unsigned y, unsigned m, unsigned d)
{
	static const unsigned before_month[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	uint64_t days = (y - 1970) * 365ull + d - 1 + before_month[m - 1];

	days += (y - 1969) / 4 - (y - 1901) / 100 + (y - 1601) / 400;
	if (m > 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0))
		days++;
	return days;
}

static void
read_rtc(void)
{
	unsigned sec = bcd(cmos_read(0)), min = bcd(cmos_read(2)), hour = bcd(cmos_read(4));
	unsigned day = bcd(cmos_read(7)), mon = bcd(cmos_read(8)), year = 2000 + bcd(cmos_read(9));

	if (mon < 1 || mon > 12 || day < 1)
		return;
	boot_epoch_ns = ((days_since_epoch(year, mon, day) * 24 + hour) * 60 + min) * 60 + sec;
	boot_epoch_ns *= NSEC_PER_SEC;
}

void
time_init(void)
{
	calibrate_tsc();
	tsc_at_boot = rdtsc();
	read_rtc();
	printk(KERN_INFO "time: TSC %llu kHz, wall clock %llu s since 1970\n",
	       (unsigned long long)tsc_khz, (unsigned long long)(boot_epoch_ns / NSEC_PER_SEC));
}

uint64_t
monotonic_ns(void)
{
	uint64_t cycles = rdtsc() - tsc_at_boot;

	return cycles / tsc_khz * 1000000ull + (cycles % tsc_khz) * 1000000ull / tsc_khz;
}

uint64_t
realtime_ns(void)
{
	return boot_epoch_ns + monotonic_ns();
}

/* ---- system calls ---- */

struct timespec32 { int32_t tv_sec, tv_nsec; };
struct timespec64 { int64_t tv_sec, tv_nsec; };

static int
clock_now(int clock, uint64_t *ns)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = monotonic_ns();
		return 0;
	default:
		return -EINVAL;
	}
}

/* Writes ns as a timespec of the caller's ABI: 64-bit time (the *_time64
 * calls) or the old 32-bit one. 0 or -EFAULT. */
static int
put_user_timespec(void *uts, bool time64, uint64_t ns)
{
	struct timespec64 ts64 = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };
	struct timespec32 ts32 = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };

	return time64 ? copy_to_user(uts, &ts64, sizeof(ts64)) : copy_to_user(uts, &ts32, sizeof(ts32));
}

static long
clock_gettime_user(int clock, void *uts, bool time64)
{
	uint64_t ns;
	int err = clock_now(clock, &ns);

	return err ?: put_user_timespec(uts, time64, ns);
}

static long
clock_getres_user(int clock, void *uts, bool time64)
{
	uint64_t ns;

	if (clock_now(clock, &ns))
		return -EINVAL;
	return uts ? put_user_timespec(uts, time64, 1) : 0;
}

static long sys_clock_gettime64(int clock, void *uts)      { return clock_gettime_user(clock, uts, true); }
static long sys_clock_gettime(int clock, void *uts)        { return clock_gettime_user(clock, uts, false); }
static long sys_clock_getres_time64(int clock, void *uts)  { return clock_getres_user(clock, uts, true); }
static long sys_clock_getres(int clock, void *uts)         { return clock_getres_user(clock, uts, false); }
SYSCALL_DEFINE(clock_gettime64, sys_clock_gettime64);
SYSCALL_DEFINE(clock_gettime, sys_clock_gettime);
SYSCALL_DEFINE(clock_getres_time64, sys_clock_getres_time64);
SYSCALL_DEFINE(clock_getres, sys_clock_getres);

struct timeval32 { int32_t tv_sec, tv_usec; };

static long
sys_gettimeofday(struct timeval32 *utv, void *utz)
{
	uint64_t ns = realtime_ns();
	struct timeval32 tv = { ns / NSEC_PER_SEC, (ns % NSEC_PER_SEC) / 1000 };

	if (utv && copy_to_user(utv, &tv, sizeof(tv)))
		return -EFAULT;
	if (utz && clear_user(utz, 2 * sizeof(int32_t)))
		return -EFAULT;
	return 0;
}
SYSCALL_DEFINE(gettimeofday, sys_gettimeofday);

static long
sys_time(int32_t *ut)
{
	int32_t now = realtime_ns() / NSEC_PER_SEC;

	if (ut && copy_to_user(ut, &now, sizeof(now)))
		return -EFAULT;
	return now;
}
SYSCALL_DEFINE(time, sys_time);

/*
 * Sleeps until monotonic time `until` (ns) or a signal. Returns 0, or
 * -EINTR with *left set to the time that remained.
 */
static int
sleep_until(uint64_t until, uint64_t *left)
{
	uint64_t tick_ns = NSEC_PER_SEC / hz;

	for (;;) {
		uint64_t now = monotonic_ns();

		if (now >= until)
			return 0;
		if (signal_pending(current)) {
			*left = until - now;
			return -EINTR;
		}
		/* one extra tick: the current one may be nearly over */
		current->state = TASK_INTERRUPTIBLE;
		schedule_timeout_state((until - now + tick_ns - 1) / tick_ns + 1);
	}
}

/* Validates and converts a timespec; -EINVAL if out of range. */
static int
timespec_to_ns(int64_t sec, int64_t nsec, uint64_t *ns)
{
	if (sec < 0 || nsec < 0 || nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	*ns = (uint64_t)sec * NSEC_PER_SEC + nsec;
	return 0;
}

static long
do_nanosleep(int clock, int flags, uint64_t req, uint64_t *left)
{
	uint64_t now;

	if (clock_now(clock, &now) || clock == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	if (flags & TIMER_ABSTIME) {
		if (req <= now)
			return 0;
		req -= now;
	}
	*left = 0;
	return sleep_until(monotonic_ns() + req, left);
}

/* Reads a timespec of the caller's ABI as nanoseconds; 0, -EFAULT, or
 * -EINVAL for a negative or unnormalised one. */
static int
get_user_timespec_ns(const void *uts, bool time64, uint64_t *ns)
{
	struct timespec64 ts64;
	struct timespec32 ts32;

	if (time64) {
		if (copy_from_user(&ts64, uts, sizeof(ts64)))
			return -EFAULT;
		return timespec_to_ns(ts64.tv_sec, ts64.tv_nsec, ns);
	}
	if (copy_from_user(&ts32, uts, sizeof(ts32)))
		return -EFAULT;
	return timespec_to_ns(ts32.tv_sec, ts32.tv_nsec, ns);
}

/* nanosleep and clock_nanosleep, both ABIs: an interrupted relative sleep
 * reports the time left in *urem. */
static long
nanosleep_user(int clock, int flags, const void *ureq, void *urem, bool time64)
{
	uint64_t req, left;
	long err = get_user_timespec_ns(ureq, time64, &req);

	if (err)
		return err;
	err = do_nanosleep(clock, flags, req, &left);
	if (err == -EINTR && urem && !(flags & TIMER_ABSTIME) && put_user_timespec(urem, time64, left))
		return -EFAULT;
	return err;
}

static long
sys_nanosleep(const void *ureq, void *urem)
{
	return nanosleep_user(CLOCK_MONOTONIC, 0, ureq, urem, false);
}
SYSCALL_DEFINE(nanosleep, sys_nanosleep);

static long
sys_clock_nanosleep(int clock, int flags, const void *ureq, void *urem)
{
	return nanosleep_user(clock, flags, ureq, urem, false);
}
SYSCALL_DEFINE(clock_nanosleep, sys_clock_nanosleep);

static long
sys_clock_nanosleep_time64(int clock, int flags, const void *ureq, void *urem)
{
	return nanosleep_user(clock, flags, ureq, urem, true);
}
SYSCALL_DEFINE(clock_nanosleep_time64, sys_clock_nanosleep_time64);

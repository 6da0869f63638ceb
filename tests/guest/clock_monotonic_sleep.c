/*
 * clock_monotonic_sleep — time:
 *   - CLOCK_MONOTONIC never goes backwards over many reads, tv_nsec is always
 *     below one billion;
 *   - nanosleep(50 ms) returns 0 and advances CLOCK_MONOTONIC by at least
 *     50 ms (no upper bound: the guest may be slow);
 *   - CLOCK_REALTIME is after 2000-01-01; time() agrees with it to within a
 *     few seconds;
 *   - an invalid clock id and a tv_nsec of one billion are EINVAL.
 */
#define TEST_NAME "clock_monotonic_sleep"
#include "guest.h"
#include <time.h>

#define READS          1000
#define NSEC_PER_SEC   1000000000LL
#define NSEC_PER_MSEC  1000000LL
#define SLEEP_MS       50
#define YEAR_2000      946684800LL             /* 2000-01-01T00:00:00Z */
#define TIME_SLACK_S   5
#define BAD_CLOCK      ((clockid_t)9999)

/* to_ns - a timespec in nanoseconds. */
static long long
to_ns(const struct timespec *ts)
{
	return (long long)ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

/* monotonic_ns - CLOCK_MONOTONIC now, checking tv_nsec is in range. */
static long long
monotonic_ns(void)
{
	struct timespec ts;

	CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &ts));
	CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < NSEC_PER_SEC, "tv_nsec out of range: %ld", ts.tv_nsec);
	return to_ns(&ts);
}

/* check_monotonic - READS successive readings never decrease. */
static void
check_monotonic(void)
{
	long long previous = monotonic_ns();

	for (int i = 0; i < READS; i++) {
		long long now = monotonic_ns();
		CHECK(now >= previous, "CLOCK_MONOTONIC went back by %lld ns", previous - now);
		previous = now;
	}
}

/* check_sleep - nanosleep(SLEEP_MS) lasts at least SLEEP_MS by the monotonic clock. */
static void
check_sleep(void)
{
	struct timespec request = { 0, SLEEP_MS * NSEC_PER_MSEC };
	long long before = monotonic_ns();

	CHECK_EQ("nanosleep", 0, nanosleep(&request, NULL));
	long long slept = monotonic_ns() - before;
	say("nanosleep(%d ms) took %lld ms", SLEEP_MS, slept / NSEC_PER_MSEC);
	CHECK(slept >= SLEEP_MS * NSEC_PER_MSEC, "slept only %lld ns", slept);
}

/* check_realtime - the wall clock is past 2000 and time() agrees with it. */
static void
check_realtime(void)
{
	struct timespec ts;

	CHECK_OK(clock_gettime(CLOCK_REALTIME, &ts));
	CHECK(ts.tv_sec > YEAR_2000, "CLOCK_REALTIME before 2000 (%lld)", (long long)ts.tv_sec);
	long long t = (long long)time(NULL);
	CHECK(t >= ts.tv_sec && t <= ts.tv_sec + TIME_SLACK_S,
	      "time() %lld far from CLOCK_REALTIME %lld", t, (long long)ts.tv_sec);
}

/* check_invalid - a bad clock id and a bad tv_nsec are EINVAL. */
static void
check_invalid(void)
{
	struct timespec ts;
	struct timespec bad = { 0, NSEC_PER_SEC };

	CHECK_ERRNO(clock_gettime(BAD_CLOCK, &ts), EINVAL);
	CHECK_ERRNO(nanosleep(&bad, NULL), EINVAL);
}

int
main(void)
{
	say("%d monotonic reads", READS);
	check_monotonic();
	check_sleep();
	say("realtime clock");
	check_realtime();
	say("invalid arguments");
	check_invalid();
	say("clocks and sleep behaved");
	return 0;
}

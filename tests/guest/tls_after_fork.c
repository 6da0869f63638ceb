/*
 * tls_after_fork — thread-local storage (musl sets it up with
 * set_thread_area and reaches it through %gs): an initialised __thread
 * variable starts with its initial value, a zero-initialised one at zero;
 * after fork the child sees the parent's current values at the same
 * addresses, changes them, and the parent's copies stay as they were. The
 * thread pointer (%gs:0) points to itself in both processes.
 */
#define TEST_NAME "tls_after_fork"
#include "guest.h"

#define INITIAL        0x7157
#define PARENT_VALUE   0xAAAA
#define CHILD_VALUE    0xCCCC
#define TLS_ARRAY      64

static __thread int tls_initialised = INITIAL;
static __thread int tls_zero;
static __thread char tls_array[TLS_ARRAY];

/* thread_pointer - what %gs:0 holds (musl stores the thread pointer there). */
static uintptr_t
thread_pointer(void)
{
	uintptr_t tp;

	__asm__ volatile("movl %%gs:0, %0" : "=r"(tp));
	return tp;
}

/* child_side - the child sees the parent's TLS values, then changes its own. */
static void
child_side(int *parent_addr)
{
	CHECK_EQ("child sees the parent's initialised value", PARENT_VALUE, tls_initialised);
	CHECK_EQ("child sees the parent's zero value", PARENT_VALUE + 1, tls_zero);
	CHECK_PATTERN("child sees the parent's array", tls_array, TLS_ARRAY, PARENT_VALUE);
	CHECK_EQ_HEX("same address in the child", (uintptr_t)parent_addr, (uintptr_t)&tls_initialised);
	CHECK_EQ_HEX("child's thread pointer points to itself", thread_pointer(),
		     *(uintptr_t *)thread_pointer());
	tls_initialised = CHILD_VALUE;
	tls_zero = CHILD_VALUE + 1;
	pattern_fill(tls_array, TLS_ARRAY, CHILD_VALUE);
	CHECK_EQ("child's own value", CHILD_VALUE, tls_initialised);
	_exit(0);
}

int
main(void)
{
	say("initial values");
	CHECK_EQ("initialised __thread", INITIAL, tls_initialised);
	CHECK_EQ("zero __thread", 0, tls_zero);
	CHECK_ZERO("zero __thread array", tls_array, TLS_ARRAY);
	CHECK(thread_pointer() != 0, "thread pointer is NULL");
	CHECK_EQ_HEX("thread pointer points to itself", thread_pointer(),
		     *(uintptr_t *)thread_pointer());

	tls_initialised = PARENT_VALUE;
	tls_zero = PARENT_VALUE + 1;
	pattern_fill(tls_array, TLS_ARRAY, PARENT_VALUE);
	say("fork: the child changes its copies");
	pid_t pid = fork_or_fail();
	if (pid == 0)
		child_side(&tls_initialised);
	check_exited("child", wait_for(pid), 0);
	CHECK_EQ("parent's initialised value", PARENT_VALUE, tls_initialised);
	CHECK_EQ("parent's zero value", PARENT_VALUE + 1, tls_zero);
	CHECK_PATTERN("parent's array", tls_array, TLS_ARRAY, PARENT_VALUE);
	say("TLS is per process and survives fork");
	return 0;
}

/*
 * reboot_bad_arguments — reboot(2) refuses bad arguments as Linux does, for
 * any process (this test is not PID 1): a wrong first or second magic number
 * is EINVAL, and so is an unknown command given with good magic numbers,
 * for each of the four second magic numbers Linux accepts.
 *
 * Runs on the host's Linux as root too, so it must never make a call that
 * could succeed there: every call passes a command no kernel knows (checked
 * at compile time against every command Linux has), and Linux rejects it
 * after its capability and magic checks, before doing anything. (Linux checks
 * CAP_SYS_BOOT first, EPERM; every anvil process has it, and so does root on
 * the host.)
 */
#define TEST_NAME "reboot_bad_arguments"
#include "guest.h"

#include <sys/syscall.h>

#define MAGIC1        0xfee1deadu
#define BAD_MAGIC1    0xfee1deaeu
#define BAD_MAGIC2    0x28121970u
#define UNKNOWN_CMD   0x0badc0deu

/* Linux's commands (include/uapi/linux/reboot.h): UNKNOWN_CMD is none. */
_Static_assert(UNKNOWN_CMD != 0x01234567u && UNKNOWN_CMD != 0xCDEF0123u &&
	       UNKNOWN_CMD != 0x89ABCDEFu && UNKNOWN_CMD != 0x00000000u &&
	       UNKNOWN_CMD != 0x4321FEDCu && UNKNOWN_CMD != 0xA1B2C3D4u &&
	       UNKNOWN_CMD != 0xD000FCE2u && UNKNOWN_CMD != 0x45584543u,
	       "UNKNOWN_CMD must not be a reboot command");

/* The second magic numbers Linux accepts (LINUX_REBOOT_MAGIC2, 2A, 2B, 2C). */
static const unsigned int good_magic2[] = { 0x28121969u, 0x05121996u, 0x16041998u, 0x20112000u };

static long
raw_reboot(unsigned int magic1, unsigned int magic2, unsigned int cmd)
{
	return syscall(SYS_reboot, magic1, magic2, cmd, NULL);
}

int
main(void)
{
	CHECK(getpid() != 1, "must not run as PID 1 (pid %d)", (int)getpid());

	say("a wrong first magic number is EINVAL");
	CHECK_ERRNO(raw_reboot(BAD_MAGIC1, good_magic2[0], UNKNOWN_CMD), EINVAL);
	CHECK_ERRNO(raw_reboot(0, 0, UNKNOWN_CMD), EINVAL);

	say("a wrong second magic number is EINVAL");
	CHECK_ERRNO(raw_reboot(MAGIC1, BAD_MAGIC2, UNKNOWN_CMD), EINVAL);
	CHECK_ERRNO(raw_reboot(MAGIC1, 0, UNKNOWN_CMD), EINVAL);

	say("good magic numbers and an unknown command: EINVAL, not EPERM");
	for (unsigned i = 0; i < sizeof(good_magic2) / sizeof(good_magic2[0]); i++)
		CHECK_ERRNO(raw_reboot(MAGIC1, good_magic2[i], UNKNOWN_CMD), EINVAL);

	say("still running: nothing was powered off");
	return 0;
}

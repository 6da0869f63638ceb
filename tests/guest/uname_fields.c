/*
 * uname_fields — uname fills struct utsname: returns 0; sysname, release,
 * version and machine are non-empty; every field is NUL-terminated within its
 * 65 bytes (checked over a buffer poisoned beforehand); uname(NULL) is EFAULT.
 * The values themselves differ between anvil and Linux and are only printed.
 */
#define TEST_NAME "uname_fields"
#include "guest.h"
#include <sys/syscall.h>
#include <sys/utsname.h>

#define POISON         0x7e

/* check_field - a NUL within the field; non-empty when required. */
static void
check_field(const char *name, const char *field, size_t size, int must_be_non_empty)
{
	CHECK(memchr(field, '\0', size) != NULL, "uname %s is not NUL-terminated", name);
	if (must_be_non_empty)
		CHECK(field[0] != '\0', "uname %s is empty", name);
}

int
main(void)
{
	struct utsname u;

	memset(&u, POISON, sizeof(u));
	CHECK_EQ("uname", 0, uname(&u));
	say("%s %s %s %s", u.sysname, u.release, u.version, u.machine);
	check_field("sysname", u.sysname, sizeof(u.sysname), 1);
	check_field("nodename", u.nodename, sizeof(u.nodename), 0);
	check_field("release", u.release, sizeof(u.release), 1);
	check_field("version", u.version, sizeof(u.version), 1);
	check_field("machine", u.machine, sizeof(u.machine), 1);
	check_field("domainname", u.domainname, sizeof(u.domainname), 0);
	CHECK_ERRNO(syscall(SYS_uname, NULL), EFAULT);
	say("uname fields are well-formed");
	return 0;
}

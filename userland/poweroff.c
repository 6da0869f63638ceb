/*
 * userland/poweroff.c — power the machine off from any process, as
 * programs written for a Linux initramfs do: sync(), then
 * reboot(RB_POWER_OFF). On anvil every process may (all are root); the
 * kernel ends the machine (under QEMU: QEMU exits with the pass code).
 *
 * Unlike the other programs of this folder it does nothing on the host: it
 * refuses to run on any kernel but anvil (uname), so that trying it on a
 * development machine, where you may well be root, does not switch that off.
 * Returns 1 if it refused or the kernel said no.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <unistd.h>

#define ANVIL_SYSNAME "anvil"

int
main(void)
{
	struct utsname u;

	if (uname(&u) != 0 || strcmp(u.sysname, ANVIL_SYSNAME) != 0) {
		fprintf(stderr, "poweroff: not on anvil (this is %s): refusing\n",
			uname(&u) == 0 ? u.sysname : "unknown");
		return 1;
	}
	sync();
	reboot(RB_POWER_OFF);
	fprintf(stderr, "poweroff: reboot(RB_POWER_OFF): %s\n", strerror(errno));
	return 1;
}

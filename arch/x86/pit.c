/* arch/x86/pit.c — see pit.h. */
#include <arch/x86/pit.h>
#include <arch/x86/cpu.h>

#define PIT_CH0_DATA 0x40
#define PIT_CMD      0x43
#define PIT_CH0_LOHI_RATEGEN 0x34   /* channel 0, lo then hi byte, mode 2 */

void
pit_init(unsigned hz)
{
	unsigned divisor = (PIT_INPUT_HZ + hz / 2) / hz;

	if (divisor > 0xFFFF)
		divisor = 0xFFFF;
	outb(PIT_CMD, PIT_CH0_LOHI_RATEGEN);
	outb(PIT_CH0_DATA, divisor & 0xFF);
	outb(PIT_CH0_DATA, divisor >> 8);
}

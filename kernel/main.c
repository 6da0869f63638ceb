/*
 * kernel/main.c — kmain, the order in which anvil comes up.
 *
 *   consoles  -> command line -> CPU tables (GDT, IDT, PIC)
 *   -> memory (memblock, mem_map, page tables, buddy, slab)
 *   -> scheduler and timer -> interrupts on -> the init thread
 *
 * The boot thread then becomes the idle task.
 */
#include <boot/multiboot.h>
#include <arch/x86/segments.h>
#include <arch/x86/trap.h>
#include <arch/x86/pic.h>
#include <arch/x86/cpu.h>
#include <arch/x86/irqflags.h>
#include <arch/x86/memlayout.h>
#include <drivers/serial.h>
#include <drivers/vga.h>
#include <kernel/printk.h>
#include <kernel/panic.h>
#include <kernel/cmdline.h>
#include <kernel/sched.h>
#include <kernel/ktest.h>
#include <kernel/main.h>
#include <drivers/block/blkdev.h>
#include <drivers/block/ata.h>
#include <libk/string.h>
#include <kernel/syscall.h>
#include <kernel/time.h>
#include <kernel/init.h>
#include <mm/mm.h>
#include <fs/vfs.h>
#include <mm/page_alloc.h>
#include <mm/swapfile.h>
#include <mm/vmscan.h>

uint64_t boot_tsc_kmain, boot_tsc_init_done;

void kmain(uint32_t magic, uint32_t mbi_phys);

static const char *
boot_loader_name(const struct multiboot_info *mbi)
{
	return (mbi->flags & MULTIBOOT_INFO_LOADER) ? (const char *)__va(mbi->boot_loader_name)
						    : "unknown";
}

/* The initrd is the first boot module that is a cpio archive ("070701",
 * newc), if GRUB loaded one; other modules are disk images (ramdisk.c). */
static void
find_initrd(const struct multiboot_info *mbi, void **start, size_t *len)
{
	const struct multiboot_module *m = __va(mbi->mods_addr);

	*start = NULL;
	*len = 0;
	if (!(mbi->flags & MULTIBOOT_INFO_MODS) || mbi->mods_count == 0)
		return;
	for (uint32_t i = 0; i < mbi->mods_count; i++) {
		const char *s = __va(m[i].mod_start);
		size_t n = m[i].mod_end - m[i].mod_start;

		if (n >= 6 && memcmp(s, "070701", 6) == 0) {
			*start = (void *)s;
			*len = n;
			return;
		}
	}
}

static int
init_thread(void *arg)
{
	boot_tsc_init_done = rdtsc();
	printk(KERN_INFO "anvil: kernel init done (%lu free pages, %u tasks)\n",
	       nr_free_pages(), nr_tasks());
	ktest_run_requested();
	flusher_init();                          /* after init: it is PID 1, the flusher 2 */
	kswapd_init();                           /* and kswapd 3 */
	start_init_process();
}

void
kmain(uint32_t magic, uint32_t mbi_phys)
{
	const struct multiboot_info *mbi = __va(mbi_phys);
	void *initrd_start;
	size_t initrd_len;

	boot_tsc_kmain = rdtsc();
	serial_init();
	vga_init();
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC) {
		printk(KERN_EMERG "anvil: not started by a multiboot loader (magic %#x)\n", magic);
		halt_forever();
	}
	parse_cmdline((mbi->flags & MULTIBOOT_INFO_CMDLINE) ? __va(mbi->cmdline) : "");
	printk(KERN_NOTICE "anvil: booting (loader: %s)\n", boot_loader_name(mbi));
	printk(KERN_INFO "Command line: %s\n", saved_cmdline());

	gdt_init();
	idt_init();
	pic_init();
	fpu_init();
	mem_init(mbi);
	syscall_init();
	sched_init();
	time_init();
	local_irq_enable();
	ramdisk_init(mbi);
	ata_init();
	swap_ramdisk_init();                     /* swap=: after the boot modules' RAM disks */
	find_initrd(mbi, &initrd_start, &initrd_len);
	fs_init(initrd_start, initrd_len);
	drop_caches_init();
	printk(KERN_INFO "sched: %u Hz timer, round robin, timeslice %u ticks\n", hz,
	       DEFAULT_TIMESLICE);

	if (!kthread_run(init_thread, NULL, "init"))
		panic("cannot start the init thread");
	cpu_idle();
}

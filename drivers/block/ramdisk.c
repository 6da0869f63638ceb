/*
 * drivers/block/ramdisk.c — RAM disks: a disk image that GRUB loaded into
 * memory as a boot module becomes a block device, /dev/ram0, ram1, ...
 * (major 1, as Linux's brd), in module order. The initrd, a cpio archive
 * (its first bytes are "070701"), is not a disk and is skipped.
 *
 * The module's memory is the disk: reads and writes are memcpy, done
 * before submit_bio returns. It stays reserved (mm/memblock.c reserves
 * every module), so what is written lasts until power-off, no longer.
 */
#include <drivers/block/blkdev.h>
#include <boot/multiboot.h>
#include <arch/x86/memlayout.h>
#include <fs/vfs.h>
#include <mm/slab.h>
#include <kernel/printk.h>
#include <libk/string.h>
#include <libk/stdio.h>

#define RAMDISK_MAJOR 1
#define MAX_RAMDISKS  4

static void
ramdisk_submit_bio(struct bio *bio)
{
	char *disk = bio->bi_bdev->bd_private;
	char *at = disk + (bio->bi_sector << SECTOR_SHIFT);

	if (bio->bi_op == REQ_OP_READ)
		memcpy(bio->bi_buf, at, bio->bi_size);
	else if (bio->bi_op == REQ_OP_WRITE)
		memcpy(at, bio->bi_buf, bio->bi_size);
	bio_endio(bio, 0);
}

static const struct block_device_operations ramdisk_ops = {
	.submit_bio = ramdisk_submit_bio,
};

static bool
is_cpio(const void *start, size_t len)
{
	return len >= 6 && memcmp(start, "070701", 6) == 0;
}

void
ramdisk_setup(struct block_device *bdev, unsigned minor, void *start, size_t len)
{
	snprintf(bdev->bd_name, sizeof(bdev->bd_name), "ram%u", minor);
	bdev->bd_dev = MKDEV(RAMDISK_MAJOR, minor);
	bdev->bd_nr_sectors = len >> SECTOR_SHIFT;
	bdev->bd_ops = &ramdisk_ops;
	bdev->bd_private = start;
}

static void
ramdisk_add(unsigned minor, void *start, size_t len)
{
	struct block_device *bdev = kzalloc(sizeof(*bdev), GFP_KERNEL);

	if (!bdev)
		panic("ramdisk: out of memory");
	ramdisk_setup(bdev, minor, start, len);
	add_disk(bdev);
}

void
ramdisk_init(const struct multiboot_info *mbi)
{
	const struct multiboot_module *m;
	unsigned minor = 0;

	if (!(mbi->flags & MULTIBOOT_INFO_MODS))
		return;
	m = __va(mbi->mods_addr);
	for (uint32_t i = 0; i < mbi->mods_count && minor < MAX_RAMDISKS; i++) {
		void *start = __va(m[i].mod_start);
		size_t len = m[i].mod_end - m[i].mod_start;

		if (is_cpio(start, len) || len < SECTOR_SIZE)
			continue;
		ramdisk_add(minor++, start, len);
	}
}

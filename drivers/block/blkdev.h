/*
 * drivers/block/blkdev.h — the block layer: block devices and the requests
 * (bios) that read and write them.
 *
 * A block device is an array of 512-byte sectors. Everything above the
 * drivers — the buffer cache (fs/buffer.c), the page cache's readpage and
 * writepage of a disk file system, block special files (/dev/sda) — moves
 * data by building a bio (device, first sector, kernel buffer, length,
 * direction) and handing it to submit_bio(). The driver carries it out
 * (now or later, from an interrupt) and calls bio_endio(), which runs the
 * submitter's bi_end_io. submit_bio_wait() is the synchronous form: it
 * sleeps until the bio has ended and returns its status.
 *
 * Devices are registered once at boot with add_disk() and never go away;
 * blkdev_get(dev) finds one by device number (Linux's numbers: RAM disks
 * are major 1, /dev/ram0 is 1:0; the first ATA disk /dev/sda is 8:0).
 *
 * Locks: bdev->lock (a mutex) serialises the requests of one device in its
 * driver; submit_bio takes it around the driver's submit. It is a leaf
 * among the sleeping locks: drivers take nothing under it but bottom locks
 * (wait queues, the scheduler). blkdev_list_lock (spin) guards the table.
 */
#ifndef DRIVERS_BLOCK_BLKDEV_H
#define DRIVERS_BLOCK_BLKDEV_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <kernel/mutex.h>
#include <libk/list.h>

#define SECTOR_SHIFT 9
#define SECTOR_SIZE  512u

enum req_op {
	REQ_OP_READ,
	REQ_OP_WRITE,
	REQ_OP_FLUSH,      /* make earlier writes durable (a disk's write cache) */
};

struct block_device;

struct bio {
	struct block_device *bi_bdev;   /* the device */
	enum req_op bi_op;              /* read, write or flush */
	uint64_t bi_sector;             /* first sector (512 bytes each) */
	void *bi_buf;                   /* kernel address of the data */
	uint32_t bi_size;               /* bytes, a multiple of SECTOR_SIZE */
	int bi_status;                  /* after the end: 0 or -errno (-EIO) */
	void (*bi_end_io)(struct bio *);/* called once by bio_endio */
	void *bi_private;               /* the submitter's */
};

struct block_device_operations {
	/* Carries out bio, which submit_bio has checked against the device's
	 * size, and calls bio_endio on it (before returning or later).
	 * Called with bdev->lock held. */
	void (*submit_bio)(struct bio *bio);
};

struct block_device {
	char bd_name[16];               /* "ram0", "sda": its name under /dev */
	uint32_t bd_dev;                /* device number, MKDEV(major, minor) */
	uint64_t bd_nr_sectors;         /* size in sectors */
	bool bd_read_only;              /* writes fail with -EROFS */
	const struct block_device_operations *bd_ops;
	void *bd_private;               /* the driver's */
	struct mutex lock;              /* one request at a time in the driver */
	unsigned long bd_reads, bd_writes;   /* sectors moved, for /proc/diskstats */
	struct list_head bd_list;       /* on the table of all devices */
};

/* Registers a device the driver has filled in (name, dev, size, ops). */
void add_disk(struct block_device *bdev);
/* The device with number dev, or NULL. */
struct block_device *blkdev_get(uint32_t dev);
/* The device called name ("sda", no "/dev/"), or NULL. */
struct block_device *blkdev_get_by_name(const char *name);
/* Calls fn for every registered device, in registration order. */
void blkdev_for_each(void (*fn)(struct block_device *bdev, void *arg), void *arg);

/* Starts bio; its bi_end_io runs when it is done. A bio past the end of the
 * device, of a size that is not whole sectors, or writing a read-only
 * device ends at once with -EIO (-EROFS for the last). */
void submit_bio(struct bio *bio);
/* Submits bio and sleeps until it ends; its status. */
int submit_bio_wait(struct bio *bio);
/* Drivers: bio is finished with status (0 or -errno). */
void bio_endio(struct bio *bio, int status);
/* Reads or writes len bytes at sector through buf, synchronously: 0 or -errno. */
int blkdev_rw(struct block_device *bdev, enum req_op op, uint64_t sector,
	      void *buf, uint32_t len);

/* drivers/block/ramdisk.c: every boot module that is not the initrd
 * (a cpio archive) becomes /dev/ram0, ram1, ... in module order. */
struct multiboot_info;
void ramdisk_init(const struct multiboot_info *mbi);
/* Fills in bdev (zeroed by the caller) as RAM disk ram<minor> over the len
 * bytes at start, ready for add_disk (the in-kernel tests make their own). */
void ramdisk_setup(struct block_device *bdev, unsigned minor, void *start, size_t len);

#endif

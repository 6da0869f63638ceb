/*
 * drivers/block/blkdev.c — the block layer's core: the table of devices and
 * the submission of bios (see blkdev.h).
 *
 * submit_bio checks a bio against its device (whole sectors, inside the
 * device, no write to a read-only one) and hands it to the driver under
 * the device's lock, so a driver sees one request at a time. A driver may
 * end the bio before returning (the RAM disk, ATA PIO) or later from an
 * interrupt; submit_bio_wait does not care which.
 *
 * Locks: blkdev_list_lock (spin, irqs off, leaf) guards the device list;
 * bdev->lock (mutex) is held across the driver's submit_bio.
 */
#include <drivers/block/blkdev.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/wait.h>
#include <libk/string.h>

static LIST_HEAD(blkdev_list);
static DEFINE_SPINLOCK(blkdev_list_lock);

void
add_disk(struct block_device *bdev)
{
	uint32_t flags;

	mutex_init(&bdev->lock, "bd_lock");
	flags = spin_lock_irqsave(&blkdev_list_lock);
	list_add_tail(&bdev->bd_list, &blkdev_list);
	spin_unlock_irqrestore(&blkdev_list_lock, flags);
	printk(KERN_INFO "block: %s (%u:%u), %llu sectors (%llu KiB)%s\n", bdev->bd_name,
	       bdev->bd_dev >> 8, bdev->bd_dev & 0xff, bdev->bd_nr_sectors,
	       bdev->bd_nr_sectors / 2, bdev->bd_read_only ? ", read-only" : "");
}

struct block_device *
blkdev_get(uint32_t dev)
{
	struct block_device *bdev, *found = NULL;
	uint32_t flags = spin_lock_irqsave(&blkdev_list_lock);

	list_for_each_entry(bdev, &blkdev_list, bd_list)
		if (bdev->bd_dev == dev) {
			found = bdev;
			break;
		}
	spin_unlock_irqrestore(&blkdev_list_lock, flags);
	return found;
}

struct block_device *
blkdev_get_by_name(const char *name)
{
	struct block_device *bdev, *found = NULL;
	uint32_t flags = spin_lock_irqsave(&blkdev_list_lock);

	list_for_each_entry(bdev, &blkdev_list, bd_list)
		if (strcmp(bdev->bd_name, name) == 0) {
			found = bdev;
			break;
		}
	spin_unlock_irqrestore(&blkdev_list_lock, flags);
	return found;
}

/* Devices are never removed, so the list may be walked without the lock
 * held across fn (which may sleep). */
void
blkdev_for_each(void (*fn)(struct block_device *bdev, void *arg), void *arg)
{
	struct block_device *bdev;

	list_for_each_entry(bdev, &blkdev_list, bd_list)
		fn(bdev, arg);
}

void
bio_endio(struct bio *bio, int status)
{
	bio->bi_status = status;
	if (bio->bi_end_io)
		bio->bi_end_io(bio);
}

/* 0 if bio may go to its driver, else the status it ends with. */
static int
bio_check(const struct bio *bio)
{
	const struct block_device *bdev = bio->bi_bdev;
	uint64_t sectors = bio->bi_size >> SECTOR_SHIFT;

	if (bio->bi_op == REQ_OP_FLUSH)
		return 0;
	if (bio->bi_size % SECTOR_SIZE || !bio->bi_size)
		return -EIO;
	if (bio->bi_sector > bdev->bd_nr_sectors || sectors > bdev->bd_nr_sectors - bio->bi_sector)
		return -EIO;
	if (bio->bi_op == REQ_OP_WRITE && bdev->bd_read_only)
		return -EROFS;
	return 0;
}

void
submit_bio(struct bio *bio)
{
	struct block_device *bdev = bio->bi_bdev;
	int err = bio_check(bio);

	if (err) {
		bio_endio(bio, err);
		return;
	}
	mutex_lock(&bdev->lock);
	if (bio->bi_op == REQ_OP_READ)
		bdev->bd_reads += bio->bi_size >> SECTOR_SHIFT;
	else if (bio->bi_op == REQ_OP_WRITE)
		bdev->bd_writes += bio->bi_size >> SECTOR_SHIFT;
	bdev->bd_ops->submit_bio(bio);
	mutex_unlock(&bdev->lock);
}

static void
bio_wake_waiter(struct bio *bio)
{
	complete(bio->bi_private);
}

int
submit_bio_wait(struct bio *bio)
{
	struct completion done;

	init_completion(&done);
	bio->bi_private = &done;
	bio->bi_end_io = bio_wake_waiter;
	submit_bio(bio);
	wait_for_completion(&done);
	return bio->bi_status;
}

int
blkdev_rw(struct block_device *bdev, enum req_op op, uint64_t sector, void *buf, uint32_t len)
{
	struct bio bio = {
		.bi_bdev = bdev, .bi_op = op, .bi_sector = sector,
		.bi_buf = buf, .bi_size = len,
	};

	return submit_bio_wait(&bio);
}

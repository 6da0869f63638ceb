/*
 * tests/kernel/test_blkdev.c — the block layer on RAM disks made here: bios
 * that read and write, bios the layer must refuse (past the end, partial
 * sectors, a read-only device), and block special files (fs/block_dev.c):
 * reads and writes at any byte offset, the end of the device, ENXIO.
 *
 * The test disks are static memory registered once (block devices never go
 * away), as ram14 (read-only) and ram15, numbers no boot module gets.
 */
#include <kernel/ktest.h>
#include <drivers/block/blkdev.h>
#include <fs/block_dev.h>
#include <fs/file.h>
#include <kernel/errno.h>
#include <libk/string.h>

#define TEST_DISK_SECTORS 64
#define TEST_DISK_BYTES   (TEST_DISK_SECTORS * SECTOR_SIZE)
#define TEST_RW_MINOR     15
#define TEST_RO_MINOR     14

static char rw_disk[TEST_DISK_BYTES], ro_disk[TEST_DISK_BYTES];
static struct block_device rw_bdev, ro_bdev;

/* The two test devices, registered on first use. */
static void
test_disks_register(void)
{
	static bool registered;

	if (registered)
		return;
	ramdisk_setup(&rw_bdev, TEST_RW_MINOR, rw_disk, sizeof(rw_disk));
	ramdisk_setup(&ro_bdev, TEST_RO_MINOR, ro_disk, sizeof(ro_disk));
	ro_bdev.bd_read_only = true;
	add_disk(&rw_bdev);
	add_disk(&ro_bdev);
	registered = true;
}

static uint8_t
pattern_at(unsigned seed, size_t off)
{
	return (uint8_t)((off * 131 + seed * 7 + (off >> 9)) ^ (off >> 3));
}

static void
fill(char *buf, size_t len, unsigned seed, size_t base)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)pattern_at(seed, base + i);
}

/* Whether buf[0..len) holds pattern seed from disk offset base. */
static bool
holds(const char *buf, size_t len, unsigned seed, size_t base)
{
	for (size_t i = 0; i < len; i++)
		if ((uint8_t)buf[i] != pattern_at(seed, base + i))
			return false;
	return true;
}

KTEST(blkdev_ramdisk_rw)
{
	static char buf[4 * SECTOR_SIZE];

	test_disks_register();
	KT_CHECK(blkdev_get(MKDEV(1, TEST_RW_MINOR)) == &rw_bdev, "ram15 not found by number");
	KT_CHECK(blkdev_get_by_name("ram15") == &rw_bdev, "ram15 not found by name");
	fill(buf, sizeof(buf), 1, 0);
	KT_CHECK(blkdev_rw(&rw_bdev, REQ_OP_WRITE, 10, buf, sizeof(buf)) == 0, "write failed");
	KT_CHECK(holds(rw_disk + 10 * SECTOR_SIZE, sizeof(buf), 1, 0), "the write missed the disk's memory");
	memset(buf, 0, sizeof(buf));
	KT_CHECK(blkdev_rw(&rw_bdev, REQ_OP_READ, 10, buf, sizeof(buf)) == 0, "read failed");
	KT_CHECK(holds(buf, sizeof(buf), 1, 0), "read back wrong bytes");
	KT_CHECK(blkdev_rw(&rw_bdev, REQ_OP_FLUSH, 0, NULL, 0) == 0, "flush failed");
}

KTEST(blkdev_bio_bounds)
{
	static char buf[2 * SECTOR_SIZE];
	uint64_t end = TEST_DISK_SECTORS;

	test_disks_register();
	KT_CHECK(blkdev_rw(&rw_bdev, REQ_OP_READ, end - 2, buf, sizeof(buf)) == 0,
		 "the last two sectors could not be read");
	KT_CHECK(blkdev_rw(&rw_bdev, REQ_OP_READ, end - 1, buf, sizeof(buf)) == -EIO,
		 "a read across the end did not fail with EIO");
	KT_CHECK(blkdev_rw(&rw_bdev, REQ_OP_WRITE, end, buf, SECTOR_SIZE) == -EIO,
		 "a write just past the end did not fail with EIO");
	KT_CHECK(blkdev_rw(&rw_bdev, REQ_OP_READ, UINT64_MAX, buf, SECTOR_SIZE) == -EIO,
		 "a read at sector 2^64-1 did not fail with EIO");
	KT_CHECK(blkdev_rw(&rw_bdev, REQ_OP_READ, 0, buf, SECTOR_SIZE + 1) == -EIO,
		 "a partial sector did not fail with EIO");
	KT_CHECK(blkdev_rw(&rw_bdev, REQ_OP_READ, 0, buf, 0) == -EIO,
		 "an empty bio did not fail with EIO");
}

KTEST(blkdev_read_only_erofs)
{
	static char buf[SECTOR_SIZE];

	test_disks_register();
	fill(ro_disk, SECTOR_SIZE, 2, 0);
	fill(buf, sizeof(buf), 3, 0);
	KT_CHECK(blkdev_rw(&ro_bdev, REQ_OP_WRITE, 0, buf, sizeof(buf)) == -EROFS,
		 "a write to a read-only device did not fail with EROFS");
	KT_CHECK(holds(ro_disk, SECTOR_SIZE, 2, 0), "the refused write changed the disk");
	KT_CHECK(blkdev_rw(&ro_bdev, REQ_OP_READ, 0, buf, sizeof(buf)) == 0 &&
		 holds(buf, sizeof(buf), 2, 0), "a read-only device could not be read");
}

/* ---- block special files, on an inode and a file of our own ---- */

struct blk_file {
	struct inode inode;
	struct file file;
};

/* Opens a device node for dev as open() would: 0 or -errno. */
static int
blk_file_open(struct blk_file *bf, uint32_t dev)
{
	memset(bf, 0, sizeof(*bf));
	bf->inode.i_mode = S_IFBLK | 0600;
	bf->inode.i_rdev = dev;
	mutex_init(&bf->inode.i_mutex, "i_mutex");
	bf->file.f_inode = &bf->inode;
	bf->file.f_mode = FMODE_READ | FMODE_WRITE;
	bf->file.f_op = &blkdev_open_operations;
	return blkdev_open_operations.open(&bf->inode, &bf->file);
}

static ssize_t
blk_file_rw(struct blk_file *bf, bool write, void *buf, size_t len, loff_t pos)
{
	struct iobuf b = iobuf_kernel(buf, len);

	return write ? bf->file.f_op->write(&bf->file, &b, &pos)
		     : bf->file.f_op->read(&bf->file, &b, &pos);
}

KTEST(blkdev_file_unaligned_rmw)
{
	static struct blk_file bf;
	static char buf[3 * SECTOR_SIZE];
	const size_t off = 2 * SECTOR_SIZE - 3, len = SECTOR_SIZE + 7;   /* both ends inside sectors */

	test_disks_register();
	fill(rw_disk, TEST_DISK_BYTES, 4, 0);
	KT_CHECK(blk_file_open(&bf, rw_bdev.bd_dev) == 0, "open of ram15's node failed");
	fill(buf, len, 5, off);
	KT_CHECK(blk_file_rw(&bf, true, buf, len, off) == (ssize_t)len, "unaligned write was short");
	KT_CHECK(holds(rw_disk + off, len, 5, off), "the unaligned write missed its bytes");
	KT_CHECK(holds(rw_disk, off, 4, 0), "the bytes before the write changed");
	KT_CHECK(holds(rw_disk + off + len, TEST_DISK_BYTES - off - len, 4, off + len),
		 "the bytes after the write changed");
	memset(buf, 0, sizeof(buf));
	KT_CHECK(blk_file_rw(&bf, false, buf, 5, off - 2) == 5, "unaligned read was short");
	KT_CHECK(holds(buf, 2, 4, off - 2) && holds(buf + 2, 3, 5, off), "unaligned read: wrong bytes");
}

KTEST(blkdev_file_end_of_device)
{
	static struct blk_file bf, ro;
	static char buf[SECTOR_SIZE];

	test_disks_register();
	KT_CHECK(blk_file_open(&bf, rw_bdev.bd_dev) == 0, "open of ram15's node failed");
	KT_CHECK(blkdev_file_size(&bf.file) == TEST_DISK_BYTES, "size %lld, expected %u",
		 (long long)blkdev_file_size(&bf.file), TEST_DISK_BYTES);
	KT_CHECK(blk_file_rw(&bf, false, buf, sizeof(buf), TEST_DISK_BYTES) == 0,
		 "a read at the end did not return 0");
	KT_CHECK(blk_file_rw(&bf, false, buf, sizeof(buf), TEST_DISK_BYTES - 10) == 10,
		 "a read across the end was not cut at the end");
	KT_CHECK(blk_file_rw(&bf, true, buf, sizeof(buf), TEST_DISK_BYTES) == -ENOSPC,
		 "a write at the end did not fail with ENOSPC");
	KT_CHECK(blk_file_rw(&bf, true, buf, sizeof(buf), TEST_DISK_BYTES - 10) == 10,
		 "a write across the end was not cut at the end");
	KT_CHECK(bf.file.f_op->llseek_ok(&bf.file, TEST_DISK_BYTES) == 0, "lseek to the end refused");
	KT_CHECK(bf.file.f_op->llseek_ok(&bf.file, TEST_DISK_BYTES + 1) == -EINVAL,
		 "lseek past the end did not fail with EINVAL");
	KT_CHECK(blk_file_open(&ro, ro_bdev.bd_dev) == 0, "open of ram14's node failed");
	KT_CHECK(blk_file_rw(&ro, true, buf, sizeof(buf), 0) == -EPERM,
		 "a write to a read-only device's node did not fail with EPERM");
}

KTEST(blkdev_file_no_device_enxio)
{
	static struct blk_file bf;

	KT_CHECK(blk_file_open(&bf, MKDEV(8, 240)) == -ENXIO,
		 "opening a node with no device behind it did not fail with ENXIO");
}

/*
 * drivers/block/ata.c — ATA (IDE) disks on the two legacy channels of
 * QEMU's PIIX IDE controller, in PIO mode.
 *
 * A channel is eight command registers at `base` and one control register
 * at `ctl`; a master and a slave share them, told apart by a bit of the
 * drive register:
 *
 *   channel    base   ctl    IRQ     QEMU -drive index
 *   primary    0x1F0  0x3F6  14      0 (master), 1 (slave)
 *   secondary  0x170  0x376  15      2 (master: -cdrom), 3 (slave)
 *
 *   base+0 data (16 bits)   base+4 LBA bits 8-15      ctl (read)  alternate status
 *   base+1 error/features   base+5 LBA bits 16-23     ctl (write) device control:
 *   base+2 sector count     base+6 drive: 0x40 LBA,                 SRST, nIEN
 *   base+3 LBA bits 0-7            0x10 slave, LBA 24-27 (LBA28)
 *                           base+7 status (read) / command (write)
 *
 * Status: BSY (busy: nothing else is valid), DRDY, DF (device fault), DRQ
 * (the drive wants a sector moved through the data register), ERR.
 *
 * A transfer (READ/WRITE MULTIPLE, or their EXT forms for LBA48, used when
 * a request reaches past sector 2^28) moves at most ATA_MAX_SECTORS per
 * command, in blocks of d->multiple sectors (SET MULTIPLE MODE, up to what
 * the disk offers, 16 on QEMU; 1 and READ/WRITE SECTORS if it offers none):
 * for each block the driver waits until the drive is not busy, checks
 * ERR/DF and DRQ, and moves the block with rep insw/outsw. The drive raises
 * its IRQ when a block is ready (or the command is done): the
 * handler reads the status register (which acknowledges it) and wakes the
 * channel's waiter, which sleeps between polls of the alternate status for
 * at most one tick — a lost interrupt costs a tick, never a hang. A
 * command that does not finish within ATA_TIMEOUT_MS resets the channel and
 * its bio ends with -EIO, as does an error the drive reports.
 *
 * Probing sends IDENTIFY DEVICE to each position. No device: status 0. An
 * ATAPI device (the boot CD-ROM) answers with the packet signature in the
 * LBA registers and aborts: it is skipped. An ATA disk's identify data give
 * its size (words 60-61 for LBA28, 100-103 for LBA48). Disks are named in
 * the order found, as libata does: sda (8:0), sdb (8:16), sdc, sdd.
 *
 * Invariants: the channel's registers are touched only with ch->lock held
 * (after probing, which runs before any disk is registered); a command is
 * issued only when the drive is not busy.
 *
 * Locks: bdev->lock (held by submit_bio), then ch->lock, mutex "ata_channel":
 * master and slave are two block devices, one set of registers. Under it
 * only the channel's wait queue and the scheduler's (bottom) locks.
 */
#include <drivers/block/ata.h>
#include <drivers/block/blkdev.h>
#include <arch/x86/cpu.h>
#include <arch/x86/trap.h>
#include <fs/vfs.h>
#include <kernel/errno.h>
#include <kernel/mutex.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/wait.h>
#include <libk/stdio.h>
#include <libk/string.h>
#include <mm/slab.h>

/* registers, offsets from the channel's base */
#define ATA_REG_DATA      0
#define ATA_REG_ERROR     1
#define ATA_REG_COUNT     2
#define ATA_REG_LBA0      3
#define ATA_REG_LBA1      4
#define ATA_REG_LBA2      5
#define ATA_REG_DRIVE     6
#define ATA_REG_STATUS    7
#define ATA_REG_COMMAND   7

/* status bits */
#define ATA_SR_BSY  0x80
#define ATA_SR_DRDY 0x40
#define ATA_SR_DF   0x20
#define ATA_SR_DRQ  0x08
#define ATA_SR_ERR  0x01

/* device control bits (the ctl register, written) */
#define ATA_CTL_NIEN 0x02          /* no interrupts */
#define ATA_CTL_SRST 0x04          /* software reset of both drives */

/* drive register bits */
#define ATA_DRIVE_BASE  0xA0       /* the two bits that were always 1 */
#define ATA_DRIVE_LBA   0x40
#define ATA_DRIVE_SLAVE 0x10

/* commands */
#define ATA_CMD_READ            0x20
#define ATA_CMD_READ_EXT        0x24
#define ATA_CMD_WRITE           0x30
#define ATA_CMD_WRITE_EXT       0x34
#define ATA_CMD_CACHE_FLUSH     0xE7
#define ATA_CMD_CACHE_FLUSH_EXT 0xEA
#define ATA_CMD_IDENTIFY        0xEC
#define ATA_CMD_READ_MULTIPLE      0xC4
#define ATA_CMD_READ_MULTIPLE_EXT  0x29
#define ATA_CMD_WRITE_MULTIPLE     0xC5
#define ATA_CMD_WRITE_MULTIPLE_EXT 0x39
#define ATA_CMD_SET_MULTIPLE       0xC6

/* the packet (ATAPI) signature in LBA1/LBA2 after a reset or an aborted IDENTIFY */
#define ATAPI_SIG_LBA1  0x14
#define ATAPI_SIG_LBA2  0xEB

/* IDENTIFY DEVICE data: 256 words */
#define ATA_ID_WORDS        256
#define ATA_ID_MODEL        27     /* 20 words, two characters each, high byte first */
#define ATA_ID_MODEL_LEN    40
#define ATA_ID_MAX_MULTIPLE 47     /* bits 7-0: most sectors per READ/WRITE MULTIPLE block */
#define ATA_ID_MULTIPLE_MASK 0xFF
#define ATA_ID_CAPABILITY   49
#define ATA_ID_CAP_LBA      (1u << 9)
#define ATA_ID_LBA28_SECTORS 60    /* two words, low first */
#define ATA_ID_COMMAND_SET_2 83
#define ATA_ID_CMD2_LBA48   (1u << 10)
#define ATA_ID_LBA48_SECTORS 100   /* four words, low first */

#define ATA_WORDS_PER_SECTOR (SECTOR_SIZE / 2)
#define ATA_LBA28_LIMIT      (1ull << 28)   /* sectors LBA28 commands can reach */
#define ATA_MAX_SECTORS      256            /* per command (count register 0 = 256 in LBA28) */
#define ATA_TIMEOUT_MS       5000           /* a command, or one sector of it */
#define ATA_PROBE_TIMEOUT_MS 1000
#define ATA_SELECT_DELAY_READS 4            /* 4 status reads: the 400 ns a select needs */

#define SD_MAJOR          8
#define SD_MINORS_PER_DISK 16               /* sda 8:0, sdb 8:16: room for partitions */
#define ATA_MAX_DISKS     4

struct ata_disk;

struct ata_channel {
	const char *name;                  /* "primary", "secondary" */
	uint16_t base, ctl;                /* register blocks */
	unsigned irq;
	struct mutex lock;                 /* the registers; one command at a time */
	struct wait_queue_head irq_wait;   /* the waiter for the next interrupt */
	struct ata_disk *disks[2];         /* master, slave (NULL: none) */
};

struct ata_disk {
	struct block_device bdev;          /* first: bd_private points back */
	struct ata_channel *ch;
	bool slave;
	bool lba48;                        /* the EXT commands are supported */
	unsigned max_multiple;             /* sectors per block the disk offers (0: none) */
	unsigned multiple;                 /* sectors per block now set; 0: set it first (ch->lock) */
	char model[ATA_ID_MODEL_LEN + 1];
};

static struct ata_channel channels[] = {
	{ .name = "primary",   .base = 0x1F0, .ctl = 0x3F6, .irq = 14 },
	{ .name = "secondary", .base = 0x170, .ctl = 0x376, .irq = 15 },
};
#define NR_CHANNELS (sizeof(channels) / sizeof(channels[0]))

static unsigned nr_disks;

/* ---- waiting for the drive ---------------------------------------------- */

static unsigned long
ms_to_ticks(unsigned ms)
{
	return ((unsigned long)ms * hz + 999) / 1000;
}

static uint8_t
ata_alt_status(struct ata_channel *ch)
{
	return inb(ch->ctl);
}

/* IRQ 14/15: acknowledge (reading the status register lowers the
 * interrupt line) and wake whoever waits on the channel. */
static void
ata_irq(struct trapframe *tf)
{
	struct ata_channel *ch = &channels[tf->vector - IRQ_BASE == channels[0].irq ? 0 : 1];

	(void)inb(ch->base + ATA_REG_STATUS);
	wake_up(&ch->irq_wait);
}

/* Sleeps until the channel's next interrupt or the next tick, whichever
 * comes first (returns at once if the drive is no longer busy). */
static void
ata_sleep_for_irq(struct ata_channel *ch)
{
	struct wait_entry e = { current, LIST_HEAD_INIT(e.link) };

	prepare_to_wait(&ch->irq_wait, &e, TASK_UNINTERRUPTIBLE);
	if (ata_alt_status(ch) & ATA_SR_BSY)
		schedule_timeout_state(1);
	finish_wait(&ch->irq_wait, &e);
}

/*
 * ata_wait_not_busy — waits until the selected drive clears BSY.
 * => ch->lock held (or probing). Returns the status, or -ETIMEDOUT after
 * timeout_ms.
 */
static int
ata_wait_not_busy(struct ata_channel *ch, unsigned timeout_ms)
{
	unsigned long deadline = jiffies + ms_to_ticks(timeout_ms);

	for (;;) {
		uint8_t st = ata_alt_status(ch);

		if (!(st & ATA_SR_BSY))
			return st;
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		ata_sleep_for_irq(ch);
	}
}

/* Waits for the drive to ask for (or offer) a sector: 0, -EIO if it
 * reports an error or has no data, -ETIMEDOUT. */
static int
ata_wait_drq(struct ata_channel *ch, unsigned timeout_ms)
{
	int st = ata_wait_not_busy(ch, timeout_ms);

	if (st < 0)
		return st;
	if (st & (ATA_SR_ERR | ATA_SR_DF) || !(st & ATA_SR_DRQ))
		return -EIO;
	return 0;
}

/* Resets both drives of the channel after a timeout (SRST), so the next
 * command starts from a known state; their multiple mode is set again
 * before their next transfer. */
static void
ata_reset_channel(struct ata_channel *ch)
{
	outb(ch->ctl, ATA_CTL_SRST);
	for (int i = 0; i < ATA_SELECT_DELAY_READS; i++)
		(void)ata_alt_status(ch);
	outb(ch->ctl, 0);
	(void)ata_wait_not_busy(ch, ATA_TIMEOUT_MS);
	for (int i = 0; i < 2; i++)
		if (ch->disks[i])
			ch->disks[i]->multiple = 0;
}

/* ---- issuing commands ---------------------------------------------------- */

static void
ata_select(struct ata_channel *ch, bool slave, uint8_t lba_bits)
{
	outb(ch->base + ATA_REG_DRIVE, ATA_DRIVE_BASE | ATA_DRIVE_LBA |
	     (slave ? ATA_DRIVE_SLAVE : 0) | lba_bits);
	for (int i = 0; i < ATA_SELECT_DELAY_READS; i++)
		(void)ata_alt_status(ch);
}

/* Loads the task-file registers for count sectors at lba and issues cmd.
 * LBA48 writes each register twice: the high-order byte first. */
static void
ata_issue(struct ata_disk *d, uint8_t cmd, uint64_t lba, unsigned count, bool lba48)
{
	struct ata_channel *ch = d->ch;
	uint16_t b = ch->base;

	if (lba48) {
		ata_select(ch, d->slave, 0);
		outb(b + ATA_REG_COUNT, (uint8_t)(count >> 8));
		outb(b + ATA_REG_LBA0, (uint8_t)(lba >> 24));
		outb(b + ATA_REG_LBA1, (uint8_t)(lba >> 32));
		outb(b + ATA_REG_LBA2, (uint8_t)(lba >> 40));
	} else {
		ata_select(ch, d->slave, (uint8_t)((lba >> 24) & 0x0F));
	}
	outb(b + ATA_REG_COUNT, (uint8_t)count);       /* 256 -> 0 in LBA28 */
	outb(b + ATA_REG_LBA0, (uint8_t)lba);
	outb(b + ATA_REG_LBA1, (uint8_t)(lba >> 8));
	outb(b + ATA_REG_LBA2, (uint8_t)(lba >> 16));
	outb(b + ATA_REG_COMMAND, cmd);
}

/* Reports a failed command and returns -EIO (after resetting the channel
 * if the drive stopped answering). */
static int
ata_failed(struct ata_disk *d, const char *what, uint64_t lba, int err)
{
	struct ata_channel *ch = d->ch;

	if (err == -ETIMEDOUT) {
		printk(KERN_ERR "ata: %s: %s at sector %llu timed out; resetting the %s channel\n",
		       d->bdev.bd_name, what, lba, ch->name);
		ata_reset_channel(ch);
	} else {
		printk(KERN_ERR "ata: %s: %s at sector %llu failed (status %#x, error %#x)\n",
		       d->bdev.bd_name, what, lba, inb(ch->base + ATA_REG_STATUS),
		       inb(ch->base + ATA_REG_ERROR));
	}
	return -EIO;
}

/* Sets the disk's block size for READ/WRITE MULTIPLE (SET MULTIPLE MODE)
 * if it is not set: afterwards d->multiple is the sectors per block, 1 if
 * the disk offers no multiple mode or refuses it. => ch->lock held. */
static void
ata_set_multiple(struct ata_disk *d)
{
	struct ata_channel *ch = d->ch;
	int st;

	if (d->multiple)
		return;
	d->multiple = 1;
	if (!d->max_multiple || ata_wait_not_busy(ch, ATA_TIMEOUT_MS) < 0)
		return;
	ata_select(ch, d->slave, 0);
	outb(ch->base + ATA_REG_COUNT, (uint8_t)d->max_multiple);
	outb(ch->base + ATA_REG_COMMAND, ATA_CMD_SET_MULTIPLE);
	st = ata_wait_not_busy(ch, ATA_TIMEOUT_MS);
	if (st >= 0 && !(st & (ATA_SR_ERR | ATA_SR_DF)))
		d->multiple = d->max_multiple;
}

static uint8_t
ata_rw_command(const struct ata_disk *d, bool write, bool lba48)
{
	if (d->multiple > 1)
		return write ? (lba48 ? ATA_CMD_WRITE_MULTIPLE_EXT : ATA_CMD_WRITE_MULTIPLE)
			     : (lba48 ? ATA_CMD_READ_MULTIPLE_EXT : ATA_CMD_READ_MULTIPLE);
	return write ? (lba48 ? ATA_CMD_WRITE_EXT : ATA_CMD_WRITE)
		     : (lba48 ? ATA_CMD_READ_EXT : ATA_CMD_READ);
}

/* Reads or writes count (1..ATA_MAX_SECTORS) sectors at lba through buf,
 * d->multiple sectors per data block. => ch->lock held. 0 or -EIO. */
static int
ata_pio_transfer(struct ata_disk *d, enum req_op op, uint64_t lba, unsigned count, void *buf)
{
	struct ata_channel *ch = d->ch;
	bool lba48 = lba + count > ATA_LBA28_LIMIT;
	bool write = op == REQ_OP_WRITE;
	const char *what = write ? "write" : "read";
	char *p = buf;
	int err;

	lockdep_assert_held(&ch->lock);
	BUG_ON(count == 0 || count > ATA_MAX_SECTORS || (lba48 && !d->lba48));
	ata_set_multiple(d);
	if ((err = ata_wait_not_busy(ch, ATA_TIMEOUT_MS)) < 0)
		return ata_failed(d, what, lba, err);
	ata_issue(d, ata_rw_command(d, write, lba48), lba, count, lba48);
	for (unsigned done = 0; done < count; ) {
		unsigned block = count - done < d->multiple ? count - done : d->multiple;

		if ((err = ata_wait_drq(ch, ATA_TIMEOUT_MS)) < 0)
			return ata_failed(d, what, lba + done, err);
		if (write)
			outsw(ch->base + ATA_REG_DATA, p, block * ATA_WORDS_PER_SECTOR);
		else
			insw(ch->base + ATA_REG_DATA, p, block * ATA_WORDS_PER_SECTOR);
		done += block;
		p += block * SECTOR_SIZE;
	}
	/* the last sector's interrupt (a write: the command's end) */
	err = ata_wait_not_busy(ch, ATA_TIMEOUT_MS);
	if (err < 0 || err & (ATA_SR_ERR | ATA_SR_DF))
		return ata_failed(d, what, lba, err < 0 ? err : -EIO);
	return 0;
}

/* Empties the drive's write cache: FLUSH CACHE (EXT). => ch->lock held. */
static int
ata_flush(struct ata_disk *d)
{
	struct ata_channel *ch = d->ch;
	int err;

	if ((err = ata_wait_not_busy(ch, ATA_TIMEOUT_MS)) < 0)
		return ata_failed(d, "flush", 0, err);
	ata_select(ch, d->slave, 0);
	outb(ch->base + ATA_REG_COMMAND, d->lba48 ? ATA_CMD_CACHE_FLUSH_EXT : ATA_CMD_CACHE_FLUSH);
	err = ata_wait_not_busy(ch, ATA_TIMEOUT_MS);
	if (err < 0 || err & (ATA_SR_ERR | ATA_SR_DF))
		return ata_failed(d, "flush", 0, err < 0 ? err : -EIO);
	return 0;
}

/* The block layer's entry (bdev->lock held, bio checked against the size):
 * the bio in commands of at most ATA_MAX_SECTORS, ended before returning. */
static void
ata_submit_bio(struct bio *bio)
{
	struct ata_disk *d = bio->bi_bdev->bd_private;
	uint64_t lba = bio->bi_sector;
	unsigned left = bio->bi_size >> SECTOR_SHIFT;
	char *p = bio->bi_buf;
	int err = 0;

	mutex_lock(&d->ch->lock);
	if (bio->bi_op == REQ_OP_FLUSH)
		err = ata_flush(d);
	while (bio->bi_op != REQ_OP_FLUSH && left && !err) {
		unsigned n = left < ATA_MAX_SECTORS ? left : ATA_MAX_SECTORS;

		err = ata_pio_transfer(d, bio->bi_op, lba, n, p);
		lba += n;
		left -= n;
		p += n << SECTOR_SHIFT;
	}
	mutex_unlock(&d->ch->lock);
	bio_endio(bio, err);
}

static const struct block_device_operations ata_ops = {
	.submit_bio = ata_submit_bio,
};

/* ---- probing --------------------------------------------------------------- */

enum ata_probe_result { ATA_NONE, ATA_DISK, ATA_PACKET, ATA_BROKEN };

/* Sends IDENTIFY DEVICE to one position of ch and reads the answer into id. */
static enum ata_probe_result
ata_identify(struct ata_channel *ch, bool slave, uint16_t id[ATA_ID_WORDS])
{
	int st;

	ata_select(ch, slave, 0);
	outb(ch->base + ATA_REG_COUNT, 0);
	outb(ch->base + ATA_REG_LBA0, 0);
	outb(ch->base + ATA_REG_LBA1, 0);
	outb(ch->base + ATA_REG_LBA2, 0);
	outb(ch->base + ATA_REG_COMMAND, ATA_CMD_IDENTIFY);
	st = inb(ch->base + ATA_REG_STATUS);
	if (st == 0 || st == 0xFF)                 /* nothing there, or no channel at all */
		return ATA_NONE;
	if ((st = ata_wait_not_busy(ch, ATA_PROBE_TIMEOUT_MS)) < 0)
		return ATA_BROKEN;
	if (inb(ch->base + ATA_REG_LBA1) == ATAPI_SIG_LBA1 &&
	    inb(ch->base + ATA_REG_LBA2) == ATAPI_SIG_LBA2)
		return ATA_PACKET;
	if (st & (ATA_SR_ERR | ATA_SR_DF) || !(st & ATA_SR_DRQ))
		return ATA_BROKEN;
	insw(ch->base + ATA_REG_DATA, id, ATA_ID_WORDS);
	(void)inb(ch->base + ATA_REG_STATUS);
	return ATA_DISK;
}

/* The model string of identify data: two characters per word, high byte
 * first, padded with spaces (trimmed here). */
static void
ata_model(const uint16_t *id, char *out)
{
	int n = ATA_ID_MODEL_LEN;

	for (int i = 0; i < ATA_ID_MODEL_LEN / 2; i++) {
		out[2 * i] = (char)(id[ATA_ID_MODEL + i] >> 8);
		out[2 * i + 1] = (char)id[ATA_ID_MODEL + i];
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* Registers the disk whose identify data is id as the next sdX. */
static void
ata_add_disk(struct ata_channel *ch, bool slave, const uint16_t *id)
{
	struct ata_disk *d;
	uint64_t sectors;
	bool lba48 = id[ATA_ID_COMMAND_SET_2] & ATA_ID_CMD2_LBA48;

	if (!(id[ATA_ID_CAPABILITY] & ATA_ID_CAP_LBA)) {
		printk(KERN_WARNING "ata: %s %s: no LBA, skipped\n", ch->name, slave ? "slave" : "master");
		return;
	}
	if (nr_disks == ATA_MAX_DISKS)
		return;
	sectors = id[ATA_ID_LBA28_SECTORS] | (uint32_t)id[ATA_ID_LBA28_SECTORS + 1] << 16;
	if (lba48) {
		uint64_t s48 = 0;

		for (int i = 3; i >= 0; i--)
			s48 = s48 << 16 | id[ATA_ID_LBA48_SECTORS + i];
		if (s48)
			sectors = s48;
	}
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		panic("ata: out of memory");
	d->ch = ch;
	d->slave = slave;
	d->lba48 = lba48;
	d->max_multiple = id[ATA_ID_MAX_MULTIPLE] & ATA_ID_MULTIPLE_MASK;
	ch->disks[slave] = d;
	ata_model(id, d->model);
	snprintf(d->bdev.bd_name, sizeof(d->bdev.bd_name), "sd%c", 'a' + nr_disks);
	d->bdev.bd_dev = MKDEV(SD_MAJOR, nr_disks * SD_MINORS_PER_DISK);
	d->bdev.bd_nr_sectors = sectors;
	d->bdev.bd_ops = &ata_ops;
	d->bdev.bd_private = d;
	nr_disks++;
	printk(KERN_INFO "ata: %s %s: %s, %llu sectors%s -> %s\n", ch->name,
	       slave ? "slave" : "master", d->model, sectors, lba48 ? ", LBA48" : "",
	       d->bdev.bd_name);
	add_disk(&d->bdev);
}

/* Probes master and slave of ch; registers its interrupt if it has a disk. */
static void
ata_probe_channel(struct ata_channel *ch)
{
	static uint16_t id[ATA_ID_WORDS];      /* boot only: one probe at a time */
	bool has_disk = false;

	mutex_init(&ch->lock, "ata_channel");
	init_waitqueue_head(&ch->irq_wait);
	for (int slave = 0; slave <= 1; slave++) {
		switch (ata_identify(ch, slave, id)) {
		case ATA_DISK:
			ata_add_disk(ch, slave, id);
			has_disk = true;
			break;
		case ATA_PACKET:
			printk(KERN_INFO "ata: %s %s: ATAPI device (CD-ROM), not a disk: skipped\n",
			       ch->name, slave ? "slave" : "master");
			break;
		case ATA_BROKEN:
			printk(KERN_WARNING "ata: %s %s: no answer to IDENTIFY, skipped\n",
			       ch->name, slave ? "slave" : "master");
			ata_reset_channel(ch);
			break;
		case ATA_NONE:
			break;
		}
	}
	if (has_disk) {
		outb(ch->ctl, 0);                  /* interrupts on (nIEN clear) */
		irq_register(ch->irq, ata_irq);
	}
}

void
ata_init(void)
{
	for (unsigned i = 0; i < NR_CHANNELS; i++)
		ata_probe_channel(&channels[i]);
}

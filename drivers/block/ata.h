/*
 * drivers/block/ata.h — the ATA (IDE) disk driver's interface: one call at
 * boot that finds the disks on the two legacy IDE channels and registers
 * each as a block device (sda, sdb, ... as Linux's libata names them).
 */
#ifndef DRIVERS_BLOCK_ATA_H
#define DRIVERS_BLOCK_ATA_H

/* Probes the primary and secondary channels (master and slave of each),
 * registers every ATA disk with add_disk and skips ATAPI devices (the
 * CD-ROM the ISO boots from). May sleep; interrupts on. */
void ata_init(void);

#endif

/*
 * fs/block_dev.h — block special files and the root device (fs/block_dev.c).
 */
#ifndef FS_BLOCK_DEV_H
#define FS_BLOCK_DEV_H

#include <fs/vfs.h>

struct block_device;
struct file;

/* What open() installs for an S_IFBLK inode (a file system sets its
 * i_fop to this, as ramfs does): finds the device by i_rdev (ENXIO if
 * none) and gives the file the block-device operations. */
extern const struct file_operations blkdev_open_operations;

/* The size lseek(SEEK_END) counts from: the device's bytes for an open
 * block special file (i_size for one opened with O_PATH). */
loff_t blkdev_file_size(struct file *f);

/* Boot: /dev/NAME (S_IFBLK, 0660) for every registered block device. */
void blockdev_nodes_init(void);

/* root=: the name of the root device without "/dev/" ("sda", "ram0", the
 * default) or "MAJOR:MINOR"; root_device() is that device, or NULL. */
extern const char *root_device_name;
struct block_device *root_device(void);

#endif

/* fs/internal.h — helpers shared between the files of fs/, not used outside. */
#ifndef FS_INTERNAL_H
#define FS_INTERNAL_H

#include <fs/vfs.h>

/* A user path copied into a kmalloc'd PATH_MAX buffer (kfree it), or ERR_PTR. */
char *getname(const char *upath);
/* The dentry open(2) opens, creating it under O_CREAT (fs/namei.c). */
struct dentry *open_lookup(int dirfd, const char *path, int flags, uint32_t mode, bool *created);
/* Sets an inode's size through its file system (fs/open.c). */
int do_truncate(struct dentry *d, loff_t size);
/* The ST_* flags statfs reports for the mount of sb (fs/namespace.c). */
unsigned mount_statfs_flags(struct super_block *sb);
/* Whether f may be synced: fsync(2)'s rule (fs/sync.c). */
int vfs_fsync(struct file *f, bool datasync);
/* Called once by fs_init. */
void chrdev_init(void);
void pipe_init(void);

#endif

/*
 * fs/fs_struct.h — a process's place in the file tree: its root, its
 * current directory and its umask. fork copies it; chdir changes it.
 * Owned by one process (no threads), so it needs no lock of its own.
 */
#ifndef FS_FS_STRUCT_H
#define FS_FS_STRUCT_H

#include <fs/vfs.h>

struct fs_struct {
	int count;               /* processes sharing it (1: no threads) */
	struct dentry *root;     /* where "/" leads (a reference) */
	struct dentry *pwd;      /* where relative paths start (a reference) */
	uint32_t umask;          /* bits cleared from new files' modes */
};

struct fs_struct *fs_struct_alloc_root(void);
struct fs_struct *fs_struct_dup(struct fs_struct *old);
void fs_struct_put(struct fs_struct *fs);

#endif

/*
 * fs/proc_internal.h — what the files of the procfs machinery share:
 * the text buffer a file's contents are written into (fs/procfs.c) and
 * the per-process memory files of fs/proc_task_mmu.c. Private to fs/.
 *
 * A show function writes a whole file into a struct proc_buf when the
 * file is opened; it runs with no lock held and returns 0 or -errno
 * (-ESRCH when the process it is about has gone).
 */
#ifndef FS_PROC_INTERNAL_H
#define FS_PROC_INTERNAL_H

#include <fs/vfs.h>
#include <stdbool.h>
#include <stddef.h>

/* The text of one open file, grown as it is written. */
struct proc_buf {
	char *data;
	size_t len;             /* bytes of text */
	size_t cap;             /* bytes allocated (room for len + a NUL) */
	bool failed;            /* out of memory: the open fails with ENOMEM */
};

/* Appends formatted text; on failure sets pb->failed and appends nothing. */
void pb_printf(struct proc_buf *pb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends n raw bytes (they may include NULs). */
void pb_write(struct proc_buf *pb, const void *bytes, size_t n);
/* Appends spaces until the text since line_start is width bytes long. */
void pb_pad_to(struct proc_buf *pb, size_t line_start, size_t width);

/* The process a procfs inode is about (0: a system-wide entry). */
int proc_inode_pid(const struct inode *inode);
/* A new /sys super_block (the procfs machinery with another root table). */
struct super_block *sysfs_mount(void);

/* /proc/filesystems (fs/filesystems.c) and /proc/mounts, /proc/PID/mounts
 * (fs/namespace.c). */
int proc_show_filesystems(struct proc_buf *pb, int pid);
int proc_show_mounts(struct proc_buf *pb, int pid);

/* ---- fs/proc_task_mmu.c: a process's address space ---- */

/* /proc/PID/maps and /proc/PID/smaps. */
int proc_show_pid_maps(struct proc_buf *pb, int pid);
int proc_show_pid_smaps(struct proc_buf *pb, int pid);
/* The Vm* lines of /proc/PID/status (none for a process without memory). */
void proc_show_task_mem(struct proc_buf *pb, int pid);
/* /proc/PID/pagemap: binary, computed per read (its own operations). */
extern const struct file_operations proc_pagemap_fops;

#endif

/*
 * fs/file.h — open files and the per-process descriptor table.
 *
 * A struct file is one open(): it has the offset and the O_ flags, and is
 * shared by every descriptor dup()ed or inherited from it (so a parent and
 * child share one offset, as POSIX requires). A files_struct maps small
 * integers to files; fork copies the table (each file gains a reference),
 * execve closes the descriptors marked close-on-exec.
 *
 * Locking: files_struct is owned by one process (anvil has no threads), so
 * its table is changed only by its owner, with preemption harmless because
 * no one else looks at it. file->f_count is changed with interrupts off.
 */
#ifndef FS_FILE_H
#define FS_FILE_H

#include <fs/vfs.h>

/* open() flags, Linux i386 values */
#define O_ACCMODE   00000003
#define O_RDONLY    00000000
#define O_WRONLY    00000001
#define O_RDWR      00000002
#define O_CREAT     00000100
#define O_EXCL      00000200
#define O_NOCTTY    00000400
#define O_TRUNC     00001000
#define O_APPEND    00002000
#define O_NONBLOCK  00004000
#define O_DSYNC     00010000
#define O_ASYNC     00020000
#define O_DIRECT    00040000
#define O_LARGEFILE 00100000
#define O_DIRECTORY 00200000
#define O_NOFOLLOW  00400000
#define O_NOATIME   01000000
#define O_CLOEXEC   02000000
#define O_PATH      010000000
#define O_TMPFILE_MASK (020000000 | O_DIRECTORY)
/* How execve opens a program: read access checked against x, not r. */
#define O_RDONLY_EXEC O_RDONLY

#define FMODE_READ  1u
#define FMODE_WRITE 2u
#define FMODE_WRITER 4u  /* counted in its file system's s_writers until the last fput */

struct file {
	int f_count;                         /* descriptors and mappings using it */
	unsigned f_flags;                    /* O_* as given to open (minus O_CREAT etc.) */
	unsigned f_mode;                     /* FMODE_READ | FMODE_WRITE */
	loff_t f_pos;                        /* offset of the next read/write */
	struct dentry *f_dentry;             /* a reference */
	struct inode *f_inode;               /* f_dentry->d_inode, or a pipe's inode */
	const struct file_operations *f_op;
	void *private_data;                  /* the driver's (pipe end, tty) */
};

#define NR_OPEN_MAX 1024                     /* RLIMIT_NOFILE, as Linux's default */

struct files_struct {
	int count;                           /* processes sharing it (1: no threads) */
	unsigned max_fds;                    /* slots in fd[]; grows by doubling */
	struct file **fd;                    /* fd[i]: open file or NULL */
	uint32_t *close_on_exec;             /* bitmap, max_fds bits */
};

/* Open files */
struct file *alloc_file(struct dentry *d, struct inode *inode, unsigned flags,
			const struct file_operations *fop);
struct file *get_file(struct file *f);
void fput(struct file *f);
/* Opens path as open(2) would; a reference or ERR_PTR. */
struct file *kernel_open(const char *path, int flags, int mode);
struct file *do_filp_open(int dirfd, const char *path, int flags, uint32_t mode);
/* Reads at off without moving f_pos (kernel buffer); bytes or -errno. */
ssize_t kernel_read(struct file *f, void *buf, size_t n, uint64_t off);
ssize_t kernel_write(struct file *f, const void *buf, size_t n, uint64_t off);
/* 0 if f is a regular file that may be executed, else -EACCES. */
int file_check_executable(struct file *f);

/* Descriptors of the current process */
struct file *fget(int fd);                      /* a reference, or NULL */
int fd_install_new(struct file *f, int min_fd, bool cloexec);   /* consumes f */
int close_fd(int fd);
/* Puts f (consumed) at exactly fd, closing what was there (dup2). */
int fd_replace(int fd, struct file *f, bool cloexec);
void set_close_on_exec(unsigned fd, bool on);
bool get_close_on_exec(unsigned fd);

/* Descriptor tables */
struct files_struct *files_alloc(void);
struct files_struct *files_dup(struct files_struct *old);
void files_put(struct files_struct *files);
void files_close_on_exec(struct files_struct *files);
/* Opens /dev/console as fds 0, 1 and 2. */
int open_console_fds(struct files_struct *files);

#endif

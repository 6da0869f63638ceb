/*
 * fs/vfs.h — the virtual file system: the objects every file system shares.
 *
 *   super_block  one mounted file system (ramfs at /, procfs at /proc)
 *   inode        one file, directory or device: type, size, times, the
 *                operations that act on it; private data is the fs's
 *   dentry       one name in the tree: a (parent, name) -> inode link.
 *                The dentry tree is the name cache; for ramfs it is the
 *                whole file system, as in Linux's ramfs.
 *   file         one open of a file: offset, flags, operations (fs/file.h)
 *
 * Reference counts. A dentry holds a reference on its inode and on its
 * parent. Open files, the cwd and root of each process hold dentries.
 * ramfs pins each of its dentries with one extra reference until unlink;
 * procfs dentries are D_VOLATILE and go away on their last dput.
 *
 * Locking (uniprocessor, preemptive): namespace_mutex serialises every
 * change to the dentry tree, every path walk and the mount table; inode->i_mutex serialises
 * changes to one file's contents and size. Order: namespace_mutex, then
 * i_mutex. Neither is held while sleeping for a pipe or the terminal.
 */
#ifndef FS_VFS_H
#define FS_VFS_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <kernel/errno.h>
#include <kernel/mutex.h>
#include <kernel/spinlock.h>
#include <libk/list.h>
#include <mm/filemap.h>
#include <arch/x86/mmu.h>

typedef long ssize_t;
typedef int64_t loff_t;
struct block_device;

/* File types and permission bits, as in Linux's st_mode. */
#define S_IFMT   0170000
#define S_IFSOCK 0140000
#define S_IFLNK  0120000
#define S_IFREG  0100000
#define S_IFBLK  0060000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFIFO  0010000
#define S_ISUID  04000
#define S_ISGID  02000
#define S_ISVTX  01000
#define S_ISREG(m)  (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)  (((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m)  (((m) & S_IFMT) == S_IFCHR)
#define S_ISLNK(m)  (((m) & S_IFMT) == S_IFLNK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISBLK(m)  (((m) & S_IFMT) == S_IFBLK)

/* Device numbers: Linux's new_encode_dev split into major and minor. */
#define MKDEV(ma, mi) (((uint32_t)(ma) << 8) | (mi))
#define MAJOR(d)      ((d) >> 8)
#define MINOR(d)      ((d) & 0xff)

#define NAME_MAX 255
#define PATH_MAX 4096

struct inode;
struct dentry;
struct file;
struct super_block;
struct vm_area_struct;

/*
 * An I/O buffer that is either in user space (copied with copy_to_user and
 * friends, which fault safely) or in the kernel (memcpy): file operations
 * move data through it so that read() and the ELF loader share one path.
 */
struct iobuf {
	char *ptr;        /* next byte */
	size_t left;      /* bytes still wanted / offered */
	bool user;        /* ptr is a user address */
};

static inline struct iobuf iobuf_user(void *p, size_t n) { return (struct iobuf){ p, n, true }; }
static inline struct iobuf iobuf_kernel(void *p, size_t n) { return (struct iobuf){ p, n, false }; }
/* Copy n bytes from src into the buffer / from the buffer into dst and
 * advance it; 0 or -EFAULT (nothing is advanced on a fault). */
int iobuf_put(struct iobuf *b, const void *src, size_t n);
int iobuf_get(struct iobuf *b, void *dst, size_t n);
int iobuf_zero(struct iobuf *b, size_t n);

/* getdents: one entry handed to the caller's buffer; false when it is full. */
struct dir_context;
typedef bool (*filldir_t)(struct dir_context *ctx, const char *name, size_t len,
			  uint64_t ino, unsigned type);
struct dir_context {
	filldir_t actor;
	loff_t pos;        /* the directory offset of the next entry */
};
/* d_type values of getdents64 */
#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_REG     8
#define DT_LNK     10
static inline unsigned dt_type(uint32_t mode) { return (mode & S_IFMT) >> 12; }

struct file_operations {
	ssize_t (*read)(struct file *f, struct iobuf *b, loff_t *pos);
	ssize_t (*write)(struct file *f, struct iobuf *b, loff_t *pos);
	/* Fills entries from ctx->pos on; 0 or -errno. */
	int (*iterate)(struct file *f, struct dir_context *ctx);
	long (*ioctl)(struct file *f, unsigned cmd, unsigned long arg);
	int (*open)(struct inode *inode, struct file *f);
	void (*release)(struct inode *inode, struct file *f);
	/* Checks a new offset for lseek; NULL means any offset ≥ 0 is fine
	 * and NO_SEEK (below) means ESPIPE. */
	int (*llseek_ok)(struct file *f, loff_t pos);
	/* Makes vma map the file: vma is not linked yet, vm_file is set and
	 * mmap has checked the open mode. 0 or -errno (the mmap fails with
	 * it). NULL: the file cannot be mapped at all (ENODEV), as pipes,
	 * terminals and directories. Called with mmap_lock held: it must not
	 * wait for other processes or touch user memory. */
	int (*mmap)(struct file *f, struct vm_area_struct *vma);
	/* Makes the file's data (and, unless datasync, all its metadata)
	 * durable: fsync(2), fdatasync(2). NULL: nothing to do (0) for a
	 * regular file or a directory; any other file (pipe, terminal,
	 * device) cannot be synced: EINVAL, as on Linux (fs/sync.c). */
	int (*fsync)(struct file *f, bool datasync);
};

struct inode_operations {
	/* Fills d->d_inode if name exists in dir (a negative dentry otherwise). */
	int (*lookup)(struct inode *dir, struct dentry *d);
	int (*create)(struct inode *dir, struct dentry *d, uint32_t mode);
	int (*mkdir)(struct inode *dir, struct dentry *d, uint32_t mode);
	int (*mknod)(struct inode *dir, struct dentry *d, uint32_t mode, uint32_t rdev);
	int (*symlink)(struct inode *dir, struct dentry *d, const char *target);
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *d);
	int (*unlink)(struct inode *dir, struct dentry *d);
	int (*rmdir)(struct inode *dir, struct dentry *d);
	/* Moves old (in old_dir) to new's name in new_dir; new may be positive. */
	int (*rename)(struct inode *old_dir, struct dentry *old,
		      struct inode *new_dir, struct dentry *new);
	/* Symlink target into buf (at most size bytes, no NUL); length or -errno. */
	int (*readlink)(struct dentry *d, char *buf, size_t size);
	/* Sets the size of a regular file (i_mutex held): the file system
	 * calls truncate_setsize (mm/filemap.h), then frees or allocates. */
	int (*truncate)(struct inode *inode, loff_t size);
};

/* What a mounted file system does for the VFS (all may be NULL). */
struct kstatfs;
struct super_operations {
	/* The last reference to inode is going (iput): a file system with
	 * on-disk inodes frees the inode and its blocks if i_nlink is 0.
	 * The VFS has already dropped its page cache (truncate_inode_pages). */
	void (*evict_inode)(struct inode *inode);
	/* Writes the inode's metadata to its buffer (and to disk if sync). */
	int (*write_inode)(struct inode *inode, bool sync);
	/* Writes the file system's own metadata (superblock, bitmaps) and, if
	 * wait, makes everything written so far durable: sync, syncfs, umount. */
	int (*sync_fs)(struct super_block *sb, bool wait);
	int (*statfs)(struct super_block *sb, struct kstatfs *st);
	/* umount: everything has been synced; free s_fs_info. */
	void (*put_super)(struct super_block *sb);
	/* mount -o remount: *flags (SB_RDONLY) asked for; 0 or -errno. */
	int (*remount_fs)(struct super_block *sb, unsigned *flags);
};

/* statfs64 in the kernel's words (fs/statfs.c turns it into struct statfs64). */
struct kstatfs {
	uint32_t f_type;                   /* the file system's magic (EXT2_SUPER_MAGIC...) */
	uint32_t f_bsize;                  /* block size */
	uint64_t f_blocks, f_bfree, f_bavail;
	uint64_t f_files, f_ffree;
	uint32_t f_fsid[2];
	uint32_t f_namelen;
	uint32_t f_frsize;
	uint32_t f_flags;                  /* ST_RDONLY ... */
};

/* statfs's f_flags (include/linux/statfs.h) */
#define ST_RDONLY      0x0001u
#define ST_NOSUID      0x0002u
#define ST_NODEV       0x0004u
#define ST_NOEXEC      0x0008u
#define ST_SYNCHRONOUS 0x0010u
#define ST_VALID       0x0020u   /* f_flags is filled in */
#define ST_MANDLOCK    0x0040u
#define ST_NOATIME     0x0400u
#define ST_NODIRATIME  0x0800u
#define ST_RELATIME    0x1000u
#define ST_NOSYMFOLLOW 0x2000u

/* A kind of file system that mount(2) can name ("ext2", "proc"). */
struct file_system_type {
	const char *name;
	unsigned fs_flags;                 /* FS_REQUIRES_DEV */
	/* A super_block for bdev (NULL unless FS_REQUIRES_DEV) mounted with
	 * flags (SB_RDONLY...) and the option string data; or ERR_PTR. */
	struct super_block *(*mount)(struct file_system_type *type, unsigned flags,
				     struct block_device *bdev, const char *data);
	struct file_system_type *next;     /* on the list of registered types */
};
#define FS_REQUIRES_DEV  1u
/* The file system holds one reference on each positive dentry below its
 * root until the name is unlinked (ramfs: the dentry tree is the file
 * system). umount drops these pins; the busy check does not count them. */
#define FS_PINS_DENTRIES 2u

/* fs/filesystems.c. register_filesystem: 0, or -EBUSY if the name is taken. */
int register_filesystem(struct file_system_type *type);
/* The registered type called name, or NULL. */
struct file_system_type *get_fs_type(const char *name);
/* An unnamed device number (major 0) for a file system without a device,
 * or 0 if all are in use; free_anon_dev gives it back. */
uint32_t get_anon_dev(void);
void free_anon_dev(uint32_t dev);

struct inode {
	uint64_t i_ino;                    /* number, unique in its super_block */
	uint32_t i_mode;                   /* type and permission bits (S_IF*) */
	uint32_t i_nlink;                  /* names pointing at it (dirs: 2 + subdirs) */
	uint32_t i_uid, i_gid;
	uint32_t i_rdev;                   /* device number of a device node */
	loff_t i_size;                     /* bytes */
	int64_t i_atime, i_mtime, i_ctime; /* nanoseconds since the epoch */
	int i_count;                       /* references: dentries, pipes */
	struct super_block *i_sb;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;   /* what open() installs */
	struct mutex i_mutex;              /* contents and size */
	void *i_private;                   /* the file system's own data */
	void (*i_destroy)(struct inode *); /* frees i_private on the last iput */
	uint64_t i_blocks;                 /* 512-byte units allocated (st_blocks) */
	unsigned i_state;                  /* I_* below */
	struct address_space *i_mapping;   /* the page cache of its contents: &i_data */
	struct address_space i_data;       /* (mm/filemap.h) */
	struct list_head i_sb_list;        /* on i_sb->s_inodes */
	struct list_head i_hash;           /* in the inode hash (iget), if the fs uses it */
	struct list_head i_deferred;       /* on the deferred iputs (iput_no_evict) */
};

#define I_DIRTY 1u      /* metadata changed since the last write_inode */
#define I_NEW   2u      /* being read in by iget: not ready yet */
#define I_FREEING 4u    /* its last reference is gone: being evicted (sync skips it) */
#define I_BAD   8u      /* iget_failed: never read in, nothing to evict */
#define I_SWAPFILE 16u  /* an active swap area (mm/swapfile.c): writes, truncate
			 * and writable shared mappings are ETXTBSY, as on Linux */

static inline bool IS_SWAPFILE(const struct inode *inode)
{
	return inode->i_state & I_SWAPFILE;
}

/* Times an inode or a metadata buffer (fs/buffer.c) was dirtied: the
 * flusher (fs/sync.c) writes back when it moved. */
extern unsigned long dirty_events;
/* The inode's metadata must be written at the next sync. */
static inline void mark_inode_dirty(struct inode *inode)
{
	inode->i_state |= I_DIRTY;
	dirty_events++;
}

struct dentry {
	char *d_name;                      /* component name (kmalloc'd) */
	struct inode *d_inode;             /* NULL: negative (name absent) */
	struct dentry *d_parent;           /* itself for a root */
	struct list_head d_child;          /* on d_parent->d_subdirs */
	struct list_head d_subdirs;        /* children that are cached */
	int d_count;                       /* references */
	unsigned d_flags;                  /* D_* below */
	struct dentry *d_mounted;          /* root of a file system mounted here */
	struct dentry *d_mountpoint;       /* for a mounted root: where it hangs */
	struct super_block *d_sb;
	uint32_t d_pos;                    /* readdir position among its siblings */
	uint32_t d_next_pos;               /* next d_pos to hand a new child */
};

#define D_VOLATILE 1u   /* not cached: freed on the last dput (procfs) */
#define D_DELETED  2u   /* unlinked: no longer reachable by name */

struct super_block {
	const char *s_type;                /* "ramfs", "proc" */
	uint32_t s_dev;                    /* st_dev of its inodes */
	uint64_t s_next_ino;               /* for new_inode */
	struct dentry *s_root;
	const struct super_operations *s_op;   /* NULL: nothing to do */
	unsigned s_flags;                  /* SB_* below */
	struct block_device *s_bdev;       /* the device it lives on, or NULL */
	uint32_t s_blocksize;              /* bytes per block (1024, 4096) */
	unsigned s_blocksize_bits;
	uint32_t s_magic;                  /* f_type for statfs */
	loff_t s_maxbytes;                 /* largest file size; a write beyond is EFBIG */
	void *s_fs_info;                   /* the file system's own */
	struct list_head s_inodes;         /* every inode of it (i_sb_list) */
	struct list_head s_list;           /* on the list of all super_blocks */
	int s_writers;                     /* open files that may write (FMODE_WRITER):
					    * remount read-only is EBUSY while > 0 */
};

/* s_flags, and mount(2)'s MS_ flags of the same value */
#define SB_RDONLY      1u
#define SB_NOSUID      2u
#define SB_NODEV       4u
#define SB_NOEXEC      8u
#define SB_SYNCHRONOUS 16u
#define SB_NOATIME     1024u
#define SB_RELATIME    (1u << 21)

#define SB_MANDLOCK    64u
#define SB_DIRSYNC     128u
#define SB_LAZYTIME    (1u << 25)
/* The largest file the page cache can index (32-bit page offsets), as Linux's. */
#define MAX_LFS_FILESIZE ((loff_t)0xFFFFFFFFu << PAGE_SHIFT)

static inline bool sb_rdonly(const struct super_block *sb) { return sb->s_flags & SB_RDONLY; }

/*
 * The one check every change to a file system makes first (Linux's
 * mnt_want_write): 0, or -EROFS if sb is mounted read-only. Creating,
 * removing or renaming names, opening for writing or with O_TRUNC,
 * truncate, chmod and chown all go through it.
 */
static inline int
sb_want_write(const struct super_block *sb)
{
	return sb && sb_rdonly(sb) ? -EROFS : 0;
}

extern struct mutex namespace_mutex;
extern spinlock_t inode_sb_list_lock;  /* every sb->s_inodes (fs/inode.c; a leaf) */

/* inodes (fs/inode.c) */
struct inode *new_inode(struct super_block *sb, uint32_t mode);
struct inode *igrab(struct inode *inode);
/* Gives a device node the open of its kind (character or block device,
 * by i_mode and i_rdev); FIFOs and sockets get none (open is ENXIO). */
void init_special_inode(struct inode *inode);
void iput(struct inode *inode);
/* The inode cache of disk file systems (fs/inode.c). iget_locked gives
 * the cached inode of (sb, ino) with a reference, or a new one that is
 * I_NEW: the caller reads it in, then unlock_new_inode, or iget_failed
 * (which drops it without evicting anything). NULL if out of memory. */
struct inode *iget_locked(struct super_block *sb, uint64_t ino);
void unlock_new_inode(struct inode *inode);
void iget_failed(struct inode *inode);
/* Puts a new inode (from new_inode, i_ino set by its fs) into the cache. */
void insert_inode_hash(struct inode *inode);
int64_t current_time_ns(void);

/* dentries (fs/dcache.c); namespace_mutex held unless said otherwise */
struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len);
struct dentry *d_alloc_root(struct super_block *sb, struct inode *inode);
struct dentry *d_find_child(struct dentry *parent, const char *name, size_t len);
void d_instantiate(struct dentry *d, struct inode *inode);
void d_delete(struct dentry *d);
void d_move(struct dentry *d, struct dentry *new_parent, const char *name);
struct dentry *dget(struct dentry *d);
void dput(struct dentry *d);           /* may be called without namespace_mutex */
/* Writes the absolute path of d (seen from root) into buf; length or -errno. */
int d_path(struct dentry *d, struct dentry *root, char *buf, size_t size);
/* Mounts sb on the directory mountpoint and records it in the mount table
 * under sb->s_type's name (fs/namespace.c): the boot mounts. namespace_mutex
 * held, or the boot thread before anything else runs. */
void mount_at(struct dentry *mountpoint, struct super_block *sb);
/* Frees the cached dentries nobody uses (and so the inodes only they
 * held): drop_caches. How many went. Takes namespace_mutex. */
unsigned long shrink_dcache_all(void);
/* Takes sb off the list of super_blocks and frees it: umount's teardown,
 * a failed mount (fs/super.c). */
void destroy_super(struct super_block *sb);
/* A zeroed super_block of type with device number dev, on the list of all
 * super_blocks (fs/super.c). */
struct super_block *alloc_super(const char *type, uint32_t dev);
/* Calls fn for every super_block made so far (they are never freed yet).
 * fn may sleep. */
void iterate_supers(void (*fn)(struct super_block *sb, void *arg), void *arg);
/* Calls fn for every inode of sb in use (not being read in or freed),
 * holding a reference on it across fn, which may sleep; the one walk of
 * sb->s_inodes (sync, drop_caches, reclaim). Takes inode_sb_list_lock
 * around the walk, dropped around each fn. how: ITER_* below. */
#define ITER_CACHED   1u   /* only inodes with page-cache pages */
#define ITER_NO_EVICT 2u   /* a reference that turns out to be the last goes to
			    * iput_no_evict: reclaim, which must not evict */
void iterate_inodes(struct super_block *sb, unsigned how, void (*fn)(struct inode *inode, void *arg),
		    void *arg);
/* Drops a reference to inode unless it is the last one: that one is kept
 * on a list of deferred iputs, for a context that may evict the inode
 * (run_deferred_iputs: the flusher, drop_caches). For reclaim, which may
 * run under a file system's locks, where eviction could wait on them. */
void iput_no_evict(struct inode *inode);
void run_deferred_iputs(void);
/* Drops every clean, unmapped page-cache page (drop_caches, and memory
 * pressure: fs/drop_caches.c); how many pages went. may_evict: whether
 * an inode whose last reference the walk held may be evicted now. */
unsigned long drop_pagecache(bool may_evict);
/* /proc/sys/vm/drop_caches written what (1 to 4, as on Linux): with 1 and
 * 3 the clean page cache; always the unused dentries and inodes and,
 * after a sync of each disk file system, the clean buffers
 * (fs/drop_caches.c). */
void drop_caches(int what);
/* Registers the page-cache and buffer shrinkers with the page allocator. */
void drop_caches_init(void);

/* Mount points (fs/dcache.c, for fs/namespace.c; namespace_mutex held). */
/* Hangs root (a file system's s_root) on mountpoint: each takes a reference. */
void d_link_mount(struct dentry *mountpoint, struct dentry *root);
/* Undoes d_link_mount for root: its mountpoint is uncovered. */
void d_unlink_mount(struct dentry *root);
/* Whether anything but the tree itself refers to a dentry of root's tree:
 * an open file, a cwd or root, a path being used, a file system mounted
 * inside it. pinned: the fs pins its dentries (FS_PINS_DENTRIES). */
bool d_tree_busy(struct dentry *root, bool pinned);
/* Frees every dentry of root's unmounted, idle tree (d_tree_busy false),
 * root included, dropping the file system's pins and the inodes' references. */
void d_free_tree(struct dentry *root, bool pinned);
/* d_path for a caller that holds namespace_mutex. */
int __d_path(struct dentry *d, struct dentry *root, char *buf, size_t size);

/* Syncing (fs/sync.c). */
/* Writes inode's dirty pages and waits for them, then its metadata if it
 * is dirty (s_op->write_inode): 0 or the first error. A reference held. */
int write_inode_now(struct inode *inode);
/* f_op->fsync of a file whose data is its page cache: the data (and,
 * unless datasync, the inode, write_inode_now). */
int generic_file_fsync(struct file *f, bool datasync);
/* Writes every dirty page and inode of sb and its own metadata, and waits:
 * what sync, syncfs and umount do for one file system. 0 or the first error. */
int sync_filesystem(struct super_block *sb);
/* mount(2) and umount2(2) on kernel strings (fs/namespace.c): for the boot
 * (a disk root, /dev) and tests. 0 or the errno the system call gives. */
int do_mount(const char *source, const char *target, const char *type,
	     unsigned long flags, const char *data);
int do_umount2(const char *target, int flags);
/* Frees the lazily unmounted (MNT_DETACH) file systems nobody uses any
 * more (fs/namespace.c); drop_caches calls it. No lock held. */
void reap_detached_mounts_unlocked(void);
/* sync(2) from the kernel: every mounted file system (power-off). */
void sync_all_filesystems(void);
/* Starts the flusher: a kernel thread that writes back every few seconds
 * whatever was dirtied (fs/sync.c). */
void flusher_init(void);

/* Path walk (fs/namei.c). dirfd is AT_FDCWD or an open directory. */
#define AT_FDCWD            (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR        0x200
#define AT_SYMLINK_FOLLOW   0x400
#define AT_EMPTY_PATH       0x1000
#define LOOKUP_FOLLOW    1u     /* follow a symlink in the last component */
#define LOOKUP_DIRECTORY 2u     /* the result must be a directory */
#define LOOKUP_EMPTY     4u     /* "" names dirfd itself */
/* Kernel-side path to a positive dentry (a reference) or ERR_PTR. */
struct dentry *kern_path(int dirfd, const char *path, unsigned flags);
/* User-space path: copies it in (EFAULT, ENAMETOOLONG, ENOENT for "") then kern_path. */
struct dentry *user_path(int dirfd, const char *upath, unsigned flags);
int vfs_mkdir_path(const char *path, uint32_t mode);
int vfs_mknod_path(const char *path, uint32_t mode, uint32_t rdev);
int vfs_symlink_path(const char *target, const char *path);
int vfs_unlink_path(const char *path);
int vfs_rmdir_path(const char *path);
int vfs_rename_path(const char *old, const char *new);
int vfs_link_path(const char *old, const char *new);

/* Checks permission bits (root may do anything but execute non-executables). */
#define MAY_EXEC  1
#define MAY_WRITE 2
#define MAY_READ  4
int inode_permission(struct inode *inode, int mask);

/* Helpers for simple file systems (fs/libfs.c). */
int dcache_readdir(struct file *f, struct dir_context *ctx);
bool dir_emit_dots(struct file *f, struct dir_context *ctx);
extern const struct file_operations simple_dir_operations;
/* Reads from a kernel string as from a file at *pos. */
ssize_t simple_read_from_buffer(struct iobuf *b, loff_t *pos, const char *from, size_t available);
int no_seek(struct file *f, loff_t pos);   /* llseek_ok for pipes and ttys: ESPIPE */

/* Character devices (fs/char_dev.c): open() of a device node picks the
 * operations registered for its major (and minor) number. */
int register_chrdev(unsigned major, unsigned minor, const char *name,
		    const struct file_operations *fops);
extern const struct file_operations chrdev_open_operations;

/* File systems */
void ramfs_init(void);
struct super_block *ramfs_mount(void);
struct super_block *procfs_mount(void);
void unpack_initramfs(const void *start, size_t len);
/* Mounts the root file system, filled from the initrd (cpio newc) found
 * in memory at [initrd, initrd+len) (len 0: an empty root), and /proc, /sys. */
void fs_init(void *initrd, size_t len);
extern struct dentry *root_dentry;      /* "/" */

#endif

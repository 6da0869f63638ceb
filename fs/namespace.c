/*
 * fs/namespace.c — the mount table, mount(2), umount2(2) and /proc/mounts.
 *
 * One struct mount per mounted file system: its super_block, the device
 * name and type it was mounted with, its per-mount flags (nosuid, nodev,
 * noexec, atime). The root file system's entry is root_mount, which always
 * describes whatever root_dentry's super_block is now (the boot root, or
 * the disk the boot switched to); every other mount is on mount_list in
 * mount order, so /proc/mounts lists the root first, then the rest as they
 * were mounted. In the dentry tree a mount is the link d_link_mount makes:
 * the covered directory's d_mounted leads to the file system's root, whose
 * d_mountpoint leads back (fs/dcache.c); the path walk follows those.
 * anvil has one mount per super_block (no bind mounts): a device already
 * mounted is EBUSY.
 *
 * Busy. A file system may be unmounted when nothing but its own dentry
 * tree refers to it: no open file (each holds its dentry), no cwd or root
 * of a process, no path a system call is using, nothing mounted inside.
 * d_tree_busy counts exactly that, only at umount time (nothing is
 * counted on the fast paths). Remounting read-only is EBUSY while a file
 * on it is open for writing (sb->s_writers, counted by open and fput).
 *
 * Lazy umount (MNT_DETACH) unhooks the file system from the tree at once;
 * it is torn down then if idle, or else stays on detached_mounts and is
 * torn down by the first mount, umount, sync or drop_caches that finds it
 * idle (nothing is hooked into dput or fput: no cost on their paths).
 * Teardown: write everything (sync_filesystem), free the dentry tree (the
 * file system's pins too) and so the inodes, sync_fs once more, put_super,
 * give the device number back.
 *
 * Invariants: a struct mount's mnt_root is its sb's s_root, linked into
 * the tree exactly while the mount is on mount_list; root_mount is never
 * unmounted (umount of / remounts it read-only, as Linux does).
 *
 * Locking: namespace_mutex guards the table, every link between trees and
 * every mount, remount and umount, and is held while sync(2) writes the
 * mounted file systems (their I/O takes only locks below it). The paths
 * a call names are resolved before it is taken (kern_path takes it).
 */
#include <fs/vfs.h>
#include <fs/file.h>
#include <fs/fs_struct.h>
#include <fs/internal.h>
#include <fs/proc_internal.h>
#include <drivers/block/blkdev.h>
#include <kernel/errno.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>
#include <mm/slab.h>
#include <arch/x86/mmu.h>
#include <libk/stdio.h>
#include <libk/string.h>
#include <mm/swapfile.h>

/* mount(2)'s flags (include/uapi/linux/mount.h) */
#define MS_RDONLY      1u
#define MS_NOSUID      2u
#define MS_NODEV       4u
#define MS_NOEXEC      8u
#define MS_SYNCHRONOUS 16u
#define MS_REMOUNT     32u
#define MS_MANDLOCK    64u
#define MS_DIRSYNC     128u
#define MS_NOSYMFOLLOW 256u
#define MS_NOATIME     1024u
#define MS_NODIRATIME  2048u
#define MS_BIND        4096u
#define MS_MOVE        8192u
#define MS_REC         16384u
#define MS_SILENT      32768u
#define MS_POSIXACL    (1u << 16)
#define MS_UNBINDABLE  (1u << 17)
#define MS_PRIVATE     (1u << 18)
#define MS_SLAVE       (1u << 19)
#define MS_SHARED      (1u << 20)
#define MS_RELATIME    (1u << 21)
#define MS_I_VERSION   (1u << 23)
#define MS_STRICTATIME (1u << 24)
#define MS_LAZYTIME    (1u << 25)
#define MS_NOUSER      (1u << 31)
#define MS_MGC_VAL     0xC0ED0000u   /* old "magic" in the top half: ignored */
#define MS_MGC_MSK     0xffff0000u
#define MS_PROPAGATION (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)
/* The super_block flags a mount or remount sets (the rest are per mount). */
#define MS_SB_FLAGS    (MS_RDONLY | MS_SYNCHRONOUS | MS_MANDLOCK | MS_DIRSYNC | MS_LAZYTIME)
/* ... of which a remount may change these (Linux's MS_RMT_MASK). */
#define MS_RMT_MASK    (MS_RDONLY | MS_SYNCHRONOUS | MS_MANDLOCK | MS_LAZYTIME)

/* umount2(2)'s flags */
#define MNT_FORCE       1u
#define MNT_DETACH      2u
#define MNT_EXPIRE      4u
#define UMOUNT_NOFOLLOW 8u

/* per-mount flags, Linux's values */
#define MNT_NOSUID      0x01u
#define MNT_NODEV       0x02u
#define MNT_NOEXEC      0x04u
#define MNT_NOATIME     0x08u
#define MNT_NODIRATIME  0x10u
#define MNT_RELATIME    0x20u
#define MNT_NOSYMFOLLOW 0x80u
#define MNT_ATIME_MASK  (MNT_NOATIME | MNT_NODIRATIME | MNT_RELATIME)

#define DEV_NAME_MAX    32           /* "/dev/" and a block device's name */

struct mount {
	struct list_head mnt_list;       /* mount_list or detached_mounts */
	struct super_block *mnt_sb;
	struct dentry *mnt_root;         /* mnt_sb->s_root */
	const char *mnt_fstype;          /* the type's name, as /proc/mounts shows it */
	unsigned mnt_fs_flags;           /* the type's FS_* flags */
	unsigned mnt_flags;              /* MNT_* */
	char *mnt_devname;               /* the source given to mount (kmalloc'd) */
	bool mnt_expiry_mark;            /* MNT_EXPIRE asked once and nothing changed */
};

static LIST_HEAD(mount_list);
static LIST_HEAD(detached_mounts);
static struct mount root_mount;
static char root_devname[DEV_NAME_MAX];

/* ---- the table ---------------------------------------------------------- */

/* root_mount, brought up to date with root_dentry's file system: the boot
 * ramfs is "rootfs", a disk root "/dev/root" as Linux names it. */
static struct mount *
get_root_mount(void)
{
	struct super_block *sb = root_dentry->d_sb;

	if (root_mount.mnt_sb != sb) {
		struct file_system_type *type = get_fs_type(sb->s_type);

		root_mount.mnt_sb = sb;
		root_mount.mnt_root = root_dentry;
		root_mount.mnt_fstype = sb->s_bdev ? sb->s_type : "rootfs";
		root_mount.mnt_fs_flags = type ? type->fs_flags : FS_PINS_DENTRIES;
		root_mount.mnt_flags = sb->s_bdev ? MNT_RELATIME : 0;
		strcpy(root_devname, sb->s_bdev ? "/dev/root" : "rootfs");
		root_mount.mnt_devname = root_devname;
	}
	return &root_mount;
}

/* The mount whose root is d, or NULL if d is not the root of a mount. */
static struct mount *
find_mount(struct dentry *d)
{
	struct mount *mnt;

	lockdep_assert_held(&namespace_mutex);
	if (d == root_dentry)
		return get_root_mount();
	list_for_each_entry(mnt, &mount_list, mnt_list)
		if (mnt->mnt_root == d)
			return mnt;
	return NULL;
}

/* The dentry at the top of the stack of mounts on d. */
static struct dentry *
top_of_mounts(struct dentry *d)
{
	while (d->d_mounted)
		d = d->d_mounted;
	return d;
}

static struct mount *
alloc_mount(const char *devname)
{
	struct mount *mnt = kzalloc(sizeof(*mnt), GFP_KERNEL);

	if (!mnt)
		return NULL;
	mnt->mnt_devname = kmalloc(strlen(devname) + 1, GFP_KERNEL);
	if (!mnt->mnt_devname) {
		kfree(mnt);
		return NULL;
	}
	strcpy(mnt->mnt_devname, devname);
	INIT_LIST_HEAD(&mnt->mnt_list);
	return mnt;
}

static void
free_mount(struct mount *mnt)
{
	kfree(mnt->mnt_devname);
	kfree(mnt);
}

/* Links sb's root onto mountpoint and enters mnt (sb and type filled in)
 * in the table. */
static void
attach_mount(struct mount *mnt, struct dentry *mountpoint)
{
	mnt->mnt_root = mnt->mnt_sb->s_root;
	d_link_mount(mountpoint, mnt->mnt_root);
	list_add_tail(&mnt->mnt_list, &mount_list);
}

void
mount_at(struct dentry *mountpoint, struct super_block *sb)
{
	char bdev_name[DEV_NAME_MAX];
	struct file_system_type *type = get_fs_type(sb->s_type);
	struct mount *mnt;

	if (sb->s_bdev)
		snprintf(bdev_name, sizeof(bdev_name), "/dev/%s", sb->s_bdev->bd_name);
	mnt = alloc_mount(sb->s_bdev ? bdev_name : sb->s_type);
	if (!mnt)
		panic("mount_at: out of memory");
	mnt->mnt_sb = sb;
	mnt->mnt_fstype = sb->s_type;
	mnt->mnt_fs_flags = type ? type->fs_flags : 0;
	mnt->mnt_flags = MNT_RELATIME;
	attach_mount(mnt, mountpoint);
}

/* Frees an unmounted, idle file system: everything is written first
 * (inodes are freed on their last iput, with their page cache, so this
 * must come while the dentries still hold them), then its dentries and
 * inodes go (evicting an inode writes it into the file system's metadata
 * buffers, so sync_fs runs once more), then the file system's own state
 * (put_super). An inode still there after put_super would be a leak: the
 * super_block is then kept (and reported) rather than freed under it.
 * namespace_mutex held. */
static void
teardown_mount(struct mount *mnt)
{
	struct super_block *sb = mnt->mnt_sb;

	sync_filesystem(sb);
	d_free_tree(sb->s_root, mnt->mnt_fs_flags & FS_PINS_DENTRIES);
	if (sb->s_op && sb->s_op->sync_fs)
		sb->s_op->sync_fs(sb, true);
	if (sb->s_op && sb->s_op->put_super)
		sb->s_op->put_super(sb);
	if (!list_empty(&sb->s_inodes)) {
		printk(KERN_ERR "umount: %s on %s: inodes still in use after put_super\n",
		       mnt->mnt_fstype, mnt->mnt_devname);
	} else {
		free_anon_dev(sb->s_dev);
		destroy_super(sb);       /* off the list iterate_supers walks, then freed */
	}
	free_mount(mnt);
}

/* Tears down the lazily unmounted file systems nobody uses any more. */
static void
reap_detached_mounts(void)
{
	struct mount *mnt, *next;

	lockdep_assert_held(&namespace_mutex);
	list_for_each_entry_safe(mnt, next, &detached_mounts, mnt_list) {
		if (!d_tree_busy(mnt->mnt_root, mnt->mnt_fs_flags & FS_PINS_DENTRIES)) {
			list_del(&mnt->mnt_list);
			teardown_mount(mnt);
		}
	}
}

void
reap_detached_mounts_unlocked(void)
{
	mutex_lock(&namespace_mutex);
	reap_detached_mounts();
	mutex_unlock(&namespace_mutex);
}

/* ---- copying the arguments in ------------------------------------------ */

/* A string argument (NULL stays NULL) in a kmalloc'd buffer: EFAULT, or
 * EINVAL past PATH_MAX, as Linux's strndup_user. */
static char *
copy_mount_string(const char *ustr)
{
	char *s;
	long len;

	if (!ustr)
		return NULL;
	s = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(s, ustr, PATH_MAX);
	if (len < 0) {
		kfree(s);
		return ERR_PTR(len == -ENAMETOOLONG ? -EINVAL : len);
	}
	return s;
}

/* The option page: up to PAGE_SIZE bytes, as many as can be read (the
 * rest zero); EFAULT only if not even the first can. */
static char *
copy_mount_options(const void *udata)
{
	uintptr_t first = PAGE_SIZE - ((uintptr_t)udata & (PAGE_SIZE - 1));
	char *page;

	if (!udata)
		return NULL;
	page = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!page)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(page, udata, 1)) {
		kfree(page);
		return ERR_PTR(-EFAULT);
	}
	if (copy_from_user(page, udata, first) == 0 && first < PAGE_SIZE)
		(void)copy_from_user(page + first, (const char *)udata + first, PAGE_SIZE - first);
	page[PAGE_SIZE - 1] = '\0';
	return page;
}

static void
free_mount_arg(char *s)
{
	if (!IS_ERR_OR_NULL(s))
		kfree(s);
}

/* ---- mount(2) ----------------------------------------------------------- */

/* The per-mount flags mount(2)'s flags ask for: relatime unless noatime
 * or strictatime says otherwise, as Linux. */
static unsigned
mnt_flags_of(unsigned long flags)
{
	unsigned mnt_flags = (flags & MS_NOATIME) ? 0 : MNT_RELATIME;

	if (flags & MS_NOSUID)
		mnt_flags |= MNT_NOSUID;
	if (flags & MS_NODEV)
		mnt_flags |= MNT_NODEV;
	if (flags & MS_NOEXEC)
		mnt_flags |= MNT_NOEXEC;
	if (flags & MS_NOATIME)
		mnt_flags |= MNT_NOATIME;
	if (flags & MS_NODIRATIME)
		mnt_flags |= MNT_NODIRATIME;
	if (flags & MS_STRICTATIME)
		mnt_flags &= ~(MNT_RELATIME | MNT_NOATIME);
	if (flags & MS_NOSYMFOLLOW)
		mnt_flags |= MNT_NOSYMFOLLOW;
	return mnt_flags;
}

/*
 * The block device a FS_REQUIRES_DEV mount names by the path of its
 * special file: EINVAL without a source, the path's errors, ENOTBLK for
 * anything but a block special file, ENXIO if no driver has that number.
 */
static struct block_device *
lookup_bdev(const char *path)
{
	struct dentry *d;
	uint32_t mode, rdev;

	if (!path)
		return ERR_PTR(-EINVAL);
	d = kern_path(AT_FDCWD, path, LOOKUP_FOLLOW);
	if (IS_ERR(d))
		return (struct block_device *)d;
	mode = d->d_inode->i_mode;
	rdev = d->d_inode->i_rdev;
	dput(d);
	if (!S_ISBLK(mode))
		return ERR_PTR(-ENOTBLK);
	struct block_device *bdev = blkdev_get(rdev);

	return bdev ? bdev : ERR_PTR(-ENXIO);
}

static bool
bdev_mounted(struct block_device *bdev)
{
	struct mount *mnt;

	if (get_root_mount()->mnt_sb->s_bdev == bdev)
		return true;
	list_for_each_entry(mnt, &mount_list, mnt_list)
		if (mnt->mnt_sb->s_bdev == bdev)
			return true;
	list_for_each_entry(mnt, &detached_mounts, mnt_list)
		if (mnt->mnt_sb->s_bdev == bdev)
			return true;
	return false;
}

/* A new mount of type on the directory target (a reference, resolved). */
static int
do_new_mount(struct dentry *target, const char *fstype, const char *source,
	     unsigned long flags, const char *data)
{
	struct file_system_type *type;
	struct block_device *bdev = NULL;
	struct super_block *sb = NULL;
	struct dentry *mp;
	struct mount *mnt;
	unsigned sb_flags = flags & MS_SB_FLAGS;
	int err = 0;

	if (!fstype)
		return -EINVAL;
	type = get_fs_type(fstype);
	if (!type)
		return -ENODEV;
	if (type->fs_flags & FS_REQUIRES_DEV) {
		bdev = lookup_bdev(source);
		if (IS_ERR(bdev))
			return PTR_ERR(bdev);
		if (bdev->bd_read_only && !(sb_flags & SB_RDONLY))
			return -EACCES;
	}
	mnt = alloc_mount(source ? source : "none");
	if (!mnt)
		return -ENOMEM;
	mutex_lock(&namespace_mutex);
	reap_detached_mounts();
	mp = top_of_mounts(target);
	if (mp->d_flags & D_DELETED)
		err = -ENOENT;
	else if (!S_ISDIR(mp->d_inode->i_mode))
		err = -ENOTDIR;
	else if (bdev && (bdev_mounted(bdev) || swap_bdev_active(bdev)))
		err = -EBUSY;                 /* Linux claims both exclusively */
	if (!err) {
		sb = type->mount(type, sb_flags, bdev, data);
		if (IS_ERR(sb))
			err = PTR_ERR(sb);
		else if (!sb)
			err = -ENOMEM;
	}
	if (!err) {
		sb->s_flags |= sb_flags;
		mnt->mnt_sb = sb;
		mnt->mnt_fstype = type->name;
		mnt->mnt_fs_flags = type->fs_flags;
		mnt->mnt_flags = mnt_flags_of(flags);
		attach_mount(mnt, mp);
	}
	mutex_unlock(&namespace_mutex);
	if (err)
		free_mount(mnt);
	return err;
}

/*
 * mount -o remount: the super_block flags of MS_RMT_MASK become what
 * flags says (read-only or not: EBUSY going read-only while a file is open
 * for writing; everything is written first), the file system may refuse
 * (remount_fs); then the per-mount flags, keeping the atime ones unless
 * flags names one. EINVAL unless target is the root of a mount.
 * bind_only (MS_REMOUNT|MS_BIND): only the per-mount flags change.
 */
static int
do_remount(struct dentry *target, unsigned long flags, bool bind_only)
{
	unsigned mnt_flags = mnt_flags_of(flags);
	struct super_block *sb;
	struct mount *mnt;
	int err = 0;

	mutex_lock(&namespace_mutex);
	mnt = find_mount(top_of_mounts(target));
	if (!mnt) {
		mutex_unlock(&namespace_mutex);
		return -EINVAL;
	}
	sb = mnt->mnt_sb;
	if (!(flags & (MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME)))
		mnt_flags = (mnt_flags & ~MNT_ATIME_MASK) | (mnt->mnt_flags & MNT_ATIME_MASK);
	if (!bind_only) {
		unsigned new_flags = (sb->s_flags & ~MS_RMT_MASK) | (flags & MS_RMT_MASK);

		if ((new_flags & SB_RDONLY) && !sb_rdonly(sb)) {
			if (sb->s_writers > 0)
				err = -EBUSY;
			else
				sync_filesystem(sb);
		}
		if (!err && sb->s_op && sb->s_op->remount_fs)
			err = sb->s_op->remount_fs(sb, &new_flags);
		if (!err)
			sb->s_flags = new_flags;
	}
	if (!err)
		mnt->mnt_flags = mnt_flags;
	mutex_unlock(&namespace_mutex);
	return err;
}

/* MS_SHARED, MS_PRIVATE, MS_SLAVE, MS_UNBINDABLE: anvil has one namespace
 * and no propagation, so every mount is private already; the checks are
 * Linux's (the root of a mount, exactly one type). */
static int
do_change_type(struct dentry *target, unsigned long flags)
{
	unsigned long type = flags & MS_PROPAGATION;
	bool is_mount;

	if (type & (type - 1))
		return -EINVAL;
	if (flags & ~(MS_PROPAGATION | MS_REC | MS_SILENT))
		return -EINVAL;
	mutex_lock(&namespace_mutex);
	is_mount = find_mount(top_of_mounts(target)) != NULL;
	mutex_unlock(&namespace_mutex);
	return is_mount ? 0 : -EINVAL;
}

/*
 * mount(2) on kernel strings, checked in Linux's order after the copies:
 * the target is resolved (ENOENT, ENOTDIR...), MS_NOUSER is EINVAL, then
 * the kind of mount the flags ask for. Unknown flag bits are ignored, as
 * on Linux. MS_BIND and MS_MOVE are not supported: EINVAL.
 */
int
do_mount(const char *source, const char *target_path, const char *type,
	 unsigned long flags, const char *data)
{
	struct dentry *target = kern_path(AT_FDCWD, target_path, LOOKUP_FOLLOW);
	int err;

	if (IS_ERR(target))
		return PTR_ERR(target);
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if (flags & MS_NOUSER)
		err = -EINVAL;
	else if ((flags & (MS_REMOUNT | MS_BIND)) == (MS_REMOUNT | MS_BIND))
		err = do_remount(target, flags, true);
	else if (flags & MS_REMOUNT)
		err = do_remount(target, flags, false);
	else if (flags & (MS_BIND | MS_MOVE))
		err = -EINVAL;
	else if (flags & MS_PROPAGATION)
		err = do_change_type(target, flags);
	else
		err = do_new_mount(target, type, source, flags, data);
	dput(target);
	return err;
}

/* mount(2): the strings and the option page are copied in first (EFAULT),
 * type, then source, then data, then the target path, as Linux does. */
static long
sys_mount(const char *usource, const char *utarget, const char *utype,
	  unsigned long flags, const void *udata)
{
	char *type = copy_mount_string(utype), *source = NULL, *data = NULL, *target = NULL;
	long err;

	if (IS_ERR(type))
		return PTR_ERR(type);
	source = copy_mount_string(usource);
	err = IS_ERR(source) ? PTR_ERR(source) : 0;
	if (!err) {
		data = copy_mount_options(udata);
		err = IS_ERR(data) ? PTR_ERR(data) : 0;
	}
	if (!err) {
		target = getname(utarget);
		err = IS_ERR(target) ? PTR_ERR(target) : 0;
	}
	if (!err)
		err = do_mount(source, target, type, flags, data);
	free_mount_arg(target);
	free_mount_arg(data);
	free_mount_arg(source);
	free_mount_arg(type);
	return err;
}
SYSCALL_DEFINE(mount, sys_mount);

/* ---- umount2(2) ---------------------------------------------------------- */

/*
 * Unmounts the mount whose root target is (after following mounts on it):
 * EINVAL if it is none; the process's root is remounted read-only instead
 * (Linux's "umount /"); EBUSY while anything uses it, unless MNT_DETACH,
 * which unhooks it now and frees it when the last user goes. MNT_FORCE
 * has nothing to abort here (no network file systems): it is a plain
 * umount. MNT_EXPIRE marks an idle mount (EAGAIN) and unmounts it on the
 * second call. Consumes the reference on target (the caller's path would
 * otherwise count as a user).
 */
static int
do_umount(struct dentry *target, unsigned flags)
{
	struct mount *mnt;
	bool pinned;
	int err = 0;

	mutex_lock(&namespace_mutex);
	reap_detached_mounts();
	mnt = find_mount(top_of_mounts(target));
	dput(target);                    /* the mount keeps its root */
	if (!mnt) {
		mutex_unlock(&namespace_mutex);
		return -EINVAL;
	}
	pinned = mnt->mnt_fs_flags & FS_PINS_DENTRIES;
	if (mnt == &root_mount || (current->fs && mnt->mnt_root == current->fs->root)) {
		struct dentry *root = dget(mnt->mnt_root);

		mutex_unlock(&namespace_mutex);
		err = (flags & (MNT_DETACH | MNT_EXPIRE)) ? -EINVAL : do_remount(root, MS_RDONLY, false);
		dput(root);
		return err;
	}
	if (flags & MNT_EXPIRE) {
		if (flags & (MNT_FORCE | MNT_DETACH))
			err = -EINVAL;
		else if (d_tree_busy(mnt->mnt_root, pinned))
			err = -EBUSY;
		else if (!mnt->mnt_expiry_mark) {
			mnt->mnt_expiry_mark = true;     /* only an idle mount is marked */
			err = -EAGAIN;
		}
	}
	if (!err && !(flags & MNT_DETACH) && d_tree_busy(mnt->mnt_root, pinned))
		err = -EBUSY;
	if (!err) {
		list_del(&mnt->mnt_list);
		d_unlink_mount(mnt->mnt_root);
		if (d_tree_busy(mnt->mnt_root, pinned))
			list_add_tail(&mnt->mnt_list, &detached_mounts);
		else
			teardown_mount(mnt);
	}
	mutex_unlock(&namespace_mutex);
	return err;
}

int
do_umount2(const char *target_path, int flags)
{
	struct dentry *target;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	target = kern_path(AT_FDCWD, target_path, (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW);
	if (IS_ERR(target))
		return PTR_ERR(target);
	return do_umount(target, (unsigned)flags);
}

/* umount2(2): the flags are checked before the path is even copied. */
static long
sys_umount2(const char *utarget, int flags)
{
	char *target;
	long err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	target = getname(utarget);
	if (IS_ERR(target))
		return PTR_ERR(target);
	err = do_umount2(target, flags);
	kfree(target);
	return err;
}
static long sys_umount(const char *utarget) { return sys_umount2(utarget, 0); }
SYSCALL_DEFINE(umount2, sys_umount2);
SYSCALL_DEFINE(umount, sys_umount);

/* ---- sync of every mounted file system ------------------------------------ */

void
sync_all_filesystems(void)
{
	struct mount *mnt;

	mutex_lock(&namespace_mutex);
	reap_detached_mounts();
	sync_filesystem(get_root_mount()->mnt_sb);
	list_for_each_entry(mnt, &mount_list, mnt_list)
		sync_filesystem(mnt->mnt_sb);
	list_for_each_entry(mnt, &detached_mounts, mnt_list)
		sync_filesystem(mnt->mnt_sb);
	mutex_unlock(&namespace_mutex);
}

/* ---- what statfs needs of a mount ----------------------------------------- */

/* The ST_* flags of the mount whose super_block is sb (statfs's f_flags
 * beyond the super_block's own): 0 if it is not mounted. */
unsigned
mount_statfs_flags(struct super_block *sb)
{
	static const struct { unsigned mnt, st; } map[] = {
		{ MNT_NOSUID, ST_NOSUID }, { MNT_NODEV, ST_NODEV }, { MNT_NOEXEC, ST_NOEXEC },
		{ MNT_NOATIME, ST_NOATIME }, { MNT_NODIRATIME, ST_NODIRATIME },
		{ MNT_RELATIME, ST_RELATIME }, { MNT_NOSYMFOLLOW, ST_NOSYMFOLLOW },
	};
	struct mount *mnt = NULL, *m;
	unsigned st = 0;

	mutex_lock(&namespace_mutex);
	if (get_root_mount()->mnt_sb == sb)
		mnt = &root_mount;
	list_for_each_entry(m, &mount_list, mnt_list)
		if (m->mnt_sb == sb)
			mnt = m;
	for (unsigned i = 0; mnt && i < sizeof(map) / sizeof(map[0]); i++)
		if (mnt->mnt_flags & map[i].mnt)
			st |= map[i].st;
	mutex_unlock(&namespace_mutex);
	return st;
}

/* ---- /proc/mounts -------------------------------------------------------- */

/* Writes s with space, tab, newline and backslash as octal escapes, as
 * Linux's mangle() does, so each line splits on spaces. */
static void
pb_mangled(struct proc_buf *pb, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			pb_printf(pb, "\\%03o", (unsigned char)*s);
		else
			pb_write(pb, s, 1);
	}
}

/* One line: "source mountpoint type options 0 0", options as Linux's
 * show_vfsmnt: rw or ro, the super_block's, then the mount's. */
static void
show_mount(struct proc_buf *pb, struct mount *mnt, struct dentry *root, char *path)
{
	static const struct { unsigned flag; const char *name; } sb_opts[] = {
		{ SB_SYNCHRONOUS, ",sync" }, { SB_DIRSYNC, ",dirsync" },
		{ SB_MANDLOCK, ",mand" }, { SB_LAZYTIME, ",lazytime" },
	}, mnt_opts[] = {
		{ MNT_NOSUID, ",nosuid" }, { MNT_NODEV, ",nodev" }, { MNT_NOEXEC, ",noexec" },
		{ MNT_NOATIME, ",noatime" }, { MNT_NODIRATIME, ",nodiratime" },
		{ MNT_RELATIME, ",relatime" }, { MNT_NOSYMFOLLOW, ",nosymfollow" },
	};
	struct super_block *sb = mnt->mnt_sb;

	if (__d_path(mnt->mnt_root, root, path, PATH_MAX) < 0)
		return;                       /* out of the reader's sight */
	pb_mangled(pb, mnt->mnt_devname);
	pb_write(pb, " ", 1);
	pb_mangled(pb, path);
	pb_printf(pb, " %s %s", mnt->mnt_fstype, sb_rdonly(sb) ? "ro" : "rw");
	for (unsigned i = 0; i < sizeof(sb_opts) / sizeof(sb_opts[0]); i++)
		if (sb->s_flags & sb_opts[i].flag)
			pb_printf(pb, "%s", sb_opts[i].name);
	for (unsigned i = 0; i < sizeof(mnt_opts) / sizeof(mnt_opts[0]); i++)
		if (mnt->mnt_flags & mnt_opts[i].flag)
			pb_printf(pb, "%s", mnt_opts[i].name);
	pb_printf(pb, " 0 0\n");
}

/* /proc/mounts, /proc/PID/mounts: the table, root first, paths as the
 * reader sees them from its root. */
int
proc_show_mounts(struct proc_buf *pb, int pid)
{
	char *path = kmalloc(PATH_MAX, GFP_KERNEL);
	struct dentry *root;
	struct mount *mnt;

	if (!path)
		return -ENOMEM;
	mutex_lock(&namespace_mutex);
	root = current->fs ? current->fs->root : root_dentry;
	show_mount(pb, get_root_mount(), root, path);
	list_for_each_entry(mnt, &mount_list, mnt_list)
		show_mount(pb, mnt, root, path);
	mutex_unlock(&namespace_mutex);
	kfree(path);
	return 0;
}

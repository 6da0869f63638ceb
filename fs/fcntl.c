/*
 * fs/fcntl.c — duplicating descriptors and their flags: dup, dup2, dup3,
 * fcntl; and ioctl, which handles the descriptor-level requests itself
 * and passes the rest to the driver (ENOTTY if it has none).
 */
#include <fs/file.h>
#include <kernel/errno.h>
#include <kernel/syscall.h>
#include <kernel/uaccess.h>

#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define F_GETLK         5
#define F_SETLK         6
#define F_SETLKW        7
#define F_GETLK64       12
#define F_SETLK64       13
#define F_SETLKW64      14
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC      1
#define F_UNLCK         2

#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)

static long
sys_dup(int fd)
{
	struct file *f = fget(fd);

	return f ? fd_install_new(f, 0, false) : -EBADF;
}
SYSCALL_DEFINE(dup, sys_dup);

static long
sys_dup3(int oldfd, int newfd, int flags)
{
	struct file *f;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	f = fget(oldfd);
	if (!f)
		return -EBADF;
	return fd_replace(newfd, f, flags & O_CLOEXEC);
}
SYSCALL_DEFINE(dup3, sys_dup3);

static long
sys_dup2(int oldfd, int newfd)
{
	struct file *f;

	if (oldfd == newfd) {
		f = fget(oldfd);
		if (!f)
			return -EBADF;
		fput(f);
		return newfd;
	}
	return sys_dup3(oldfd, newfd, 0);
}
SYSCALL_DEFINE(dup2, sys_dup2);

/* F_GETLK: anvil keeps no record locks, so every region is unlocked. */
static long
report_unlocked(void *uflock)
{
	int16_t type = F_UNLCK;

	return copy_to_user(uflock, &type, sizeof(type)) ? -EFAULT : 0;
}

static long
sys_fcntl64(int fd, int cmd, unsigned long arg)
{
	struct file *f = fget(fd);
	long ret = 0;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= NR_OPEN_MAX) {
			ret = -EINVAL;
			break;
		}
		fput(f);
		return fd_install_new(get_file(f), (int)arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		ret = get_close_on_exec(fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		set_close_on_exec(fd, arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		ret = f->f_flags;
		break;
	case F_SETFL:
		f->f_flags = (f->f_flags & ~SETFL_MASK) | (arg & SETFL_MASK);
		break;
	case F_GETLK:
	case F_GETLK64:
		ret = report_unlocked((void *)arg);
		break;
	case F_SETLK:
	case F_SETLKW:
	case F_SETLK64:
	case F_SETLKW64:
		break;                           /* one user, advisory locks: granted */
	default:
		ret = -EINVAL;
	}
	fput(f);
	return ret;
}
SYSCALL_DEFINE(fcntl64, sys_fcntl64);
SYSCALL_DEFINE(fcntl, sys_fcntl64);

#define FIONCLEX 0x5450
#define FIOCLEX  0x5451
#define FIONBIO  0x5421
#define FIOASYNC 0x5452

static long
sys_ioctl(int fd, unsigned cmd, unsigned long arg)
{
	struct file *f = fget(fd);
	uint32_t on;
	long ret;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		set_close_on_exec(fd, cmd == FIOCLEX);
		ret = 0;
		break;
	case FIONBIO:
	case FIOASYNC:
		ret = get_user_u32(&on, (void *)arg);
		if (!ret) {
			unsigned bit = cmd == FIONBIO ? O_NONBLOCK : O_ASYNC;

			f->f_flags = on ? f->f_flags | bit : f->f_flags & ~bit;
		}
		break;
	default:
		ret = f->f_op && f->f_op->ioctl ? f->f_op->ioctl(f, cmd, arg) : -ENOTTY;
	}
	fput(f);
	return ret;
}
SYSCALL_DEFINE(ioctl, sys_ioctl);

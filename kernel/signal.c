/*
 * kernel/signal.c — sending, blocking and delivering signals (see signal.h).
 *
 * Standard signals do not queue: a second SIGUSR1 sent while one is
 * pending is merged into it. A pending signal is delivered only when not
 * blocked; SIGKILL and SIGSTOP can be neither blocked, caught nor ignored.
 *
 * Locks: signal state changes with interrupts off (a sender may be an
 * interrupt handler or another process); delivery runs in the receiving
 * process on its way back to user mode.
 */
#include <kernel/signal.h>
#include <kernel/proc.h>
#include <kernel/exit.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/uaccess.h>
#include <kernel/printk.h>
#include <mm/slab.h>
#include <arch/x86/irqflags.h>
#include <libk/string.h>

#define SIGSET_SIZE 8                 /* what rt_sig* syscalls must be given */

/* Signals whose default action is to do nothing. */
static const sigset_t default_ignored = sigmask(SIGCHLD) | sigmask(SIGCONT) | sigmask(SIGURG) |
					sigmask(SIGWINCH) | sigmask(SIGSTOP) | sigmask(SIGTSTP) |
					sigmask(SIGTTIN) | sigmask(SIGTTOU);

static bool
valid_signal(int sig)
{
	return sig >= 1 && sig <= NSIG;
}

struct signal_state *
signal_state_alloc(void)
{
	return kzalloc(sizeof(struct signal_state), GFP_KERNEL);
}

struct signal_state *
signal_state_dup(const struct signal_state *parent)
{
	struct signal_state *s = signal_state_alloc();

	if (s) {
		memcpy(s->action, parent->action, sizeof(s->action));
		s->blocked = parent->blocked;
	}
	return s;
}

void
signal_state_free(struct signal_state *s)
{
	kfree(s);
}

void
signal_reset_for_exec(struct signal_state *s)
{
	for (int i = 0; i < NSIG; i++) {
		if (s->action[i].handler != SIG_IGN)
			memset(&s->action[i], 0, sizeof(s->action[i]));
	}
}

bool
signal_pending(struct task *t)
{
	return t->signal && (t->signal->pending & ~(t->signal->blocked & ~UNBLOCKABLE));
}

/* A synchronous fault signal raised by the kernel (SIGSEGV and friends). */
static bool
signal_is_fault(const struct ksiginfo *info)
{
	return info->code > 0 && info->code < SI_KERNEL && info->signo != SIGCHLD &&
	       (info->signo == SIGSEGV || info->signo == SIGBUS || info->signo == SIGILL ||
		info->signo == SIGFPE || info->signo == SIGTRAP);
}

int
send_signal_info(struct task *t, const struct ksiginfo *info)
{
	struct signal_state *s = t->signal;
	int sig = info->signo;
	uint32_t flags;

	if (!valid_signal(sig))
		return -EINVAL;
	if (!s || t->zombie)
		return 0;                     /* nothing to deliver to */
	flags = local_irq_save();
	if (s->action[sig - 1].handler == SIG_IGN && !(UNBLOCKABLE & sigmask(sig))) {
		local_irq_restore(flags);
		return 0;                     /* discarded at generation, as on Linux */
	}
	if (t->pid == INIT_PID && s->action[sig - 1].handler == SIG_DFL && !signal_is_fault(info)) {
		local_irq_restore(flags);
		return 0;                     /* init gets only the signals it handles */
	}
	if (!(s->pending & sigmask(sig))) {
		s->pending |= sigmask(sig);
		s->info[sig - 1] = *info;
	}
	local_irq_restore(flags);
	if (signal_pending(t) && t->state == TASK_INTERRUPTIBLE)
		wake_up_process(t);
	return 0;
}

int
send_signal(struct task *t, int sig)
{
	struct ksiginfo info = { .signo = sig, .code = SI_USER, .pid = current->pid };

	return send_signal_info(t, &info);
}

void
force_signal_fault(int sig, int code, uint32_t addr)
{
	struct signal_state *s = current->signal;
	struct ksiginfo info = { .signo = sig, .code = code, .addr = addr };

	/* A fault cannot be ignored or blocked away: that would loop forever. */
	if ((s->blocked & sigmask(sig)) || s->action[sig - 1].handler == SIG_IGN) {
		s->blocked &= ~sigmask(sig);
		s->action[sig - 1].handler = SIG_DFL;
	}
	send_signal_info(current, &info);
}

/* The lowest-numbered deliverable signal, taken off the pending set, or 0. */
static int
dequeue_signal(struct signal_state *s, struct ksiginfo *info)
{
	uint32_t flags = local_irq_save();
	sigset_t ready = s->pending & ~(s->blocked & ~UNBLOCKABLE);
	int sig = 0;

	if (ready) {
		sig = __builtin_ctzll(ready) + 1;
		s->pending &= ~sigmask(sig);
		*info = s->info[sig - 1];
	}
	local_irq_restore(flags);
	return sig;
}

/* The mask a handler frame must restore: sigsuspend's caller's, if any. */
static sigset_t
mask_to_restore(struct signal_state *s)
{
	return s->restore_saved ? s->saved_blocked : s->blocked;
}

void
do_signal(struct trapframe *tf)
{
	struct signal_state *s = current->signal;
	struct ksiginfo info;
	int sig;

	while ((sig = dequeue_signal(s, &info)) != 0) {
		struct k_sigaction *ka = &s->action[sig - 1];
		sigset_t old_blocked = mask_to_restore(s);

		if (sig == SIGKILL || (ka->handler == SIG_DFL && !(default_ignored & sigmask(sig))))
			do_exit(SIGNAL_STATUS(sig));
		if (ka->handler == SIG_DFL || ka->handler == SIG_IGN)
			continue;
		if (!arch_setup_signal_frame(tf, sig, ka, &info, old_blocked))
			do_exit(SIGNAL_STATUS(SIGSEGV));   /* no room for the frame */
		s->blocked = old_blocked | (ka->mask & ~UNBLOCKABLE);
		if (!(ka->flags & SA_NODEFER))
			s->blocked |= sigmask(sig);
		if (ka->flags & SA_RESETHAND)
			ka->handler = SIG_DFL;
		s->restore_saved = false;
		return;                       /* one handler per return to user mode */
	}
	if (s->restore_saved) {
		s->blocked = s->saved_blocked;
		s->restore_saved = false;
	}
}

/* ---- system calls ---- */

static long
sys_rt_sigaction(int sig, const struct k_sigaction *uact, struct k_sigaction *uold, size_t size)
{
	struct signal_state *s = current->signal;
	struct k_sigaction act;

	if (size != SIGSET_SIZE || !valid_signal(sig))
		return -EINVAL;
	if (uact && (sigmask(sig) & UNBLOCKABLE))
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	if (uold && copy_to_user(uold, &s->action[sig - 1], sizeof(*uold)))
		return -EFAULT;
	if (uact) {
		act.mask &= ~UNBLOCKABLE;
		s->action[sig - 1] = act;
		if (act.handler == SIG_IGN || (act.handler == SIG_DFL && (default_ignored & sigmask(sig))))
			s->pending &= ~sigmask(sig);   /* POSIX: discard it now */
	}
	return 0;
}
SYSCALL_DEFINE(rt_sigaction, sys_rt_sigaction);

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

static long
sys_rt_sigprocmask(int how, const sigset_t *uset, sigset_t *uold, size_t size)
{
	struct signal_state *s = current->signal;
	sigset_t set, old = s->blocked;

	if (size != SIGSET_SIZE)
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		set &= ~UNBLOCKABLE;
		switch (how) {
		case SIG_BLOCK:   s->blocked |= set; break;
		case SIG_UNBLOCK: s->blocked &= ~set; break;
		case SIG_SETMASK: s->blocked = set; break;
		default:          return -EINVAL;
		}
	}
	if (uold && copy_to_user(uold, &old, sizeof(old))) {
		s->blocked = old;
		return -EFAULT;
	}
	return 0;
}
SYSCALL_DEFINE(rt_sigprocmask, sys_rt_sigprocmask);

static long
sys_rt_sigpending(sigset_t *uset, size_t size)
{
	sigset_t p = current->signal->pending & current->signal->blocked;

	if (size != SIGSET_SIZE)
		return -EINVAL;
	return copy_to_user(uset, &p, sizeof(p));
}
SYSCALL_DEFINE(rt_sigpending, sys_rt_sigpending);

/* Waits with the given mask until a signal is delivered; always -EINTR. */
static long
sys_rt_sigsuspend(const sigset_t *umask, size_t size)
{
	struct signal_state *s = current->signal;
	sigset_t mask;

	if (size != SIGSET_SIZE)
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	/* the handler's frame restores the caller's mask, not this one */
	s->saved_blocked = s->blocked;
	s->restore_saved = true;
	s->blocked = mask & ~UNBLOCKABLE;
	while (!signal_pending(current)) {
		current->state = TASK_INTERRUPTIBLE;
		if (!signal_pending(current))
			schedule();
		current->state = TASK_RUNNING;
	}
	return -EINTR;
}
SYSCALL_DEFINE(rt_sigsuspend, sys_rt_sigsuspend);

static long
sys_pause(void)
{
	while (!signal_pending(current)) {
		current->state = TASK_INTERRUPTIBLE;
		if (!signal_pending(current))
			schedule();
		current->state = TASK_RUNNING;
	}
	return -ERESTARTSYS;
}
SYSCALL_DEFINE(pause, sys_pause);

static long
sys_rt_sigreturn(void)
{
	struct trapframe *tf = current->user_regs;
	sigset_t blocked;

	/* the handler's ret popped pretcode: the frame starts 4 bytes below */
	if (!arch_restore_signal_frame(tf, tf->user_esp - 4, &blocked))
		do_exit(SIGNAL_STATUS(SIGSEGV));
	current->signal->blocked = blocked & ~UNBLOCKABLE;
	return tf->eax;                   /* keep the restored EAX */
}
SYSCALL_DEFINE(rt_sigreturn, sys_rt_sigreturn);

static long
sys_sigreturn(void)
{
	struct trapframe *tf = current->user_regs;
	sigset_t blocked;

	/* musl's __restore also popped one word before int 0x80 */
	if (!arch_restore_signal_frame(tf, tf->user_esp - 8, &blocked))
		do_exit(SIGNAL_STATUS(SIGSEGV));
	current->signal->blocked = blocked & ~UNBLOCKABLE;
	return tf->eax;
}
SYSCALL_DEFINE(sigreturn, sys_sigreturn);

static long
sys_sigaltstack(const void *uss, void *uoss)
{
	return -ENOSYS;                   /* alternate signal stacks: not yet */
}
SYSCALL_DEFINE(sigaltstack, sys_sigaltstack);

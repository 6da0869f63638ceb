/*
 * kernel/signal.c — sending, blocking and delivering signals (see signal.h).
 *
 * Standard signals do not queue: a second SIGUSR1 sent while one is
 * pending is merged into it. A pending signal is delivered only when not
 * blocked; SIGKILL and SIGSTOP can be neither blocked, caught nor ignored.
 *
 * The alternate signal stack is the process's own business: only the
 * process itself reads or changes it (sigaltstack, delivery, sigreturn),
 * exactly as Linux does it (do_sigaltstack, get_sigframe): a change is
 * refused while running on the stack (EPERM); SS_AUTODISARM disarms it for
 * as long as a handler runs, and rt_sigreturn re-installs what the frame's
 * uc_stack says.
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

/* Whether handler, as sig's disposition, throws sig away: SIG_IGN, or
 * SIG_DFL for a signal whose default action is to do nothing (Linux's
 * sig_handler_ignored). */
static bool
handler_ignores(uint32_t handler, int sig)
{
	return handler == SIG_IGN || (handler == SIG_DFL && (default_ignored & sigmask(sig)));
}

static bool
valid_signal(int sig)
{
	return sig >= 1 && sig <= NSIG;
}

/* ---- the alternate signal stack ---- */

/* No alternate stack, as after execve (Linux's sas_ss_reset). */
static void
altstack_reset(struct sigaltstack *ss)
{
	*ss = (struct sigaltstack){ .ss_sp = 0, .ss_flags = SS_DISABLE, .ss_size = 0 };
}

bool
sigaltstack_contains(const struct sigaltstack *ss, uint32_t sp)
{
	return sp > ss->ss_sp && sp - ss->ss_sp <= ss->ss_size;
}

/* True if the user stack pointer sp runs on s's alternate stack. An
 * SS_AUTODISARM stack never counts: it is disarmed whenever a handler could
 * be running on it. */
static bool
on_altstack(const struct signal_state *s, uint32_t sp)
{
	if (s->altstack.ss_flags & SS_AUTODISARM)
		return false;
	return sigaltstack_contains(&s->altstack, sp);
}

/* The mode sigaltstack reports at sp: SS_DISABLE, SS_ONSTACK, or 0 (set up
 * and not in use). */
static uint32_t
altstack_mode(const struct signal_state *s, uint32_t sp)
{
	if (!s->altstack.ss_size)
		return SS_DISABLE;
	return on_altstack(s, sp) ? SS_ONSTACK : 0;
}

/* The check step of a change: 0, -EPERM (sp runs on the current stack),
 * -EINVAL (not one of the modes) or -ENOMEM (an enabled stack smaller than
 * MINSIGSTKSZ). In Linux's order. */
static int
altstack_check_change(const struct signal_state *s, const struct sigaltstack *new, uint32_t sp)
{
	uint32_t mode = new->ss_flags & ~SS_FLAG_BITS;

	if (on_altstack(s, sp))
		return -EPERM;
	if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
		return -EINVAL;
	if (mode != SS_DISABLE && new->ss_size < MINSIGSTKSZ)
		return -ENOMEM;
	return 0;
}

/*
 * do_sigaltstack - sigaltstack's work, for the process whose user stack
 * pointer is sp: reports the settings into *old (if old) with the mode as
 * seen from sp, then installs *new (if new). Returns 0, or the error of
 * altstack_check_change with nothing changed. A disabled stack keeps only
 * its flags (SS_DISABLE and maybe SS_AUTODISARM), as on Linux.
 */
static int
do_sigaltstack(struct signal_state *s, const struct sigaltstack *new, struct sigaltstack *old,
	       uint32_t sp)
{
	int err;

	if (old) {
		*old = s->altstack;
		old->ss_flags = altstack_mode(s, sp) | (s->altstack.ss_flags & SS_FLAG_BITS);
	}
	if (!new)
		return 0;
	err = altstack_check_change(s, new, sp);
	if (err)
		return err;
	s->altstack = *new;
	if ((new->ss_flags & ~SS_FLAG_BITS) == SS_DISABLE)
		s->altstack.ss_sp = s->altstack.ss_size = 0;
	return 0;
}

/*
 * choose_signal_stack - where the handler of ka runs when the interrupted
 * code's stack pointer is sp (Linux's get_sigframe): at the top of the
 * alternate stack if ka asks for it (SA_ONSTACK), one is set up and sp is
 * not on it yet; otherwise just below sp, which keeps a nested handler on
 * the alternate stack whatever its flags.
 */
static void
choose_signal_stack(const struct signal_state *s, const struct k_sigaction *ka, uint32_t sp,
		    struct signal_stack *out)
{
	out->saved = s->altstack;
	out->top = sp;
	out->altstack = on_altstack(s, sp);
	if ((ka->flags & SA_ONSTACK) && altstack_mode(s, sp) == 0) {
		out->top = s->altstack.ss_sp + s->altstack.ss_size;
		out->altstack = true;
	}
}

/* ---- per-process signal state ---- */

struct signal_state *
signal_state_alloc(void)
{
	struct signal_state *s = kzalloc(sizeof(struct signal_state), GFP_KERNEL);

	if (s)
		altstack_reset(&s->altstack);
	return s;
}

struct signal_state *
signal_state_dup(const struct signal_state *parent)
{
	struct signal_state *s = signal_state_alloc();

	if (s) {
		memcpy(s->action, parent->action, sizeof(s->action));
		s->blocked = parent->blocked;
		s->altstack = parent->altstack;
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
	altstack_reset(&s->altstack);
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

/*
 * signal_ignored - whether sig, sent now, would only be thrown away (Linux's
 * sig_ignored()): it is not blocked (a blocked signal stays pending, as its
 * handler may change before it is unblocked) and its disposition is SIG_IGN,
 * or SIG_DFL with nothing to do (default_ignored: SIGCHLD, SIGCONT, SIGURG,
 * SIGWINCH, and the stop signals, which anvil does not implement). Such a
 * signal is discarded when sent: it must not wake a sleeper, whose system
 * call would then fail with EINTR. Interrupts off.
 */
static bool
signal_ignored(const struct signal_state *s, int sig)
{
	BUG_ON(!irqs_disabled());
	return !(s->blocked & sigmask(sig)) && handler_ignores(s->action[sig - 1].handler, sig);
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
	if (signal_ignored(s, sig)) {
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
	struct signal_stack stack;
	struct ksiginfo info;
	int sig;

	while ((sig = dequeue_signal(s, &info)) != 0) {
		struct k_sigaction *ka = &s->action[sig - 1];
		sigset_t old_blocked = mask_to_restore(s);

		if (handler_ignores(ka->handler, sig))
			continue;             /* it was blocked when sent; now thrown away */
		if (sig == SIGKILL || ka->handler == SIG_DFL)
			do_exit(SIGNAL_STATUS(sig));
		choose_signal_stack(s, ka, tf->user_esp, &stack);
		if (!arch_setup_signal_frame(tf, sig, ka, &info, old_blocked, &stack))
			do_exit(SIGNAL_STATUS(SIGSEGV));   /* no room for the frame */
		if (s->altstack.ss_flags & SS_AUTODISARM)
			altstack_reset(&s->altstack);  /* uc_stack keeps it for sigreturn */
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
		if (handler_ignores(act.handler, sig))
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

/* Returns from a SA_SIGINFO handler: registers, mask and, as on Linux, the
 * alternate stack from uc_stack (seen from the restored stack pointer; a
 * refused change, e.g. while still on the stack, is silently dropped). */
static long
sys_rt_sigreturn(void)
{
	struct trapframe *tf = current->user_regs;
	struct sigaltstack uc_stack;
	sigset_t blocked;

	/* the handler's ret popped pretcode: the frame starts 4 bytes below */
	if (!arch_restore_signal_frame(tf, tf->user_esp - 4, &blocked, &uc_stack))
		do_exit(SIGNAL_STATUS(SIGSEGV));
	current->signal->blocked = blocked & ~UNBLOCKABLE;
	(void)do_sigaltstack(current->signal, &uc_stack, NULL, tf->user_esp);
	return tf->eax;                   /* keep the restored EAX */
}
SYSCALL_DEFINE(rt_sigreturn, sys_rt_sigreturn);

/* Returns from a handler without SA_SIGINFO. Linux gives such a handler the
 * old i386 frame, which has no uc_stack, so the alternate stack is left as
 * it is (an SS_AUTODISARM stack stays disarmed); anvil's frame is the same
 * for both kinds and its uc_stack is ignored here. */
static long
sys_sigreturn(void)
{
	struct trapframe *tf = current->user_regs;
	struct sigaltstack ignored;
	sigset_t blocked;

	/* musl's __restore also popped one word before int 0x80 */
	if (!arch_restore_signal_frame(tf, tf->user_esp - 8, &blocked, &ignored))
		do_exit(SIGNAL_STATUS(SIGSEGV));
	current->signal->blocked = blocked & ~UNBLOCKABLE;
	return tf->eax;
}
SYSCALL_DEFINE(sigreturn, sys_sigreturn);

/* sigaltstack(uss, uoss): EFAULT if uss cannot be read (nothing changes),
 * the error of do_sigaltstack, or EFAULT if uoss cannot be written (the new
 * stack is installed all the same, as on Linux). */
static long
sys_sigaltstack(const struct sigaltstack *uss, struct sigaltstack *uoss)
{
	struct sigaltstack new, old;
	int err;

	if (uss && copy_from_user(&new, uss, sizeof(new)))
		return -EFAULT;
	err = do_sigaltstack(current->signal, uss ? &new : NULL, uoss ? &old : NULL,
			     current->user_regs->user_esp);
	if (!err && uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return err;
}
SYSCALL_DEFINE(sigaltstack, sys_sigaltstack);

/*
 * kernel/signal.h — POSIX signals with Linux's numbers, structures and
 * default actions.
 *
 * A signal sent to a process is recorded in its pending set (with a
 * siginfo for the synchronous ones: SIGSEGV, SIGBUS, SIGFPE, SIGILL, and
 * for SIGCHLD). It is acted on when the process next returns to user mode
 * (do_signal): ignored, run the default action (terminate), or build a
 * signal frame on the user stack so the handler runs and returns through
 * sa_restorer into rt_sigreturn.
 *
 * A signal whose disposition is to ignore it (SIG_IGN, or SIG_DFL for
 * SIGCHLD, SIGCONT, SIGURG, SIGWINCH and the stop signals anvil does not
 * implement) is discarded when it is sent, unless it is blocked: it wakes
 * no one and interrupts no system call, as on Linux.
 *
 * The alternate signal stack (sigaltstack) is a user memory area a handler
 * installed with SA_ONSTACK runs on, so that a handler can run after the
 * ordinary stack overflowed. A frame goes at its top when the interrupted
 * code is not on it yet, and below the interrupted stack pointer when it
 * is (nested signals stay on it). fork copies the setting, execve clears it.
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include <kernel/task.h>
#include <stdint.h>
#include <stdbool.h>

#define NSIG 64
#define SIGHUP   1
#define SIGINT   2
#define SIGQUIT  3
#define SIGILL   4
#define SIGTRAP  5
#define SIGABRT  6
#define SIGBUS   7
#define SIGFPE   8
#define SIGKILL  9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG  23
#define SIGWINCH 28
#define SIGSYS  31

#define SIG_DFL 0u
#define SIG_IGN 1u

#define SA_NOCLDSTOP 0x00000001u
#define SA_NOCLDWAIT 0x00000002u
#define SA_SIGINFO   0x00000004u
#define SA_RESTORER  0x04000000u
#define SA_ONSTACK   0x08000000u
#define SA_RESTART   0x10000000u
#define SA_NODEFER   0x40000000u
#define SA_RESETHAND 0x80000000u

/* sigaltstack's ss_flags: a mode (0, SS_ONSTACK or SS_DISABLE) | SS_FLAG_BITS */
#define SS_ONSTACK    1u          /* reported: running on it now; accepted as "enable" */
#define SS_DISABLE    2u          /* no alternate stack */
#define SS_AUTODISARM (1u << 31)  /* disarmed while a handler runs; sigreturn re-arms it */
#define SS_FLAG_BITS  SS_AUTODISARM
#define MINSIGSTKSZ   2048u       /* i386: the smallest alternate stack accepted */

/* si_code values */
#define SI_USER      0
#define SI_KERNEL    0x80
#define SI_TKILL     (-6)     /* sent by tkill/tgkill (raise) */
#define SEGV_MAPERR  1
#define SEGV_ACCERR  2
#define BUS_ADRERR   2
#define ILL_ILLOPN   2
#define FPE_INTDIV   1
#define CLD_EXITED   1
#define CLD_KILLED   2

typedef uint64_t sigset_t;
#define sigmask(sig) (1ull << ((sig) - 1))
#define UNBLOCKABLE (sigmask(SIGKILL) | sigmask(SIGSTOP))

/* The i386 kernel's struct sigaction (what rt_sigaction copies). */
struct k_sigaction {
	uint32_t handler;            /* SIG_DFL, SIG_IGN or a function */
	uint32_t flags;              /* SA_* */
	uint32_t restorer;           /* where the handler returns: calls sigreturn */
	sigset_t mask;               /* blocked while the handler runs */
} __attribute__((packed));

/* What a pending signal carries (the parts of siginfo anvil fills in). */
struct ksiginfo {
	int signo, code;
	uint32_t addr;               /* SIGSEGV/SIGBUS/SIGFPE/SIGILL: faulting address */
	int pid, status;             /* SIGCHLD and kill: sender / child status */
};

/* stack_t as i386 user space lays it out: sigaltstack's argument and result,
 * and a handler frame's uc_stack. */
struct sigaltstack {
	uint32_t ss_sp;              /* lowest address of the area; 0 when disabled */
	uint32_t ss_flags;           /* SS_* as last set (SS_DISABLE when disabled) */
	uint32_t ss_size;            /* its size in bytes; 0 when disabled */
};

struct signal_state {
	struct k_sigaction action[NSIG];
	sigset_t pending;
	sigset_t blocked;
	struct ksiginfo info[NSIG];  /* the info of each pending signal */
	sigset_t saved_blocked;      /* sigsuspend: the mask to restore after delivery */
	bool restore_saved;          /* saved_blocked is valid */
	struct sigaltstack altstack;  /* the alternate signal stack, as sigaltstack set it */
};

/* The stack a handler runs on, chosen by do_signal for the arch code. */
struct signal_stack {
	uint32_t top;                 /* the frame goes just below this address */
	bool altstack;                /* top is on the alternate stack: the frame must fit on it */
	struct sigaltstack saved;     /* the settings the frame's uc_stack records */
};

struct trapframe;

struct signal_state *signal_state_alloc(void);
/* fork: the child inherits handlers, mask and alternate stack, no pending signals. */
struct signal_state *signal_state_dup(const struct signal_state *parent);
void signal_state_free(struct signal_state *s);
/* execve: handled signals go back to SIG_DFL (ignored stay ignored) and the
 * alternate stack is disabled. */
void signal_reset_for_exec(struct signal_state *s);

/* Queues sig with its info; 0 or -errno. Any context. */
int send_signal_info(struct task *t, const struct ksiginfo *info);
/* Sends sig to t (kernel/signal.c); 0 or -errno. */
int send_signal(struct task *t, int sig);
/* Sends sig from the kernel to every process of group pgid; 0 or -ESRCH
 * (kernel/sys_misc.c). */
int kill_pgrp(int pgid, int sig);
/* True if t has an unblocked signal waiting: blocking calls should return
 * -ERESTARTSYS (seen by user space as EINTR). */
bool signal_pending(struct task *t);
/* True if t has SIGKILL pending: it dies on its way back to user mode
 * (Linux's fatal_signal_pending). */
static inline bool fatal_signal_pending(const struct task *t)
{
	return t->signal && (t->signal->pending & sigmask(SIGKILL));
}
/* A synchronous fault signal to the current process (SIGSEGV etc.). */
void force_signal_fault(int sig, int code, uint32_t addr);
/* Acts on pending signals before returning to user mode with tf. */
void do_signal(struct trapframe *tf);

/* True if sp lies on the area ss describes (ss_sp, ss_sp + ss_size]: a
 * downward-growing stack pointer at its very top is on it, at its base not. */
bool sigaltstack_contains(const struct sigaltstack *ss, uint32_t sp);

/* arch: builds the frame for a handler below stack->top; false if the user
 * stack is bad or the frame would run off the alternate stack. */
bool arch_setup_signal_frame(struct trapframe *tf, int sig, const struct k_sigaction *ka,
			     const struct ksiginfo *info, sigset_t old_blocked,
			     const struct signal_stack *stack);
/* arch: restores registers, mask and the saved uc_stack from the frame;
 * false if it is bad. */
bool arch_restore_signal_frame(struct trapframe *tf, uint32_t frame, sigset_t *blocked,
			       struct sigaltstack *uc_stack);

#endif

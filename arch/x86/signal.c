/*
 * arch/x86/signal.c — the signal frame on the user stack (Linux i386
 * rt_sigframe layout), built before a handler runs and read back by
 * rt_sigreturn / sigreturn.
 *
 *   higher addresses
 *   | fpstate      x87 registers (fnsave image)           |
 *   | retcode      unused (musl always gives sa_restorer)  |
 *   | uc           ucontext: flags, link, stack,           |
 *   |              mcontext (struct sigcontext), sigmask   |
 *   | info         siginfo (128 bytes)                     |
 *   | puc          -> uc         (3rd handler argument)    |
 *   | pinfo        -> info       (2nd handler argument)    |
 *   | sig                        (1st handler argument)    |
 *   | pretcode     -> sa_restorer: the handler returns there|  <- ESP at handler entry
 *   lower addresses
 *
 * The frame goes just below the stack top kernel/signal.c chose (the
 * interrupted ESP, or the top of the alternate stack), aligned so that
 * ESP + 4 is a multiple of 16 at handler entry, as the i386 ABI expects
 * after a call. A frame meant for the alternate stack that would run off
 * its bottom is refused (the process then dies of SIGSEGV, as on Linux).
 *
 * The same frame serves handlers with and without SA_SIGINFO; sigreturn
 * finds it 8 bytes below ESP (musl's __restore pops one word first),
 * rt_sigreturn 4 bytes below.
 */
#include <kernel/signal.h>
#include <kernel/uaccess.h>
#include <arch/x86/cpu.h>
#include <arch/x86/trap.h>
#include <arch/x86/segments.h>
#include <libk/string.h>

#define FRAME_ALIGN 16
#define EFLAGS_USER_CHANGEABLE 0x00244DD5u   /* CF PF AF ZF SF TF DF OF AC ID... not IF/IOPL */

struct sigcontext {
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
	uint32_t trapno, err, eip, cs, eflags, esp_at_signal, ss;
	uint32_t fpstate;
	uint32_t oldmask, cr2;
};

struct user_siginfo {
	int32_t si_signo, si_errno, si_code;
	union {
		uint32_t addr;                        /* SIGSEGV, SIGBUS, SIGILL, SIGFPE */
		struct { int32_t pid; uint32_t uid; int32_t status; } child;  /* SIGCHLD, kill */
		uint8_t pad[116];
	};
};

struct ucontext {
	uint32_t uc_flags, uc_link;
	struct sigaltstack stack;                 /* the alternate stack when the signal came */
	struct sigcontext mcontext;
	sigset_t sigmask;
};

struct rt_sigframe {
	uint32_t pretcode;
	int32_t sig;
	uint32_t pinfo, puc;
	struct user_siginfo info;
	struct ucontext uc;
	uint8_t retcode[8];
	uint8_t fpstate[108];
};

_Static_assert(sizeof(struct user_siginfo) == 128, "siginfo is 128 bytes");
_Static_assert(sizeof(struct sigcontext) == 88, "sigcontext is 88 bytes");
_Static_assert(offsetof(struct ucontext, mcontext) == 20, "uc_mcontext follows a 12-byte uc_stack");

static void
fill_siginfo(struct user_siginfo *si, const struct ksiginfo *info)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = info->signo;
	si->si_code = info->code;
	switch (info->signo) {
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE:
		si->addr = info->addr;
		break;
	default:
		si->child.pid = info->pid;
		si->child.status = info->status;
		break;
	}
}

static void
save_sigcontext(struct sigcontext *sc, const struct trapframe *tf, sigset_t mask)
{
	*sc = (struct sigcontext){
		.gs = tf->gs, .fs = tf->fs, .es = tf->es, .ds = tf->ds,
		.edi = tf->edi, .esi = tf->esi, .ebp = tf->ebp, .esp = tf->user_esp,
		.ebx = tf->ebx, .edx = tf->edx, .ecx = tf->ecx, .eax = tf->eax,
		.trapno = tf->vector, .err = tf->err, .eip = tf->eip, .cs = tf->cs,
		.eflags = tf->eflags, .esp_at_signal = tf->user_esp, .ss = tf->user_ss,
		.oldmask = (uint32_t)mask,
	};
}

bool
arch_setup_signal_frame(struct trapframe *tf, int sig, const struct k_sigaction *ka,
			const struct ksiginfo *info, sigset_t old_blocked,
			const struct signal_stack *stack)
{
	struct rt_sigframe f;
	uint32_t at = ((stack->top - sizeof(f)) & ~(FRAME_ALIGN - 1)) - 4;

	if (stack->altstack && !sigaltstack_contains(&stack->saved, at))
		return false;                      /* it would overflow the alternate stack */
	memset(&f, 0, sizeof(f));
	f.pretcode = ka->restorer;
	f.sig = sig;
	f.pinfo = at + offsetof(struct rt_sigframe, info);
	f.puc = at + offsetof(struct rt_sigframe, uc);
	fill_siginfo(&f.info, info);
	save_sigcontext(&f.uc.mcontext, tf, old_blocked);
	f.uc.mcontext.fpstate = at + offsetof(struct rt_sigframe, fpstate);
	f.uc.sigmask = old_blocked;
	f.uc.stack = stack->saved;
	__asm__ volatile("fnsave %0; frstor %0" : "+m"(f.fpstate));
	if (!(ka->flags & SA_RESTORER) || copy_to_user((void *)at, &f, sizeof(f)))
		return false;
	tf->user_esp = at;
	tf->eip = ka->handler;
	tf->eax = sig;                             /* regparm-style callers like it */
	tf->edx = f.pinfo;
	tf->ecx = f.puc;
	tf->ds = tf->es = tf->user_ss = USER_DS;
	tf->cs = USER_CS;
	tf->eflags &= ~(EFLAGS_TF | EFLAGS_DF);    /* no single-step; the ABI wants DF clear */
	return true;
}

/* A data segment selector user space may load: null, its data segment or a
 * TLS slot; anything else becomes null (a bad one would fault in trap_return). */
static uint32_t
user_selector(uint32_t sel)
{
	uint32_t index = (sel & 0xFFFF) >> 3;

	if ((sel & 0xFFFF) == USER_DS)
		return USER_DS;
	if ((sel & 3) == 3 && index >= GDT_ENTRY_TLS_MIN &&
	    index < GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_COUNT)
		return sel & 0xFFFF;
	return 0;
}

bool
arch_restore_signal_frame(struct trapframe *tf, uint32_t at, sigset_t *blocked,
			  struct sigaltstack *uc_stack)
{
	struct rt_sigframe f;
	const struct sigcontext *sc = &f.uc.mcontext;

	if (copy_from_user(&f, (void *)at, sizeof(f)))
		return false;
	tf->gs = user_selector(sc->gs);
	tf->fs = user_selector(sc->fs);
	tf->es = USER_DS;
	tf->ds = USER_DS;
	tf->edi = sc->edi;
	tf->esi = sc->esi;
	tf->ebp = sc->ebp;
	tf->ebx = sc->ebx;
	tf->edx = sc->edx;
	tf->ecx = sc->ecx;
	tf->eax = sc->eax;
	tf->eip = sc->eip;
	tf->user_esp = sc->esp;
	tf->cs = USER_CS;                          /* never let user space pick ring 0 */
	tf->user_ss = USER_DS;
	tf->eflags = (tf->eflags & ~EFLAGS_USER_CHANGEABLE) | (sc->eflags & EFLAGS_USER_CHANGEABLE);
	__asm__ volatile("frstor %0" : : "m"(f.fpstate));
	*blocked = f.uc.sigmask;
	*uc_stack = f.uc.stack;
	return true;
}

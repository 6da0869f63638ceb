/*
 * arch/x86/process.c — what a process needs from the CPU beyond its
 * page tables: its TLS descriptors (set_thread_area, loaded into GDT
 * slots 6-8 on every switch), its x87 FPU registers (saved and restored
 * on every switch between processes with fnsave/frstor), and the trap
 * frame through which it enters and leaves user mode.
 */
#include <arch/x86/process.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/errno.h>
#include <kernel/uaccess.h>
#include <kernel/printk.h>
#include <arch/x86/segments.h>
#include <arch/x86/cpu.h>
#include <mm/slab.h>
#include <mm/mm_types.h>
#include <mm/pgtable.h>
#include <mm/paging.h>
#include <libk/string.h>

#define FPU_STATE_BYTES 108            /* fnsave image */
#define CR0_MP 0x00000002u
#define CR0_EM 0x00000004u
#define CR0_TS 0x00000008u
#define CR0_NE 0x00000020u

struct thread_arch {
	uint64_t tls[GDT_ENTRY_TLS_COUNT];  /* GDT descriptors; 0 = empty slot */
	uint8_t fpu[FPU_STATE_BYTES] __attribute__((aligned(16)));
};

static uint8_t fpu_initial[FPU_STATE_BYTES] __attribute__((aligned(16)));
static struct task *fpu_owner;          /* whose registers the FPU holds */

extern char fork_return[];

void
fpu_init(void)
{
	write_cr0((read_cr0() | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));
	__asm__ volatile("fninit; fnsave %0" : "=m"(fpu_initial));
}

int
process_arch_alloc(struct task *t)
{
	t->arch = kzalloc(sizeof(*t->arch), GFP_KERNEL);
	if (!t->arch)
		return -ENOMEM;
	memcpy(t->arch->fpu, fpu_initial, FPU_STATE_BYTES);
	return 0;
}

/* Saves the FPU registers into their owner's state. */
static void
fpu_save_owner(void)
{
	if (fpu_owner && fpu_owner->arch)
		__asm__ volatile("fnsave %0; fwait" : "=m"(fpu_owner->arch->fpu));
	fpu_owner = NULL;
}

int
process_arch_dup(struct task *child, struct task *parent)
{
	if (process_arch_alloc(child))
		return -ENOMEM;
	if (fpu_owner == parent) {
		/* fnsave resets the FPU: reload the parent's registers after */
		fpu_save_owner();
		__asm__ volatile("frstor %0" : : "m"(parent->arch->fpu));
		fpu_owner = parent;
	}
	memcpy(child->arch, parent->arch, sizeof(*child->arch));
	return 0;
}

void
process_arch_free(struct task *t)
{
	if (fpu_owner == t)
		fpu_owner = NULL;
	kfree(t->arch);
	t->arch = NULL;
}

/* exec (current == t): no TLS, and a freshly initialised FPU that t owns. */
void
process_arch_reset(struct task *t)
{
	memset(t->arch->tls, 0, sizeof(t->arch->tls));
	gdt_set_tls(t->arch->tls);
	fpu_save_owner();
	memcpy(t->arch->fpu, fpu_initial, FPU_STATE_BYTES);
	__asm__ volatile("frstor %0" : : "m"(t->arch->fpu));
	fpu_owner = t;
}

void
arch_prepare_switch(struct task *next)
{
	tss_set_kernel_stack((uint32_t)next->stack + THREAD_SIZE);
	switch_pgd(next->mm ? next->mm->pgd : swapper_pg_dir);
	if (!next->arch)
		return;                          /* kernel threads use neither */
	gdt_set_tls(next->arch->tls);
	if (fpu_owner != next) {
		fpu_save_owner();
		__asm__ volatile("frstor %0" : : "m"(next->arch->fpu));
		fpu_owner = next;
	}
}

/*
 * The child's kernel stack: its user frame at the top (a copy of the
 * parent's, EAX = 0), below it a switch_to frame that "returns" to
 * fork_return, which finishes the switch and leaves through trap_return.
 */
void
arch_fork_setup(struct task *child, const struct trapframe *regs)
{
	struct trapframe *tf = task_user_regs(child);
	uint32_t *sp = (uint32_t *)tf;

	*tf = *regs;
	tf->eax = 0;
	*--sp = (uint32_t)fork_return;
	*--sp = 0;                   /* ebp */
	*--sp = 0;                   /* ebx */
	*--sp = 0;                   /* esi */
	*--sp = 0;                   /* edi */
	child->kernel_esp = (uint32_t)sp;
	child->user_regs = tf;
}

void
arch_enter_user(void)
{
	struct trapframe *tf = task_user_regs(current);

	local_irq_disable();
	__asm__ volatile("movl %0, %%esp\n\tjmp trap_return" : : "r"(tf) : "memory");
	__builtin_unreachable();
}

/* ---- set_thread_area: TLS descriptors for musl's %gs ---- */

struct user_desc {
	uint32_t entry_number;
	uint32_t base_addr;
	uint32_t limit;
	uint32_t seg_32bit:1, contents:2, read_exec_only:1, limit_in_pages:1,
		 seg_not_present:1, useable:1;
};

#define DESC_TYPE_DATA_RW   0x2
#define DESC_TYPE_DATA_RO   0x0
#define DESC_S_CODE_DATA    (1ull << 44)
#define DESC_DPL3           (3ull << 45)
#define DESC_PRESENT        (1ull << 47)
#define DESC_AVL            (1ull << 52)
#define DESC_DB             (1ull << 54)
#define DESC_G              (1ull << 55)

static uint64_t
tls_descriptor(const struct user_desc *u)
{
	uint64_t d = 0;

	if (!u->base_addr && !u->limit && u->read_exec_only && u->seg_not_present)
		return 0;                                   /* "clear this slot" */
	d |= u->limit & 0xFFFF;
	d |= (uint64_t)(u->base_addr & 0xFFFFFF) << 16;
	d |= (uint64_t)(u->read_exec_only ? DESC_TYPE_DATA_RO : DESC_TYPE_DATA_RW) << 40;
	d |= (uint64_t)(u->contents & 3) << 42;
	d |= DESC_S_CODE_DATA | DESC_DPL3;
	if (!u->seg_not_present)
		d |= DESC_PRESENT;
	d |= (uint64_t)((u->limit >> 16) & 0xF) << 48;
	if (u->useable)
		d |= DESC_AVL;
	if (u->seg_32bit)
		d |= DESC_DB;
	if (u->limit_in_pages)
		d |= DESC_G;
	d |= (uint64_t)(u->base_addr >> 24) << 56;
	return d;
}

static long
sys_set_thread_area(struct user_desc *uinfo)
{
	struct user_desc u;
	int slot;

	if (copy_from_user(&u, uinfo, sizeof(u)))
		return -EFAULT;
	if (u.entry_number == (uint32_t)-1) {
		for (slot = 0; slot < GDT_ENTRY_TLS_COUNT && current->arch->tls[slot]; slot++)
			;
		if (slot == GDT_ENTRY_TLS_COUNT)
			return -ESRCH;
		u.entry_number = GDT_ENTRY_TLS_MIN + slot;
		if (put_user_u32(u.entry_number, &uinfo->entry_number))
			return -EFAULT;
	}
	if (u.entry_number < GDT_ENTRY_TLS_MIN ||
	    u.entry_number >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_COUNT)
		return -EINVAL;
	current->arch->tls[u.entry_number - GDT_ENTRY_TLS_MIN] = tls_descriptor(&u);
	gdt_set_tls(current->arch->tls);
	return 0;
}
SYSCALL_DEFINE(set_thread_area, sys_set_thread_area);

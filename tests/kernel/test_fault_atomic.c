/*
 * tests/kernel/test_fault_atomic.c — a page fault on a user address taken
 * by the kernel where it may not sleep (preemption disabled, a spinlock
 * held, interrupts off) must not take mmap_lock, a mutex: as Linux's
 * faulthandler_disabled() path, it goes straight to the exception-table
 * fixup, so copy_from_user fails with -EFAULT and the page stays
 * unmapped. The same copy with nothing held faults the page in.
 *
 * The test thread borrows a user address space: it sets current->mm and
 * loads its page directory (clearing current->mm first when it gives it
 * back, so a preemption in between reloads the kernel's directory).
 */
#include <kernel/ktest.h>
#include "mm_fixture.h"
#include <kernel/task.h>
#include <kernel/spinlock.h>
#include <kernel/errno.h>
#include <kernel/uaccess.h>
#include <mm/mm.h>
#include <mm/mm_types.h>
#include <mm/mman.h>
#include <mm/paging.h>
#include <mm/pgtable.h>
#include <mm/vmstat.h>
#include <arch/x86/irqflags.h>

#define USER_ADDR 0x40000000u

static DEFINE_SPINLOCK(test_lock);

enum atomic_kind { PREEMPT_OFF, SPINLOCK_HELD, IRQS_OFF, NOTHING_HELD };

/* copy_from_user of one word at USER_ADDR in the given context. */
static int
copy_in(enum atomic_kind kind)
{
	uint32_t word, flags;
	int r;

	switch (kind) {
	case PREEMPT_OFF:
		preempt_disable();
		r = copy_from_user(&word, (const void *)USER_ADDR, sizeof(word));
		preempt_enable();
		return r;
	case SPINLOCK_HELD:
		spin_lock(&test_lock);
		r = copy_from_user(&word, (const void *)USER_ADDR, sizeof(word));
		spin_unlock(&test_lock);
		return r;
	case IRQS_OFF:
		flags = local_irq_save();
		r = copy_from_user(&word, (const void *)USER_ADDR, sizeof(word));
		local_irq_restore(flags);
		return r;
	default:
		return copy_from_user(&word, (const void *)USER_ADDR, sizeof(word));
	}
}

static bool
user_page_present(struct mm_struct *mm)
{
	pte_t *ptep = pte_lookup(mm->pgd, USER_ADDR);

	return ptep && pte_present(*ptep);
}

static void
borrow_mm(struct mm_struct *mm)
{
	current->mm = mm;
	switch_pgd(mm->pgd);
}

static void
give_back_mm(void)
{
	current->mm = NULL;
	switch_pgd(swapper_pg_dir);
}

KTEST(vm_fault_in_atomic_context_fails)
{
	struct mm_struct *mm = mm_alloc();
	int atomic_result[NOTHING_HELD], plain_result;
	unsigned long faults_before, faults_atomic;
	bool present_after_atomic, present_after_plain;

	KT_CHECK(mm, "mm_alloc failed");
	KT_CHECK(do_mmap(mm, USER_ADDR, PAGE_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0) == (long)USER_ADDR,
		 "mmap failed");
	borrow_mm(mm);
	faults_before = vm_event(PGFAULT);
	for (int k = PREEMPT_OFF; k < NOTHING_HELD; k++)
		atomic_result[k] = copy_in(k);
	faults_atomic = vm_event(PGFAULT) - faults_before;
	present_after_atomic = user_page_present(mm);
	plain_result = copy_in(NOTHING_HELD);
	present_after_plain = user_page_present(mm);
	give_back_mm();
	mmput(mm);

	KT_CHECK(atomic_result[PREEMPT_OFF] == -EFAULT,
		 "copy_from_user with preemption off returned %d", atomic_result[PREEMPT_OFF]);
	KT_CHECK(atomic_result[SPINLOCK_HELD] == -EFAULT,
		 "copy_from_user under a spinlock returned %d", atomic_result[SPINLOCK_HELD]);
	KT_CHECK(atomic_result[IRQS_OFF] == -EFAULT,
		 "copy_from_user with interrupts off returned %d", atomic_result[IRQS_OFF]);
	KT_CHECK(faults_atomic == 0 && !present_after_atomic,
		 "the fault handler ran in atomic context (%lu faults handled)", faults_atomic);
	KT_CHECK(plain_result == 0 && present_after_plain,
		 "with nothing held: copy returned %d, page %s", plain_result,
		 present_after_plain ? "present" : "absent");
}

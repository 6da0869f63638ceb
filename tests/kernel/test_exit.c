/*
 * tests/kernel/test_exit.c — a process's end: exit_mm gives up the address
 * space without ever freeing the page directory the CPU has loaded.
 *
 * exit_mm_preempted_midway (regression): exit_mm used to load
 * swapper_pg_dir and only then clear t->mm; a timer preemption between the
 * two made the switch back load t->mm's directory again, which mmput then
 * freed while CR3 pointed at it. The test gives its own thread an address
 * space, keeps a second thread runnable, and lets exit_mm be preempted
 * at each point where a timer could preempt it, one point per run
 * (exit_mm_test_preempt_at, see kernel/exit.h). pgd_free's assertion (the freed directory is not the
 * loaded one) turns the old bug into a panic; the test then checks that the
 * thread is left on swapper_pg_dir and was really switched away and back.
 */
#include <kernel/ktest.h>
#include <kernel/exit.h>
#include <kernel/sched.h>
#include <kernel/wait.h>
#include <kernel/task.h>
#include <mm/mm.h>
#include <mm/mm_types.h>
#include <mm/paging.h>
#include <mm/pgtable.h>
#include <arch/x86/cpu.h>
#include <arch/x86/memlayout.h>

/* A thread that stays runnable (yielding) until told to stop, so that a
 * preemption of the test thread always has somewhere to switch to. */
struct bystander {
	volatile bool stop;
	volatile unsigned long turns;
	struct completion done;
};

static int
bystander_thread(void *arg)
{
	struct bystander *b = arg;

	while (!b->stop) {
		b->turns++;
		yield();
	}
	complete(&b->done);
	return 0;
}

/* exit_mm of a fresh address space with one preemption at point; false
 * (with the failure recorded) if the thread is not left on swapper_pg_dir. */
static bool
exit_mm_preempted_at(enum exit_mm_test_point point)
{
	struct mm_struct *mm = mm_alloc();

	if (!KT_EXPECT(mm, "mm_alloc failed"))
		return false;
	current->mm = mm;                     /* as exec does: mm first, then CR3 */
	switch_pgd(mm->pgd);
	exit_mm_test_preempt_at = point;
	exit_mm(current);
	exit_mm_test_preempt_at = EXIT_MM_NO_TEST_POINT;
	return KT_EXPECT(current->mm == NULL, "point %d: exit_mm left current->mm set", point) &&
	       KT_EXPECT(read_cr3() == __pa(swapper_pg_dir),
			 "point %d: CR3 is %#x after exit_mm, not swapper_pg_dir", point, read_cr3());
}

KTEST(exit_mm_preempted_midway)
{
	static struct bystander b;
	unsigned long turns_before;
	bool ok = true;

	b.stop = false;
	b.turns = 0;
	init_completion(&b.done);
	KT_CHECK(kthread_run(bystander_thread, &b, "bystander"), "cannot create the bystander");
	turns_before = b.turns;
	exit_mm_test_preemptions = 0;
	for (int point = EXIT_MM_NO_TEST_POINT + 1; point < EXIT_MM_TEST_POINTS && ok; point++)
		ok = exit_mm_preempted_at(point);
	b.stop = true;
	wait_for_completion(&b.done);
	if (!ok)
		return;
	KT_CHECK(exit_mm_test_preemptions > 0, "exit_mm was preemptible at none of its points");
	KT_CHECK(b.turns > turns_before, "the bystander never ran while exit_mm was preempted");
}

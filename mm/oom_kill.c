/*
 * mm/oom_kill.c — the OOM killer (Linux's mm/oom_kill.c, for one CPU, one
 * thread per process and no cgroups).
 *
 * When: a user page fault whose allocation failed even after reclaim
 * (FAULT_OOM) calls pagefault_out_of_memory (arch/x86/fault.c), where
 * Linux called out_of_memory until 5.16 (Linux 6.1 runs it inside the page
 * allocator, and its pagefault_out_of_memory only retries the fault). A
 * system call whose allocation fails returns ENOMEM and kills no one; a
 * fault on a user address taken by the kernel (a user copy) fails with
 * EFAULT, as on Linux.
 *
 * Whom: the process with the highest badness,
 *
 *     badness = rss + swap entries + page-table pages
 *               + oom_score_adj * (total_pages / 1000)
 *
 * total_pages being RAM + swap pages (Linux's oom_badness, which divides
 * first). Never init (pid 1), a kernel thread, a process that has lost its
 * address space (exiting), nor one at oom_score_adj -1000. The later of
 * two equal processes in the process list (the younger) is chosen.
 *
 * One kill per shortage: the victim is marked (task->oom_victim) in the
 * tasklist_lock section that chose it, and until it is a zombie (exit_mm
 * has given its memory back) every selection that meets it gives up
 * (OOM_SELECT_ABORT), as Linux's tsk_is_oom_victim check does. A task with
 * SIGKILL pending kills no one: it is about to free its own memory.
 *
 *   fault -> FAULT_OOM -> pagefault_out_of_memory
 *              out_of_memory: current dying?          -> nothing to do
 *                             a victim still exiting? -> nothing to do
 *                             else choose, mark, SIGKILL, console line
 *              current dying?  -> return: it exits on its way to user mode
 *              else sleep one tick (the victim runs and exits), return:
 *              the instruction faults again, and finds memory or repeats
 *
 * SIGKILL wakes a victim that sleeps interruptibly; its system call ends
 * and it exits on the way back to user mode. The task that faulted sleeps
 * a tick so that, on this one CPU, the victim really runs.
 *
 * The console line is Linux's (pr_err in __oom_kill_process):
 *   Out of memory: Killed process N (comm) total-vm:XkB, anon-rss:XkB,
 *   file-rss:XkB, shmem-rss:XkB, UID:0 pgtables:XkB oom_score_adj:A
 * anvil keeps one rss count per mm, so the three rss figures come from a
 * walk of the victim's page tables when it is killed (oom_rss_split): each
 * page mapped (or being migrated) counts as anon, shmem (a shared-memory
 * file's page) or file. UID is 0: anvil has no users.
 *
 * Locks: tasklist_lock (spin, irqs off) while choosing and marking the
 * victim and sending SIGKILL; the candidates' rss, swap_ents and page
 * directories are read under it without their mmap_lock, as Linux reads
 * its counters. Then, with nothing held, the victim's mmap_lock (mutex)
 * and page_table_lock per table for the walk. No lock of its own: the
 * mark made under tasklist_lock serialises kills (Linux's oom_lock).
 */
#include <mm/oom_kill.h>
#include <mm/mm.h>
#include <mm/mm_types.h>
#include <mm/page_alloc.h>
#include <mm/pagewalk.h>
#include <mm/pgtable.h>
#include <mm/rmap.h>
#include <mm/shmem.h>
#include <mm/swapfile.h>
#include <mm/swapops.h>
#include <mm/vmstat.h>
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/proc.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/uaccess.h>
#include <libk/string.h>

#define OOM_PERMILLE     1000    /* oom_score_adj counts thousandths of total_pages */
#define OOM_RETRY_TICKS  1       /* a faulting task's sleep while the victim exits */
#define OOM_UID          0       /* every anvil process is root */

static unsigned long
pages_to_kb(unsigned long pages)
{
	return pages * (PAGE_SIZE / 1024);
}

unsigned long
oom_total_pages(void)
{
	unsigned long swap_total, swap_free;

	si_swapinfo(&swap_total, &swap_free);
	return nr_managed_pages() + swap_total;
}

/* Linux's oom_unkillable_task: init, and kernel threads (no signal state). */
static bool
oom_unkillable_task(const struct task *t)
{
	return t->pid == INIT_PID || !t->signal;
}

/* An earlier victim that has not finished exiting (Linux's tsk_is_oom_victim
 * without MMF_OOM_SKIP): its memory is on its way back. */
static bool
oom_victim_exiting(const struct task *t)
{
	return t->oom_victim && !t->zombie;
}

long
oom_badness(struct task *t, unsigned long total_pages)
{
	struct mm_struct *mm = t->mm;
	long points;

	if (oom_unkillable_task(t) || t->zombie || !mm || t->oom_score_adj == OOM_SCORE_ADJ_MIN)
		return OOM_BADNESS_NEVER;
	points = (long)(mm->rss + mm->swap_ents + pgd_user_tables(mm->pgd));
	return points + (long)t->oom_score_adj * (long)(total_pages / OOM_PERMILLE);
}

struct task *
oom_select_bad_process(struct list_head *procs, unsigned long total_pages, long *points)
{
	struct task *t, *chosen = NULL;
	long chosen_points = OOM_BADNESS_NEVER;

	list_for_each_entry(t, procs, process_link) {
		long p;

		if (oom_unkillable_task(t))
			continue;
		if (oom_victim_exiting(t)) {
			*points = OOM_BADNESS_NEVER;
			return OOM_SELECT_ABORT;
		}
		p = oom_badness(t, total_pages);
		if (p == OOM_BADNESS_NEVER || p < chosen_points)
			continue;
		chosen = t;
		chosen_points = p;
	}
	*points = chosen_points;
	return chosen;
}

/* ---- the report ------------------------------------------------------------ */

/* Linux's dump_tasks: every process that could be chosen, memory in pages.
 * => tasklist_lock held. */
static void
oom_dump_tasks_locked(void)
{
	struct task *t;

	printk(KERN_INFO "Tasks state (memory values in pages):\n");
	printk(KERN_INFO "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n");
	list_for_each_entry(t, &process_list, process_link) {
		struct mm_struct *mm = t->mm;

		if (oom_unkillable_task(t) || t->zombie || !mm)
			continue;
		printk(KERN_INFO "[%7d] %5d %5d %8lu %8lu %8lu %8lu         %5d %s\n", t->pid, OOM_UID,
		       t->pid, mm->total_vm, mm->rss, pgd_user_tables(mm->pgd) * PAGE_SIZE,
		       mm->swap_ents, t->oom_score_adj, t->comm);
	}
}

/* What the console line says of the victim, copied while it was chosen. */
struct oom_victim_info {
	int pid;
	int oom_score_adj;
	char comm[TASK_COMM_LEN];
	struct mm_struct *mm;            /* a user reference (mmget): put after the report */
};

/* Its resident pages by kind, as Linux's MM_ANONPAGES, MM_FILEPAGES and
 * MM_SHMEMPAGES count them. */
struct oom_rss_split {
	unsigned long anon, file, shmem;
};

/* pte_entry of oom_rss_split: one PTE's page, if it counts in rss. */
static int
oom_rss_split_pte(pte_t *ptep, uint32_t addr, struct mm_walk *walk)
{
	struct oom_rss_split *split = walk->private;
	struct page *page = pte_to_page(*ptep);

	if (!page)
		return 0;
	if (PageAnon(page))
		split->anon++;
	else if (page_mapping(page) && mapping_is_shmem(page_mapping(page)))
		split->shmem++;
	else
		split->file++;
	return 0;
}

static const struct mm_walk_ops oom_rss_split_ops = {
	.pte_entry = oom_rss_split_pte,
	.flags = WALK_LOCK_PTL,
};

/* Counts mm's resident pages by kind into *split, and its size and page
 * tables. => mm->mmap_lock held. */
static void
oom_rss_split(struct mm_struct *mm, struct oom_rss_split *split)
{
	memset(split, 0, sizeof(*split));
	walk_page_range(mm, 0, USER_TOP, &oom_rss_split_ops, split);
}

/* Linux's line for a kill, with the victim's memory as it is now. Takes
 * and drops the victim's mmap_lock. */
static void
oom_report_kill(const struct oom_victim_info *v)
{
	struct mm_struct *mm = v->mm;
	struct oom_rss_split split;
	unsigned long total_vm, tables;

	mutex_lock(&mm->mmap_lock);
	oom_rss_split(mm, &split);
	total_vm = mm->total_vm;
	tables = pgd_user_tables(mm->pgd);
	mutex_unlock(&mm->mmap_lock);
	printk(KERN_ERR "Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, "
	       "file-rss:%lukB, shmem-rss:%lukB, UID:%u pgtables:%lukB oom_score_adj:%d\n",
	       v->pid, v->comm, pages_to_kb(total_vm), pages_to_kb(split.anon),
	       pages_to_kb(split.file), pages_to_kb(split.shmem), OOM_UID, pages_to_kb(tables),
	       v->oom_score_adj);
}

/* ---- the kill ---------------------------------------------------------------- */

/* Marks t as the victim, counts the kill, sends SIGKILL (which wakes t if it
 * sleeps interruptibly) and fills *v for the report. => tasklist_lock held;
 * t chosen by oom_select_bad_process under it (so t->mm is set). */
static void
oom_kill_locked(struct task *t, struct oom_victim_info *v)
{
	BUG_ON(!t->mm || t->zombie);
	t->oom_victim = true;
	count_vm_event(OOM_KILL);
	send_signal(t, SIGKILL);
	v->pid = t->pid;
	v->oom_score_adj = t->oom_score_adj;
	memcpy(v->comm, t->comm, sizeof(v->comm));
	v->mm = t->mm;
	mmget(v->mm);
}

/* Nothing may be killed: as Linux, the kernel cannot go on. */
static void __attribute__((noreturn))
oom_no_victim(void)
{
	uint32_t flags = spin_lock_irqsave(&tasklist_lock);

	oom_dump_tasks_locked();
	spin_unlock_irqrestore(&tasklist_lock, flags);
	printk(KERN_WARNING "Out of memory and no killable processes...\n");
	panic("System is deadlocked on memory");
}

int
out_of_memory(void)
{
	unsigned long total_pages = oom_total_pages();   /* swap_lock: not under tasklist_lock */
	struct oom_victim_info v;
	struct task *victim;
	uint32_t flags;
	long points;

	if (fatal_signal_pending(current))
		return 0;                 /* Linux's task_will_free_mem(current) */
	flags = spin_lock_irqsave(&tasklist_lock);
	victim = oom_select_bad_process(&process_list, total_pages, &points);
	if (victim && victim != OOM_SELECT_ABORT) {
		printk(KERN_WARNING "%s invoked oom-killer: order=0, oom_score_adj=%d\n",
		       current->comm, current->oom_score_adj);
		oom_dump_tasks_locked();
		oom_kill_locked(victim, &v);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!victim)
		oom_no_victim();
	if (victim == OOM_SELECT_ABORT)
		return 0;
	oom_report_kill(&v);
	mmput(v.mm);
	return v.pid;
}

void
pagefault_out_of_memory(void)
{
	out_of_memory();
	if (fatal_signal_pending(current))
		return;                   /* killed: it exits before user mode */
	current->state = TASK_INTERRUPTIBLE;
	schedule_timeout_state(OOM_RETRY_TICKS);
}

/* ---- /proc/PID/oom_score_adj, oom_adj, oom_score ------------------------------ */

int
oom_score_adj_get(int pid, int *adj)
{
	uint32_t flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t = task_by_pid_locked(pid);

	if (t)
		*adj = t->oom_score_adj;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return t ? 0 : -ESRCH;
}

int
oom_score_adj_set(int pid, int adj)
{
	uint32_t flags;
	struct task *t;

	if (adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	flags = spin_lock_irqsave(&tasklist_lock);
	t = task_by_pid_locked(pid);
	if (t)
		t->oom_score_adj = (short)adj;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return t ? 0 : -ESRCH;
}

/* Linux 6.1's proc_oom_score: badness in thousandths of all memory, plus
 * 1000, times 2/3: 0..OOM_SCORE_MAX (666 for an empty process at
 * adjustment 0); 0 if it is never chosen. 64-bit: badness * 1000 need not
 * fit in a long. */
static unsigned long
oom_score_of_badness(long badness, unsigned long total_pages)
{
	int64_t permille;

	if (badness == OOM_BADNESS_NEVER)
		return 0;
	permille = (int64_t)badness * OOM_PERMILLE / (int64_t)total_pages;
	return (unsigned long)((OOM_PERMILLE + permille) * 2 / 3);
}

int
oom_score_get(int pid, unsigned long *score)
{
	unsigned long total_pages = oom_total_pages();
	uint32_t flags = spin_lock_irqsave(&tasklist_lock);
	struct task *t = task_by_pid_locked(pid);

	if (t)
		*score = oom_score_of_badness(oom_badness(t, total_pages), total_pages);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return t ? 0 : -ESRCH;
}

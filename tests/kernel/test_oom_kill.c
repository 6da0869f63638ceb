/*
 * tests/kernel/test_oom_kill.c — the OOM killer's choice of victim
 * (oom_select_bad_process, oom_badness) on fake processes: zeroed tasks
 * on a list of the test's own, each with an mm_struct that only has the
 * figures badness reads (rss, swap_ents, and a page directory whose
 * present entries stand for page tables; the tables themselves are never
 * read). Nothing is killed and no real process is looked at.
 *
 *   oom_select_badness_order   rss + swap entries + page tables decide;
 *                              a tie goes to the later process
 *   oom_select_score_adj       oom_score_adj adds adj * (total / 1000) pages,
 *                              dividing first as Linux does; -1000 is never
 *                              chosen, even alone
 *   oom_select_never_init_or_kthread  pid 1 and kernel threads are never
 *                              chosen, however big
 *   oom_select_waits_for_victim  an earlier victim not yet a zombie stops the
 *                              choice (OOM_SELECT_ABORT); a zombie victim or
 *                              a process without mm is passed over
 */
#include <kernel/ktest.h>
#include <kernel/signal.h>
#include <kernel/task.h>
#include <mm/mm_types.h>
#include <mm/oom_kill.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <libk/string.h>

#define FAKE_PROCS      6
#define FAKE_FIRST_PID  100
#define TOTAL_PAGES     10999          /* total / 1000 = 10 (Linux divides first) */
#define ADJ_UNIT        (TOTAL_PAGES / 1000)

/* A fake process: a task and the address space badness reads. */
struct fake_proc {
	struct task task;
	struct mm_struct mm;
};

struct fake_set {
	struct list_head procs;          /* tasks by process_link, as process_list */
	struct fake_proc proc[FAKE_PROCS];
	struct signal_state signal;      /* any non-NULL signal state: "a process" */
	int n;
};

static struct fake_set set;

static void
fake_reset(void)
{
	memset(&set, 0, sizeof(set));
	INIT_LIST_HEAD(&set.procs);
}

/* fake_add - one more process (pid FAKE_FIRST_PID + n) with rss pages
 * resident, swap swap entries and tables page tables; NULL if its page
 * directory cannot be allocated (the failure is recorded). */
static struct fake_proc *
fake_add(unsigned long rss, unsigned long swap, unsigned tables)
{
	struct fake_proc *p = &set.proc[set.n];
	pgd_t *pgd = get_free_pages(GFP_KERNEL | __GFP_ZERO, 0);

	if (!KT_EXPECT(pgd, "no page for a fake page directory"))
		return NULL;
	for (unsigned i = 0; i < tables; i++)
		set_pgd(&pgd[i], mk_pgd_table(0, _PAGE_TABLE_USER));   /* never walked */
	p->mm.pgd = pgd;
	p->mm.rss = rss;
	p->mm.swap_ents = swap;
	p->task.pid = FAKE_FIRST_PID + set.n;
	p->task.mm = &p->mm;
	p->task.signal = &set.signal;
	list_add_tail(&p->task.process_link, &set.procs);
	set.n++;
	return p;
}

static void
fake_free(void)
{
	for (int i = 0; i < set.n; i++)
		free_pages(set.proc[i].mm.pgd, 0);
	set.n = 0;
}

/* select - the choice among the fake processes, its badness in *points. */
static struct task *
select(long *points)
{
	return oom_select_bad_process(&set.procs, TOTAL_PAGES, points);
}

/* chosen - the pid select() gives now, for messages: 0 for no one, -1 for
 * OOM_SELECT_ABORT. */
static int
chosen(void)
{
	long points;
	struct task *t = select(&points);

	return !t ? 0 : t == OOM_SELECT_ABORT ? -1 : t->pid;
}

KTEST(oom_select_badness_order)
{
	struct fake_proc *small, *swapped, *tables, *twin;
	long points;

	fake_reset();
	small = fake_add(100, 0, 0);
	swapped = fake_add(200, 150, 0);       /* 350 */
	tables = fake_add(345, 0, 10);         /* 355 */
	fake_add(300, 0, 0);
	if (!small || !swapped || !tables) {
		fake_free();
		return;
	}
	KT_EXPECT(select(&points) == &tables->task, "chose pid %d, expected the one with page tables",
		  chosen());
	KT_EXPECT(points == 355, "badness %ld, expected 345 + 10 tables", points);
	tables->mm.rss = 300;                  /* 310: now the swapped one leads */
	KT_EXPECT(select(&points) == &swapped->task && points == 350,
		  "chose pid %d (%ld), expected 200 resident + 150 swapped", chosen(), points);
	twin = fake_add(350, 0, 0);            /* the same badness, later in the list */
	KT_EXPECT(twin && select(&points) == &twin->task, "a tie went to pid %d, not the later one",
		  chosen());
	fake_free();
}

KTEST(oom_select_score_adj)
{
	struct fake_proc *big, *small;
	long points;

	fake_reset();
	big = fake_add(1000, 0, 0);
	small = fake_add(100, 0, 0);
	if (!big || !small) {
		fake_free();
		return;
	}
	small->task.oom_score_adj = 100;       /* 100 + 100 * 10 = 1100 */
	KT_EXPECT(select(&points) == &small->task && points == 100 + 100 * ADJ_UNIT,
		  "chose pid %d (%ld), expected the small one at 1100", chosen(), points);
	small->task.oom_score_adj = 0;
	big->task.oom_score_adj = -50;         /* 1000 - 500 = 500 */
	KT_EXPECT(select(&points) == &big->task && points == 1000 - 50 * ADJ_UNIT,
		  "chose pid %d (%ld), expected the big one at 500", chosen(), points);
	big->task.oom_score_adj = OOM_SCORE_ADJ_MIN;
	KT_EXPECT(select(&points) == &small->task,
		  "chose pid %d, but the big one is at -1000", chosen());
	small->task.oom_score_adj = OOM_SCORE_ADJ_MIN;
	KT_EXPECT(select(&points) == NULL, "chose pid %d with everyone at -1000",
		  chosen());
	KT_EXPECT(oom_badness(&big->task, TOTAL_PAGES) == OOM_BADNESS_NEVER,
		  "badness at -1000 is %ld", oom_badness(&big->task, TOTAL_PAGES));
	fake_free();
}

KTEST(oom_select_never_init_or_kthread)
{
	struct fake_proc *init, *kthread, *user;
	long points;

	fake_reset();
	init = fake_add(5000, 0, 0);
	kthread = fake_add(5000, 0, 0);
	user = fake_add(10, 0, 0);
	if (!init || !kthread || !user) {
		fake_free();
		return;
	}
	init->task.pid = 1;
	init->task.oom_score_adj = OOM_SCORE_ADJ_MAX;
	kthread->task.signal = NULL;           /* a kernel thread has no signal state */
	KT_EXPECT(select(&points) == &user->task && points == 10,
		  "chose pid %d (%ld), expected the only user process", chosen(), points);
	user->task.oom_score_adj = OOM_SCORE_ADJ_MIN;
	KT_EXPECT(select(&points) == NULL, "chose pid %d, expected no one", chosen());
	fake_free();
}

KTEST(oom_select_waits_for_victim)
{
	struct fake_proc *victim, *big, *exiting;
	long points;

	fake_reset();
	victim = fake_add(10, 0, 0);
	big = fake_add(1000, 0, 0);
	exiting = fake_add(2000, 0, 0);
	if (!victim || !big || !exiting) {
		fake_free();
		return;
	}
	exiting->task.mm = NULL;               /* past exit_mm: nothing left to free */
	KT_EXPECT(select(&points) == &big->task, "chose pid %d, expected the big one",
		  chosen());
	victim->task.oom_victim = true;        /* killed earlier, still exiting */
	KT_EXPECT(select(&points) == OOM_SELECT_ABORT,
		  "an earlier victim is still exiting, yet the choice went on");
	victim->task.zombie = true;            /* it is gone: choose again */
	victim->task.mm = NULL;
	KT_EXPECT(select(&points) == &big->task, "after the victim's exit the choice is not the big one");
	fake_free();
}

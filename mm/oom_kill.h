/*
 * mm/oom_kill.h — the OOM killer: when a page fault finds no memory and
 * reclaim has freed none, one process is killed so that the others (and
 * the kernel) go on. See mm/oom_kill.c for how the victim is chosen.
 */
#ifndef MM_OOM_KILL_H
#define MM_OOM_KILL_H

#include <kernel/task.h>
#include <libk/list.h>
#include <stdbool.h>

/* /proc/PID/oom_score_adj: added to a process's badness, in thousandths of
 * all memory (RAM + swap); OOM_SCORE_ADJ_MIN means "never kill it". */
#define OOM_SCORE_ADJ_MIN  (-1000)
#define OOM_SCORE_ADJ_MAX  1000
/* The legacy /proc/PID/oom_adj: -17 (OOM_DISABLE, "never") or -16..15,
 * scaled to and from oom_score_adj as Linux does. */
#define OOM_DISABLE        (-17)
#define OOM_ADJUST_MIN     (-16)
#define OOM_ADJUST_MAX     15
/* /proc/PID/oom_score shows badness scaled to 0..OOM_SCORE_MAX. */
#define OOM_SCORE_MAX      2000

/* oom_badness's answer for a process that must never be chosen. */
#define OOM_BADNESS_NEVER  (-__LONG_MAX__ - 1)     /* LONG_MIN */
/* oom_select_bad_process's answer when a victim is still exiting. */
#define OOM_SELECT_ABORT   ((struct task *)-1)

/* The memory a badness is a share of: RAM pages + swap pages (Linux's
 * totalram_pages() + total_swap_pages). */
unsigned long oom_total_pages(void);

/*
 * oom_badness - how much killing t would free, in pages, plus its
 * oom_score_adj times total_pages / 1000 (Linux's oom_badness, which
 * divides first). OOM_BADNESS_NEVER for init, a kernel thread, a process
 * without an address space (exiting) or one at OOM_SCORE_ADJ_MIN.
 * => tasklist_lock held (t and t->mm stay put), or t private to the caller
 *    (the ktests' fake processes).
 */
long oom_badness(struct task *t, unsigned long total_pages);

/*
 * oom_select_bad_process - the task of procs (struct task linked by
 * process_link) with the highest badness, a later one winning a tie
 * (Linux's select_bad_process); its badness in *points (OOM_BADNESS_NEVER
 * with no victim). NULL if none may be killed; OOM_SELECT_ABORT if an
 * earlier victim has not exited yet (its memory is on its way back:
 * killing another would be one kill too many).
 * => tasklist_lock held, or procs private to the caller (the ktests).
 */
struct task *oom_select_bad_process(struct list_head *procs, unsigned long total_pages,
				    long *points);

/*
 * out_of_memory - frees memory by killing the worst process: SIGKILL, the
 * console line "Out of memory: Killed process ...", vmstat oom_kill. Does
 * nothing if current is already dying (SIGKILL pending) or an earlier
 * victim has not exited yet. Panics, as Linux does, if no process can be
 * killed. Returns the victim's pid, 0 when it killed no one.
 * => no lock held; may sleep.
 */
int out_of_memory(void);

/*
 * pagefault_out_of_memory - what a user page fault that found no memory
 * does (arch/x86/fault.c): out_of_memory(), then, unless current is the one
 * dying, a one-tick sleep so the victim runs and exits; then the fault is
 * retried. => no lock held; may sleep.
 */
void pagefault_out_of_memory(void);

/* ---- /proc/PID/oom_score_adj, oom_adj, oom_score (fs/procfs.c) ---- */

/* Process pid's oom_score_adj into *adj; 0 or -ESRCH. */
int oom_score_adj_get(int pid, int *adj);
/* Sets process pid's oom_score_adj; 0, -EINVAL outside the range, -ESRCH. */
int oom_score_adj_set(int pid, int adj);
/* Process pid's /proc oom_score (0..OOM_SCORE_MAX, 0 if never chosen), as
 * Linux 6.1's proc_oom_score computes it; 0 or -ESRCH. */
int oom_score_get(int pid, unsigned long *score);

/* Legacy oom_adj <-> oom_score_adj, Linux's scaling (truncating). */
static inline int oom_adj_to_score_adj(int oom_adj)
{
	if (oom_adj == OOM_ADJUST_MAX)
		return OOM_SCORE_ADJ_MAX;
	return oom_adj * OOM_SCORE_ADJ_MAX / -OOM_DISABLE;
}
static inline int oom_score_adj_to_adj(int score_adj)
{
	if (score_adj == OOM_SCORE_ADJ_MAX)
		return OOM_ADJUST_MAX;
	return score_adj * -OOM_DISABLE / OOM_SCORE_ADJ_MAX;
}
static inline bool oom_adj_valid(int oom_adj)
{
	return oom_adj == OOM_DISABLE || (oom_adj >= OOM_ADJUST_MIN && oom_adj <= OOM_ADJUST_MAX);
}

#endif

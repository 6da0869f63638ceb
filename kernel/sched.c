/*
 * kernel/sched.c — preemptive round-robin scheduling of kernel threads.
 *
 * One run queue (FIFO of runnable tasks, current excluded) and one lock,
 * rq_lock, taken with interrupts off. Every context switch happens inside
 * schedule() with rq_lock held and preempt_count == 1, and the new task
 * drops the lock: after switch_to in schedule(), or in schedule_tail() for
 * a task running for the first time.
 *
 * The timer tick (sched_tick) counts down the current task's timeslice
 * and sets need_resched when it runs out or a sleeper's time is up;
 * trap() then calls preempt_schedule_irq() on the way out of the
 * interrupt, unless the interrupted code had preemption disabled.
 *
 * The boot thread becomes the idle task: it is never on the run queue and
 * runs only when nothing else can.
 *
 * Lock order: rq_lock is innermost; wait-queue locks may be held when
 * taking it (wake_up), never the other way round.
 */
#include <kernel/sched.h>
#include <kernel/capability.h>
#include <kernel/spinlock.h>
#include <kernel/printk.h>
#include <kernel/cmdline.h>
#include <arch/x86/cpu.h>
#include <arch/x86/pit.h>
#include <arch/x86/trap.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <libk/string.h>

#define DEFAULT_HZ 100
#define MAX_HZ     10000

volatile int preempt_count;
volatile int need_resched;
volatile unsigned long jiffies;
unsigned hz = DEFAULT_HZ;

struct task *current;
static struct task idle_task;
static DEFINE_SPINLOCK(rq_lock);
static LIST_HEAD(run_queue);
static LIST_HEAD(timed_sleepers);
static LIST_HEAD(all_tasks);
static struct kmem_cache *task_cache;
static int next_tid = 1;
static unsigned task_count;

extern char boot_stack_bottom[];

static int
parse_hz(const char *val)
{
	unsigned long v = strtoul(val, NULL, 10);

	if (v < 10 || v > MAX_HZ)
		return -1;
	hz = v;
	return 0;
}
KERNEL_PARAM("hz", parse_hz, "timer interrupts per second (10-10000, default 100)");

void
preempt_enable(void)
{
	preempt_enable_no_resched();
	if (need_resched && preempt_count == 0 && !irqs_disabled())
		schedule();
}

static void
enqueue_task(struct task *t)
{
	if (!t->on_rq && t != &idle_task) {
		list_add_tail(&t->run_list, &run_queue);
		t->on_rq = true;
	}
}

static struct task *
pick_next_task(void)
{
	struct task *t;

	if (list_empty(&run_queue))
		return &idle_task;
	t = list_first_entry(&run_queue, struct task, run_list);
	list_del(&t->run_list);
	t->on_rq = false;
	return t;
}

void
free_task_struct(struct task *t)
{
	kmem_cache_free(task_cache, t);
}

/* What is left of a task that has run for the last time: its stack, and
 * its struct unless a parent still has to reap it (a process). They are
 * freed once rq_lock is dropped: rq_lock is a leaf of mm/LOCKING.md, and
 * the allocator's locks are not under it. */
struct task_remains {
	void *stack;
	struct task *task;
};

/* Takes a dead task off the scheduler's list. rq_lock held. */
static struct task_remains
unlink_dead_task(struct task *t)
{
	struct task_remains r = { t->stack, t->parent ? NULL : t };

	assert_spin_locked(&rq_lock);
	list_del(&t->all_list);
	task_count--;
	t->stack = NULL;                 /* a reaping parent checks this */
	return r;
}

/* Frees what unlink_dead_task left. rq_lock not held; interrupts still
 * off (see rq_unlock_free_remains). */
static void
free_task_remains(struct task_remains r)
{
	BUG_ON(!irqs_disabled());
	if (r.stack)
		free_pages(r.stack, THREAD_ORDER);
	if (r.task)
		free_task_struct(r.task);
}

static void
check_stack(struct task *t)
{
	if (*(uint32_t *)t->stack != STACK_MAGIC)
		panic("kernel stack overflow in task %d (%s)", t->tid, t->comm);
}

/*
 * finish_switch — runs on the new task's stack right after a switch,
 * with rq_lock held: unlinks the previous task if it has exited, and
 * returns what of it the caller frees after dropping rq_lock.
 */
static struct task_remains
finish_switch(struct task *prev)
{
	struct task_remains none = { NULL, NULL };

	return prev->state == TASK_DEAD ? unlink_dead_task(prev) : none;
}

static struct task *switch_prev;

/*
 * Drops rq_lock, frees what a dead task left (after a switch: the
 * predecessor), and only then restores interrupts. With interrupts off from the switch
 * to the free, no timer can preempt the new task in between, so whoever
 * runs next (a parent that reaped the task, init counting free pages)
 * finds the dead task's memory back. The free comes after rq_lock is
 * dropped: the allocator's locks are not under it in mm/LOCKING.md.
 */
static void
rq_unlock_free_remains(struct task_remains dead, uint32_t flags)
{
	spin_unlock_irqrestore(&rq_lock, flags & ~EFLAGS_IF);   /* irqs stay off */
	free_task_remains(dead);
	local_irq_restore(flags);
}

/* The common body of schedule(); preempted = the task did not choose to stop. */
static void
__schedule(bool preempted)
{
	uint32_t flags = spin_lock_irqsave(&rq_lock);
	struct task *prev = current, *next;
	struct task_remains dead = { NULL, NULL };

	check_stack(prev);
	if (prev->state == TASK_RUNNING || (preempted && prev->state != TASK_DEAD))
		enqueue_task(prev);
	next = pick_next_task();
	need_resched = 0;
	if (next != prev) {
		next->timeslice = DEFAULT_TIMESLICE;
		arch_prepare_switch(next);
		switch_prev = prev;
		current = next;
		switch_to(prev, next);
		/* now running as the task that was switched away from earlier */
		dead = finish_switch(switch_prev);
	}
	rq_unlock_free_remains(dead, flags);
}

void
schedule(void)
{
	BUG_ON(preempt_count != 0);
	__schedule(false);
}

void
preempt_schedule_irq(void)
{
	__schedule(true);
}

/* First code of a new task (from thread_entry): completes __schedule(). */
void schedule_tail(void);
void
schedule_tail(void)
{
	struct task_remains dead;

	if (lockcheck_enabled)           /* the switch took rq_lock for this task */
		lockrank_inherit(&rq_lock.lock_class, rq_lock.name, false);
	dead = finish_switch(switch_prev);
	rq_unlock_free_remains(dead, EFLAGS_IF);
}

void
yield(void)
{
	schedule();
}

bool
wake_up_process(struct task *t)
{
	uint32_t flags = spin_lock_irqsave(&rq_lock);
	bool woke = false;

	if (t->state == TASK_INTERRUPTIBLE || t->state == TASK_UNINTERRUPTIBLE) {
		t->state = TASK_RUNNING;
		if (t != current)
			enqueue_task(t);
		if (current == &idle_task)
			need_resched = 1;
		woke = true;
	}
	spin_unlock_irqrestore(&rq_lock, flags);
	return woke;
}

/* Wakes every timed sleeper whose time has come; called from the tick. */
static void
wake_timed_sleepers(void)
{
	struct task *t, *tmp;

	list_for_each_entry_safe(t, tmp, &timed_sleepers, timer_list) {
		if (time_after_eq(jiffies, t->wake_at)) {
			list_del_init(&t->timer_list);
			wake_up_process(t);
		}
	}
}

static void
sched_tick(struct trapframe *tf)
{
	jiffies++;
	wake_timed_sleepers();
	if (current != &idle_task && current->timeslice && --current->timeslice == 0)
		need_resched = 1;
}

void
schedule_timeout(unsigned long ticks)
{
	current->state = TASK_UNINTERRUPTIBLE;
	schedule_timeout_state(ticks);
}

void
schedule_timeout_state(unsigned long ticks)
{
	uint32_t flags = local_irq_save();

	current->wake_at = jiffies + ticks;
	list_add_tail(&current->timer_list, &timed_sleepers);
	local_irq_restore(flags);
	schedule();
	flags = local_irq_save();
	list_del_init(&current->timer_list);     /* in case of an early wake */
	local_irq_restore(flags);
}

void
msleep(unsigned ms)
{
	schedule_timeout((ms * hz + 999) / 1000);
}

static void
task_init_common(struct task *t, const char *name)
{
	t->state = TASK_RUNNING;
	t->on_rq = false;
	t->tid = next_tid++;
	strlcpy(t->comm, name, sizeof(t->comm));
	INIT_LIST_HEAD(&t->run_list);
	INIT_LIST_HEAD(&t->timer_list);
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->process_link);
	t->pid = t->tid;
	list_add_tail(&t->all_list, &all_tasks);
	task_count++;
}

struct task *
task_create(const char *name)
{
	struct task *t = kmem_cache_zalloc(task_cache);
	uint32_t flags;

	if (!t)
		return NULL;
	t->stack = get_free_pages(GFP_KERNEL, THREAD_ORDER);
	if (!t->stack) {
		kmem_cache_free(task_cache, t);
		return NULL;
	}
	*(uint32_t *)t->stack = STACK_MAGIC;
	caps_init(t);                            /* as Linux's init_cred; fork copies the parent's */
	flags = spin_lock_irqsave(&rq_lock);
	task_init_common(t, name);
	spin_unlock_irqrestore(&rq_lock, flags);
	return t;
}

void
task_destroy_unstarted(struct task *t)
{
	uint32_t flags = spin_lock_irqsave(&rq_lock);
	struct task_remains r;

	BUG_ON(t->on_rq || t == current);
	t->parent = NULL;
	r = unlink_dead_task(t);
	rq_unlock_free_remains(r, flags);
}

void
wake_up_new_task(struct task *t)
{
	uint32_t flags = spin_lock_irqsave(&rq_lock);

	enqueue_task(t);
	spin_unlock_irqrestore(&rq_lock, flags);
}

struct task *
kthread_run(int (*fn)(void *), void *arg, const char *name)
{
	struct task *t = task_create(name);

	if (!t)
		return NULL;
	arch_thread_setup(t, fn, arg);
	wake_up_new_task(t);
	return t;
}

void
task_exit_final(void)
{
	local_irq_disable();
	current->state = TASK_DEAD;
	__schedule(false);
	BUG();
}

void
kthread_exit(int code)
{
	task_exit_final();
}

unsigned
nr_tasks(void)
{
	return task_count;
}

void
cpu_idle(void)
{
	for (;;) {
		local_irq_disable();
		if (list_empty(&run_queue) && !need_resched) {
			/* sti takes effect after hlt starts: no wakeup is lost */
			__asm__ volatile("sti; hlt" : : : "memory");
			continue;
		}
		local_irq_enable();
		schedule();
	}
}

void
sched_init(void)
{
	task_cache = kmem_cache_create("task", sizeof(struct task), 0);
	BUG_ON(!task_cache);
	idle_task.stack = boot_stack_bottom;
	*(uint32_t *)idle_task.stack = STACK_MAGIC;
	task_init_common(&idle_task, "idle");
	idle_task.tid = idle_task.pid = 0;
	next_tid = 1;
	current = &idle_task;
	irq_register(0, sched_tick);
	pit_init(hz);
}

/*
 * kernel/mutex.c — sleeping locks with direct hand-off: mutex_unlock()
 * gives the lock to the first waiter itself, so a stream of new lockers
 * cannot starve a sleeper.
 *
 * wait_lock guards owner and waiters. On one CPU all it does is turn
 * interrupts off (no one else runs while they are off, so no one else can
 * hold it then), so an uncontended lock and unlock only turn interrupts
 * off around their test of owner; the wait_lock proper is for sleepers.
 */
#include <kernel/mutex.h>
#include <kernel/sched.h>

struct mutex_waiter {
	struct task *task;
	struct list_head link;
};

void
mutex_init(struct mutex *m, const char *name)
{
	spin_lock_init_class(&m->wait_lock, name, LC_MUTEX_WAIT);
	m->owner = NULL;
	INIT_LIST_HEAD(&m->waiters);
	m->name = name;
	m->lock_class = LOCK_CLASS_UNRESOLVED;
}

bool
mutex_trylock(struct mutex *m)
{
	uint32_t flags = spin_lock_irqsave(&m->wait_lock);
	bool got = m->owner == NULL;

	if (got)
		m->owner = current;
	spin_unlock_irqrestore(&m->wait_lock, flags);
	if (got && __builtin_expect(lockcheck_enabled, 0))
		lockrank_trylock_acquired(&m->lock_class, m->name, true, m);
	return got;
}

void
mutex_lock(struct mutex *m)
{
	struct mutex_waiter w = { current, LIST_HEAD_INIT(w.link) };
	uint32_t flags;

	might_sleep();
	if (__builtin_expect(lockcheck_enabled, 0))
		lockrank_acquire(&m->lock_class, m->name, true, m);
	flags = local_irq_save();                /* uncontended: wait_lock not needed */
	if (__builtin_expect(!m->owner, 1)) {
		m->owner = current;
		local_irq_restore(flags);
		return;
	}
	local_irq_restore(flags);
	flags = spin_lock_irqsave(&m->wait_lock);
	if (m->owner == current)
		panic("mutex %s: recursive lock by task %d", m->name, current->tid);
	if (!m->owner) {
		m->owner = current;
		spin_unlock_irqrestore(&m->wait_lock, flags);
		return;
	}
	list_add_tail(&w.link, &m->waiters);
	while (m->owner != current) {      /* the unlocker hands it over */
		current->state = TASK_UNINTERRUPTIBLE;
		spin_unlock_irqrestore(&m->wait_lock, flags);
		schedule();
		flags = spin_lock_irqsave(&m->wait_lock);
	}
	current->state = TASK_RUNNING;
	spin_unlock_irqrestore(&m->wait_lock, flags);
}

void
mutex_unlock(struct mutex *m)
{
	uint32_t flags;
	struct mutex_waiter *w;

	if (m->owner != current)
		panic("mutex %s: unlocked by task %d, not its owner", m->name, current->tid);
	if (__builtin_expect(lockcheck_enabled, 0))
		lockrank_release(&m->lock_class, m->name, true);
	flags = local_irq_save();                /* no waiter: wait_lock not needed */
	if (__builtin_expect(list_empty(&m->waiters), 1)) {
		m->owner = NULL;
		local_irq_restore(flags);
		return;
	}
	local_irq_restore(flags);
	flags = spin_lock_irqsave(&m->wait_lock);
	if (list_empty(&m->waiters)) {
		m->owner = NULL;
	} else {
		w = list_first_entry(&m->waiters, struct mutex_waiter, link);
		list_del_init(&w->link);
		m->owner = w->task;
		wake_up_process(w->task);
	}
	spin_unlock_irqrestore(&m->wait_lock, flags);
}

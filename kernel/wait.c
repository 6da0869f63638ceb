/*
 * kernel/wait.c — wait queues and completions (see wait.h).
 * Lock order: wq->lock, then the scheduler's rq_lock (inside wake_up_process).
 */
#include <kernel/wait.h>

void
init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init_class(&wq->lock, "waitqueue", LC_WAITQUEUE);
	INIT_LIST_HEAD(&wq->waiters);
}

/* Queues e (once) and marks the current task asleep; the caller then
 * re-checks its condition and calls schedule() if it still does not hold. */
void
prepare_to_wait(struct wait_queue_head *wq, struct wait_entry *e, enum task_state state)
{
	uint32_t flags = spin_lock_irqsave(&wq->lock);

	if (list_empty(&e->link))
		list_add_tail(&e->link, &wq->waiters);
	current->state = state;
	spin_unlock_irqrestore(&wq->lock, flags);
}

void
finish_wait(struct wait_queue_head *wq, struct wait_entry *e)
{
	uint32_t flags = spin_lock_irqsave(&wq->lock);

	current->state = TASK_RUNNING;
	list_del_init(&e->link);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void
wake_up(struct wait_queue_head *wq)
{
	uint32_t flags = spin_lock_irqsave(&wq->lock);
	struct wait_entry *e;

	list_for_each_entry(e, &wq->waiters, link)
		wake_up_process(e->task);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void
init_completion(struct completion *c)
{
	c->done = 0;
	init_waitqueue_head(&c->wait);
}

void
wait_for_completion(struct completion *c)
{
	uint32_t flags;

	wait_event(c->wait, c->done > 0);
	flags = spin_lock_irqsave(&c->wait.lock);
	c->done--;
	spin_unlock_irqrestore(&c->wait.lock, flags);
}

void
complete(struct completion *c)
{
	uint32_t flags = spin_lock_irqsave(&c->wait.lock);

	c->done++;
	spin_unlock_irqrestore(&c->wait.lock, flags);
	wake_up(&c->wait);
}

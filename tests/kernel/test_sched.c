/*
 * tests/kernel/test_sched.c — kernel threads, preemption, wait queues,
 * sleeping and the mutex.
 */
#include <kernel/ktest.h>
#include <kernel/sched.h>
#include <kernel/wait.h>
#include <kernel/mutex.h>

/* ---- two threads that sleep and wake each other in turn ---- */

#define PING_PONG_ROUNDS 200

struct ping_pong {
	struct wait_queue_head wq;
	volatile unsigned turn;          /* even: ping's turn, odd: pong's */
	unsigned order_errors;
	struct completion done;
};

static void
play(struct ping_pong *pp, unsigned parity)
{
	for (unsigned i = 0; i < PING_PONG_ROUNDS; i++) {
		wait_event(pp->wq, (pp->turn & 1) == parity);
		if ((pp->turn & 1) != parity)
			pp->order_errors++;
		pp->turn++;
		wake_up(&pp->wq);
	}
	complete(&pp->done);
}

static int ping(void *arg) { play(arg, 0); return 0; }
static int pong(void *arg) { play(arg, 1); return 0; }

KTEST(sched_ping_pong)
{
	static struct ping_pong pp;

	init_waitqueue_head(&pp.wq);
	init_completion(&pp.done);
	pp.turn = 0;
	pp.order_errors = 0;
	KT_CHECK(kthread_run(pong, &pp, "pong") && kthread_run(ping, &pp, "ping"),
		 "cannot create threads");
	wait_for_completion(&pp.done);
	wait_for_completion(&pp.done);
	KT_CHECK(pp.turn == 2 * PING_PONG_ROUNDS, "turn is %u, expected %u", pp.turn,
		 2 * PING_PONG_ROUNDS);
	KT_CHECK(pp.order_errors == 0, "%u turns taken out of order", pp.order_errors);
}

/* ---- preemption: threads that never yield still share the CPU ---- */

struct spinner {
	volatile unsigned long count;
	volatile bool stop;
	struct completion done;
};

static int
spin_thread(void *arg)
{
	struct spinner *s = arg;

	while (!s->stop)
		s->count++;
	complete(&s->done);
	return 0;
}

KTEST(sched_preemption)
{
	static struct spinner s[2];
	unsigned long start = jiffies;

	for (int i = 0; i < 2; i++) {
		s[i].count = 0;
		s[i].stop = false;
		init_completion(&s[i].done);
		KT_CHECK(kthread_run(spin_thread, &s[i], "spinner"), "cannot create thread");
	}
	msleep(300);                 /* only the timer can bring us back here */
	for (int i = 0; i < 2; i++)
		s[i].stop = true;
	for (int i = 0; i < 2; i++)
		wait_for_completion(&s[i].done);
	KT_CHECK(s[0].count > 0 && s[1].count > 0,
		 "a busy thread never ran (counts %lu, %lu)", s[0].count, s[1].count);
	KT_CHECK(time_after_eq(jiffies, start + hz * 300 / 1000),
		 "msleep(300) returned after %lu ticks", jiffies - start);
}

/* ---- the mutex: mutual exclusion across sleeping holders ---- */

#define MUTEX_THREADS 6
#define MUTEX_ROUNDS 300

struct mutex_test {
	struct mutex lock;
	volatile unsigned inside;        /* threads inside the critical section */
	volatile unsigned counter;
	unsigned violations;
	struct completion done;
};

static int
mutex_worker(void *arg)
{
	struct mutex_test *mt = arg;

	for (unsigned i = 0; i < MUTEX_ROUNDS; i++) {
		mutex_lock(&mt->lock);
		if (mt->inside++ != 0)
			mt->violations++;
		unsigned v = mt->counter;
		if (i % 8 == 0)
			yield();             /* hold the lock across a switch */
		mt->counter = v + 1;
		mt->inside--;
		mutex_unlock(&mt->lock);
	}
	complete(&mt->done);
	return 0;
}

KTEST(sched_mutex)
{
	static struct mutex_test mt;

	mutex_init(&mt.lock, "ktest");
	mt.inside = mt.counter = mt.violations = 0;
	init_completion(&mt.done);
	for (int i = 0; i < MUTEX_THREADS; i++)
		KT_CHECK(kthread_run(mutex_worker, &mt, "mutex"), "cannot create thread");
	for (int i = 0; i < MUTEX_THREADS; i++)
		wait_for_completion(&mt.done);
	KT_CHECK(mt.violations == 0, "%u times two threads held the mutex", mt.violations);
	KT_CHECK(mt.counter == MUTEX_THREADS * MUTEX_ROUNDS, "counter %u, expected %u",
		 mt.counter, MUTEX_THREADS * MUTEX_ROUNDS);
	KT_CHECK(!mutex_is_locked(&mt.lock), "mutex still locked");
}

/* ---- many threads come and go; every one is freed ---- */

#define MANY_THREADS 100

static int
short_lived(void *arg)
{
	struct completion *c = arg;

	msleep(10);
	complete(c);
	return 0;
}

KTEST(sched_many_threads)
{
	static struct completion c;
	unsigned before = nr_tasks();

	init_completion(&c);
	for (int i = 0; i < MANY_THREADS; i++)
		KT_CHECK(kthread_run(short_lived, &c, "short"), "thread %d not created", i);
	KT_CHECK(nr_tasks() >= before + MANY_THREADS, "only %u tasks exist", nr_tasks());
	for (int i = 0; i < MANY_THREADS; i++)
		wait_for_completion(&c);
	while (nr_tasks() > before)
		msleep(1);
	KT_CHECK(nr_tasks() == before, "%u tasks left", nr_tasks());
}

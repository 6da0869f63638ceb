/*
 * tests/host/test_list.c — the intrusive list against an array model:
 * random adds at head and tail, deletions (also while iterating with
 * list_for_each_entry_safe) and moves, checked in both directions.
 */
#include "hosttest.h"
#include <libk/list.h>
#include <libk/random.h>
#include <string.h>
#include <stdint.h>

#define NODES 64
#define STEPS 20000

struct node {
	int id;
	struct list_head link;
};

static struct node nodes[NODES];
static int model[NODES];
static int model_len;
static LIST_HEAD(head);

static uint32_t seed = 2024;         /* of the xorshift32 stream (libk/random.h) */

static int
model_find(int id)
{
	for (int i = 0; i < model_len; i++)
		if (model[i] == id)
			return i;
	return -1;
}

static void
model_remove(int i)
{
	memmove(&model[i], &model[i + 1], (model_len - i - 1) * sizeof(model[0]));
	model_len--;
}

static void
check_list(void)
{
	struct node *n;
	int i = 0;

	list_for_each_entry(n, &head, link) {
		CHECK(i < model_len && model[i] == n->id, "forward position %d: got %d", i, n->id);
		i++;
	}
	CHECK(i == model_len, "forward walk saw %d nodes, model has %d", i, model_len);
	list_for_each_entry_reverse(n, &head, link) {
		i--;
		CHECK(model[i] == n->id, "backward position %d: got %d", i, n->id);
	}
	CHECK(list_empty(&head) == (model_len == 0), "list_empty disagrees");
}

static void
case_random_ops(void)
{
	INIT_LIST_HEAD(&head);
	model_len = 0;
	for (int i = 0; i < NODES; i++) {
		nodes[i].id = i;
		INIT_LIST_HEAD(&nodes[i].link);
	}
	for (int step = 0; step < STEPS; step++) {
		int id = random_below(&seed, NODES), at = model_find(id);

		if (at < 0 && random_below(&seed, 2)) {
			list_add(&nodes[id].link, &head);
			memmove(&model[1], &model[0], model_len * sizeof(model[0]));
			model[0] = id;
			model_len++;
		} else if (at < 0) {
			list_add_tail(&nodes[id].link, &head);
			model[model_len++] = id;
		} else if (random_below(&seed, 2)) {
			list_del_init(&nodes[id].link);
			CHECK(list_empty(&nodes[id].link), "list_del_init left the node linked");
			model_remove(at);
		} else {
			list_move_tail(&nodes[id].link, &head);
			model_remove(at);
			model[model_len++] = id;
		}
		check_list();
	}
}

static void
case_delete_while_iterating(void)
{
	struct node *n, *tmp;

	INIT_LIST_HEAD(&head);
	model_len = 0;
	for (int i = 0; i < NODES; i++) {
		nodes[i].id = i;
		list_add_tail(&nodes[i].link, &head);
		model[model_len++] = i;
	}
	list_for_each_entry_safe(n, tmp, &head, link) {
		if (n->id % 3 == 0) {
			list_del(&n->link);
			model_remove(model_find(n->id));
		}
	}
	check_list();
	CHECK(model_len == NODES - (NODES + 2) / 3, "%d nodes left", model_len);
}

int
main(void)
{
	RUN_CASE("list_random_ops", case_random_ops);
	RUN_CASE("list_delete_while_iterating", case_delete_while_iterating);
	HOSTTEST_EXIT();
}

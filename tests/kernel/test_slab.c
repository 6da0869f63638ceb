/*
 * tests/kernel/test_slab.c — slab caches and kmalloc under stress:
 * thousands of objects tagged with their own index, freed in random
 * order, each tag checked before it is freed.
 */
#include <kernel/ktest.h>
#include <mm/slab.h>
#include <mm/page_alloc.h>
#include <libk/random.h>
#include <libk/string.h>

#define SLAB_STRESS_OBJECTS 4000

static void *objs[SLAB_STRESS_OBJECTS];

static void
tag_object(void *obj, size_t size, uint32_t tag)
{
	uint32_t *w = obj;

	for (size_t i = 0; i < size / 4; i++)
		w[i] = tag ^ (uint32_t)i;
}

static bool
object_intact(const void *obj, size_t size, uint32_t tag)
{
	const uint32_t *w = obj;

	for (size_t i = 0; i < size / 4; i++)
		if (w[i] != (tag ^ (uint32_t)i))
			return false;
	return true;
}

static void
shuffle(void **a, unsigned n, uint32_t *seed)
{
	for (unsigned i = n - 1; i > 0; i--) {
		unsigned j = random_below(seed, i + 1);
		void *t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

KTEST(slab_stress)
{
	static const size_t sizes[] = { 4, 24, 96, 200, 1000, 3000 };
	uint32_t seed = 777;

	for (unsigned s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct kmem_cache *c = kmem_cache_create("ktest-slab", sizes[s], 0);
		unsigned bad = 0;

		KT_CHECK(c, "kmem_cache_create(%u) failed", (unsigned)sizes[s]);
		for (unsigned i = 0; i < SLAB_STRESS_OBJECTS; i++) {
			objs[i] = kmem_cache_alloc(c);
			KT_CHECK(objs[i], "allocation %u of size %u failed", i, (unsigned)sizes[s]);
			tag_object(objs[i], sizes[s], (uint32_t)(uintptr_t)objs[i]);
		}
		KT_CHECK(c->active_objects == SLAB_STRESS_OBJECTS, "active_objects %lu",
			 c->active_objects);
		shuffle(objs, SLAB_STRESS_OBJECTS, &seed);
		for (unsigned i = 0; i < SLAB_STRESS_OBJECTS; i++) {
			bad += !object_intact(objs[i], sizes[s], (uint32_t)(uintptr_t)objs[i]);
			kmem_cache_free(c, objs[i]);
		}
		KT_CHECK(bad == 0, "%u objects of size %u were overwritten", bad, (unsigned)sizes[s]);
		KT_CHECK(c->active_objects == 0, "active_objects %lu after freeing all",
			 c->active_objects);
		kmem_cache_destroy(c);
	}
}

KTEST(kmalloc_sizes)
{
	uint32_t seed = 4242;
	unsigned bad = 0;

	for (unsigned round = 0; round < 4; round++) {
		for (unsigned i = 0; i < 1000; i++) {
			size_t size = 1 + random_below(&seed, 6000);

			objs[i] = kmalloc(size, GFP_KERNEL);
			KT_CHECK(objs[i], "kmalloc(%u) failed", (unsigned)size);
			KT_CHECK(ksize(objs[i]) >= size, "ksize %u < %u", (unsigned)ksize(objs[i]),
				 (unsigned)size);
			tag_object(objs[i], size & ~3u, i);
			objs[SLAB_STRESS_OBJECTS - 1 - i] = (void *)size;
		}
		for (unsigned i = 0; i < 1000; i++) {
			size_t size = (size_t)objs[SLAB_STRESS_OBJECTS - 1 - i];

			bad += !object_intact(objs[i], size & ~3u, i);
			kfree(objs[i]);
		}
	}
	KT_CHECK(bad == 0, "%u kmalloc blocks were overwritten", bad);
	void *z = kzalloc(512, GFP_KERNEL);
	KT_CHECK(z, "kzalloc failed");
	for (unsigned i = 0; i < 512; i++)
		if (((unsigned char *)z)[i]) {
			kfree(z);
			KT_CHECK(false, "kzalloc byte %u is not zero", i);
		}
	kfree(z);
}

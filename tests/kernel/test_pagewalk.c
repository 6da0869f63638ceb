/*
 * tests/kernel/test_pagewalk.c — walk_page_range (mm/pagewalk.h): which
 * callback sees which piece of a range, cut at page-table boundaries; a
 * missing table skipped in one step; a callback's error ending the walk;
 * and a range that ends in the last page table of the address space,
 * where the next table boundary does not fit in 32 bits.
 */
#include <kernel/ktest.h>
#include <mm/mm.h>
#include <mm/mman.h>
#include <mm/memory.h>
#include <mm/pagewalk.h>
#include <mm/pgtable.h>

#define WALK_BASE     0x40000000u               /* table-aligned */
#define MAX_PIECES    16
#define TOP_TABLE     (0u - PGDIR_SIZE)          /* the last page table's first address */
#define STOP_CODE     7

enum piece_kind { PIECE_TABLE, PIECE_HOLE };

/* What the callbacks saw, in order. */
struct walk_log {
	int n;
	struct { enum piece_kind kind; uint32_t addr, end; bool slot_ok; } piece[MAX_PIECES];
	uint32_t entries;                        /* pte_entry calls */
	uint32_t next_entry;                     /* the address pte_entry should see next */
	bool entries_in_order;
	uint32_t stop_at;                        /* a piece starting here returns STOP_CODE */
};

static int
log_piece(struct mm_walk *walk, enum piece_kind kind, uint32_t addr, uint32_t end, bool slot_ok)
{
	struct walk_log *log = walk->private;

	if (log->n < MAX_PIECES) {
		log->piece[log->n].kind = kind;
		log->piece[log->n].addr = addr;
		log->piece[log->n].end = end;
		log->piece[log->n].slot_ok = slot_ok;
	}
	log->n++;
	return addr == log->stop_at ? STOP_CODE : 0;
}

static int
log_table(pte_t *ptep, uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	return log_piece(walk, PIECE_TABLE, addr, end, ptep == pte_lookup(walk->mm->pgd, addr));
}

static int
log_hole(uint32_t addr, uint32_t end, struct mm_walk *walk)
{
	struct walk_log *log = walk->private;

	log->next_entry = end;                   /* pte_entry goes on after the hole */
	return log_piece(walk, PIECE_HOLE, addr, end, true);
}

static int
log_entry(pte_t *ptep, uint32_t addr, struct mm_walk *walk)
{
	struct walk_log *log = walk->private;

	if (addr != log->next_entry || ptep != pte_lookup(walk->mm->pgd, addr))
		log->entries_in_order = false;
	log->next_entry = addr + PAGE_SIZE;
	log->entries++;
	return 0;
}

static const struct mm_walk_ops table_ops = { .pte_table = log_table, .pte_hole = log_hole };
static const struct mm_walk_ops entry_ops = { .pte_entry = log_entry, .pte_hole = log_hole,
					      .flags = WALK_LOCK_PTL };

static int
walk_locked(struct mm_struct *mm, uint32_t start, uint32_t end, const struct mm_walk_ops *ops,
	    struct walk_log *log)
{
	int ret;

	mutex_lock(&mm->mmap_lock);
	ret = walk_page_range(mm, start, end, ops, log);
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

static bool
piece_is(const struct walk_log *log, int i, enum piece_kind kind, uint32_t addr, uint32_t end)
{
	return i < log->n && log->piece[i].kind == kind && log->piece[i].addr == addr &&
	       log->piece[i].end == end && log->piece[i].slot_ok;
}

/* An mm with one page touched in the tables of WALK_BASE and WALK_BASE + 2 tables. */
static struct mm_struct *
mm_with_two_tables(void)
{
	struct mm_struct *mm = mm_alloc();
	enum fault_result r1, r2;

	if (!mm)
		return NULL;
	if (do_mmap(mm, WALK_BASE, 3 * PGDIR_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0) != (long)WALK_BASE) {
		mmput(mm);
		return NULL;
	}
	mutex_lock(&mm->mmap_lock);
	r1 = handle_mm_fault(mm, WALK_BASE + PAGE_SIZE, FAULT_WRITE);
	r2 = handle_mm_fault(mm, WALK_BASE + 2 * PGDIR_SIZE, FAULT_WRITE);
	mutex_unlock(&mm->mmap_lock);
	if (r1 != FAULT_HANDLED || r2 != FAULT_HANDLED) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

KTEST(pagewalk_tables_and_holes)
{
	struct mm_struct *mm = mm_with_two_tables();
	uint32_t start = WALK_BASE + 3 * PAGE_SIZE, end = WALK_BASE + 2 * PGDIR_SIZE + 5 * PAGE_SIZE;
	struct walk_log log = { 0 };

	KT_CHECK(mm, "could not build the test mm");
	KT_CHECK(walk_locked(mm, start, end, &table_ops, &log) == 0, "walk failed");
	KT_CHECK(log.n == 3, "%d pieces, expected 3", log.n);
	KT_CHECK(piece_is(&log, 0, PIECE_TABLE, start, WALK_BASE + PGDIR_SIZE),
		 "first piece: not the rest of the first table");
	KT_CHECK(piece_is(&log, 1, PIECE_HOLE, WALK_BASE + PGDIR_SIZE, WALK_BASE + 2 * PGDIR_SIZE),
		 "second piece: not the missing table as one hole");
	KT_CHECK(piece_is(&log, 2, PIECE_TABLE, WALK_BASE + 2 * PGDIR_SIZE, end),
		 "third piece: not the start of the third table");
	mmput(mm);
}

KTEST(pagewalk_entries_in_order)
{
	struct mm_struct *mm = mm_with_two_tables();
	uint32_t start = WALK_BASE + PGDIR_SIZE - 2 * PAGE_SIZE, end = WALK_BASE + 2 * PGDIR_SIZE + 3 * PAGE_SIZE;
	struct walk_log log = { .next_entry = start, .entries_in_order = true };

	KT_CHECK(mm, "could not build the test mm");
	KT_CHECK(walk_locked(mm, start, end, &entry_ops, &log) == 0, "walk failed");
	KT_CHECK(log.entries == 5, "%u pte_entry calls, expected 2 + 3", log.entries);
	KT_CHECK(log.entries_in_order, "pte_entry saw a page out of order or a wrong slot");
	KT_CHECK(log.next_entry == end, "the entries stopped at %#x", log.next_entry);
	KT_CHECK(log.n == 1 && piece_is(&log, 0, PIECE_HOLE, WALK_BASE + PGDIR_SIZE, WALK_BASE + 2 * PGDIR_SIZE),
		 "the missing table was not one hole (%d pieces)", log.n);
	mmput(mm);
}

KTEST(pagewalk_callback_error_stops)
{
	struct mm_struct *mm = mm_with_two_tables();
	struct walk_log log = { .stop_at = WALK_BASE + PGDIR_SIZE };
	int ret;

	KT_CHECK(mm, "could not build the test mm");
	ret = walk_locked(mm, WALK_BASE, WALK_BASE + 3 * PGDIR_SIZE, &table_ops, &log);
	KT_CHECK(ret == STOP_CODE, "walk returned %d, not the callback's %d", ret, STOP_CODE);
	KT_CHECK(log.n == 2, "%d pieces visited; the walk went on after the error", log.n);
	mmput(mm);
}

/* The last table: its boundary is 2^32, which wraps to 0. A walker that
 * computes "next table" naively walks on from address 0. */
KTEST(pagewalk_top_of_address_space)
{
	struct mm_struct *mm = mm_alloc();
	uint32_t start = TOP_TABLE - PGDIR_SIZE, end = 0u - PAGE_SIZE;
	struct walk_log log = { 0 };

	KT_CHECK(mm, "mm_alloc failed");
	KT_CHECK(walk_locked(mm, start, end, &table_ops, &log) == 0, "walk failed");
	KT_CHECK(log.n == 2, "%d pieces for the last two tables, expected 2", log.n);
	KT_CHECK(log.piece[0].addr == start && log.piece[0].end == TOP_TABLE,
		 "first piece [%#x, %#x)", log.piece[0].addr, log.piece[0].end);
	KT_CHECK(log.piece[1].addr == TOP_TABLE && log.piece[1].end == end,
		 "last piece [%#x, %#x)", log.piece[1].addr, log.piece[1].end);
	log.n = 0;
	KT_CHECK(walk_locked(mm, end, end, &table_ops, &log) == 0 && log.n == 0,
		 "an empty range visited %d pieces", log.n);
	mmput(mm);
}

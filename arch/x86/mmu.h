/*
 * arch/x86/mmu.h — two-level i386 paging: entry layouts and accessors.
 *
 * A 32-bit linear address splits as
 *
 *    31          22 21          12 11           0
 *   +--------------+--------------+--------------+
 *   |  PDE index   |  PTE index   | page offset  |
 *   +--------------+--------------+--------------+
 *
 * A present PTE (and a PDE pointing at a page table):
 *
 *    31                     12 11  9 8 7 6 5 4 3 2 1 0
 *   +-------------------------+-----+-+-+-+-+-+-+-+-+-+
 *   | frame number            | AVL |G|S|D|A|C|W|U|W|P|
 *   +-------------------------+-----+-+-+-+-+-+-+-+-+-+
 *     P present, W writable, U user, W(3) write-through, C cache disable,
 *     A accessed, D dirty, S page size (4 MiB, PDE only; PAT in a PTE),
 *     G global (survives CR3 reload)
 *
 * A non-present PTE is ignored by the CPU, so its other bits are ours:
 *
 *    31                     12 11      9 8 7         1 0
 *   +-------------------------+---------+-+-----------+-+
 *   | frame number            |    0    |N|     0     |0|   PROT_NONE: the page is
 *   +-------------------------+---------+-+-----------+-+   mapped but inaccessible
 *     N = _PAGE_PROTNONE (bit 8, the G bit of a present entry)
 *
 *    31                           9 8 7   6 5       1 0
 *   +------------------------------+-+-----+---------+-+
 *   | offset (23 bits)             |0|  0  |  type   |0|   a swap entry: where the
 *   +------------------------------+-+-----+---------+-+   page went (swap slot, or
 *     type 1..31, so the entry is never 0 (pte_none)         migration: offset = pfn)
 *
 *    31                           9 8 7 6 5       1 0
 *   +------------------------------+-+-+-+---------+-+
 *   | pgoff bits 28..6 (23 bits)   |0|c|F|pgoff 4..0|0|   a file PTE: the file page
 *   +------------------------------+-+-+-+---------+-+   a nonlinear mapping shows
 *     F = _PAGE_FILE (bit 6, the D bit of a present entry); c = pgoff bit 5;
 *     29 bits of file page offset (PTE_FILE_MAX_BITS): up to 2 TiB
 *
 * pte_present() asks the hardware question (can the CPU use it);
 * pte_mapped() asks the memory-management one (does it hold a page);
 * pte_is_swap() says it holds a swap entry instead (mm/swapops.h), and
 * pte_file() that it holds a file offset (a nonlinear VMA's page that is
 * not mapped now: mm/fremap.c). The three are mutually exclusive.
 *
 * Everything outside arch/x86 reaches page tables only through the types
 * and accessors below, so that PAE (64-bit entries) could replace them.
 * The generic meaning of swap entries (which types are migration
 * entries) lives in mm/swapops.h; only the bit layout is here.
 */
#ifndef ARCH_X86_MMU_H
#define ARCH_X86_MMU_H

#define PAGE_SHIFT   12
#define PAGE_SIZE    (1u << PAGE_SHIFT)
#define PAGE_MASK    (~(PAGE_SIZE - 1))
#define PGDIR_SHIFT  22
#define PGDIR_SIZE   (1u << PGDIR_SHIFT)
#define PTRS_PER_PTE 1024
#define PTRS_PER_PGD 1024

#define _PAGE_PRESENT  0x001u
#define _PAGE_RW       0x002u
#define _PAGE_USER     0x004u
#define _PAGE_PWT      0x008u
#define _PAGE_PCD      0x010u
#define _PAGE_ACCESSED 0x020u
#define _PAGE_DIRTY    0x040u
#define _PAGE_PSE      0x080u
#define _PAGE_GLOBAL   0x100u
#define _PAGE_PROTNONE _PAGE_GLOBAL   /* only meaningful when not present */
#define _PAGE_FILE     _PAGE_DIRTY    /* only meaningful when not present */

#define CR0_PE 0x00000001u
#define CR0_WP 0x00010000u
#define CR0_PG 0x80000000u
#define CR4_PSE 0x00000010u
#define CR4_PGE 0x00000080u

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <stdbool.h>

typedef struct { uint32_t pte; } pte_t;
typedef struct { uint32_t pgd; } pgd_t;
typedef uint32_t pteval_t;

#define PAGE_ALIGN(x)       (((x) + PAGE_SIZE - 1) & PAGE_MASK)
#define PAGE_ALIGNED(x)     (((x) & (PAGE_SIZE - 1)) == 0)
#define pgd_index(va)       ((uint32_t)(va) >> PGDIR_SHIFT)
#define pte_index(va)       (((uint32_t)(va) >> PAGE_SHIFT) & (PTRS_PER_PTE - 1))

/* Protections, as sets of PTE bits. */
#define PAGE_KERNEL         (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL)
#define PAGE_TABLE_KERNEL   (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)

static inline pte_t pfn_pte(uint32_t pfn, pteval_t prot)
{
	return (pte_t){ (pfn << PAGE_SHIFT) | prot };
}
static inline uint32_t pte_pfn(pte_t pte)   { return pte.pte >> PAGE_SHIFT; }
static inline bool pte_none(pte_t pte)      { return pte.pte == 0; }
static inline bool pte_present(pte_t pte)   { return pte.pte & _PAGE_PRESENT; }
static inline bool pte_protnone(pte_t pte)  { return (pte.pte & (_PAGE_PRESENT | _PAGE_PROTNONE)) == _PAGE_PROTNONE; }
static inline bool pte_mapped(pte_t pte)    { return pte_present(pte) || pte_protnone(pte); }
static inline bool pte_write(pte_t pte)     { return pte.pte & _PAGE_RW; }
static inline bool pte_user(pte_t pte)      { return pte.pte & _PAGE_USER; }
static inline bool pte_young(pte_t pte)     { return pte.pte & _PAGE_ACCESSED; }
static inline bool pte_dirty(pte_t pte)     { return pte.pte & _PAGE_DIRTY; }
static inline pte_t pte_mkwrite(pte_t pte)  { return (pte_t){ pte.pte | _PAGE_RW }; }
static inline pte_t pte_wrprotect(pte_t pte){ return (pte_t){ pte.pte & ~_PAGE_RW }; }
static inline pte_t pte_mkold(pte_t pte)    { return (pte_t){ pte.pte & ~_PAGE_ACCESSED }; }
static inline pte_t pte_mkclean(pte_t pte)  { return (pte_t){ pte.pte & ~_PAGE_DIRTY }; }

#define SWP_TYPE_SHIFT   1
#define SWP_TYPE_BITS    5
#define SWP_OFFSET_SHIFT 9
#define SWP_OFFSET_BITS  23
/* A non-present PTE holding swap entry (type, offset); type must be non-zero. */
static inline pte_t swp_pte(uint32_t type, uint32_t offset)
{
	return (pte_t){ (type << SWP_TYPE_SHIFT) | (offset << SWP_OFFSET_SHIFT) };
}
static inline bool pte_file(pte_t pte)
{
	return (pte.pte & (_PAGE_PRESENT | _PAGE_PROTNONE | _PAGE_FILE)) == _PAGE_FILE;
}
static inline bool pte_is_swap(pte_t pte)   { return !pte_none(pte) && !pte_mapped(pte) && !pte_file(pte); }
static inline uint32_t pte_swp_type(pte_t pte)   { return (pte.pte >> SWP_TYPE_SHIFT) & ((1u << SWP_TYPE_BITS) - 1); }
static inline uint32_t pte_swp_offset(pte_t pte) { return pte.pte >> SWP_OFFSET_SHIFT; }

#define PTE_FILE_MAX_BITS 29
/* A file PTE for file page pgoff (< 2^PTE_FILE_MAX_BITS), and back. */
static inline pte_t pgoff_to_pte(uint32_t pgoff)
{
	return (pte_t){ ((pgoff & 0x1fu) << 1) | (((pgoff >> 5) & 1u) << 7) | ((pgoff >> 6) << 9) |
			_PAGE_FILE };
}
static inline uint32_t pte_to_pgoff(pte_t pte)
{
	return ((pte.pte >> 1) & 0x1fu) | (((pte.pte >> 7) & 1u) << 5) | ((pte.pte >> 9) << 6);
}

static inline bool pgd_present(pgd_t pgd)   { return pgd.pgd & _PAGE_PRESENT; }
static inline bool pgd_large(pgd_t pgd)     { return pgd.pgd & _PAGE_PSE; }
static inline uint32_t pgd_table_phys(pgd_t pgd) { return pgd.pgd & PAGE_MASK; }
static inline pgd_t mk_pgd_table(uint32_t table_phys, pteval_t prot)
{
	return (pgd_t){ (table_phys & PAGE_MASK) | prot };
}

static inline void set_pte(pte_t *ptep, pte_t pte) { ptep->pte = pte.pte; }
static inline void set_pgd(pgd_t *pgdp, pgd_t pgd) { pgdp->pgd = pgd.pgd; }
#endif /* __ASSEMBLY__ */

#endif

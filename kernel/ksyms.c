/*
 * kernel/ksyms.c — binary search in the generated symbol table:
 * ksyms_addrs[] is sorted; ksyms_names[i] is the offset of symbol i's
 * name in ksyms_strtab; the last address is the end of the text.
 */
#include <kernel/ksyms.h>

extern const uint32_t ksyms_count;
extern const uint32_t ksyms_addrs[];
extern const uint32_t ksyms_names[];
extern const char ksyms_strtab[];

bool
ksym_lookup(uint32_t addr, struct ksym *out)
{
	uint32_t lo = 0, hi = ksyms_count;   /* invariant: answer in [lo, hi) */

	if (ksyms_count < 2 || addr < ksyms_addrs[0] || addr >= ksyms_addrs[ksyms_count - 1])
		return false;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (ksyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	out->name = ksyms_strtab + ksyms_names[lo];
	out->addr = ksyms_addrs[lo];
	out->size = ksyms_addrs[lo + 1] - ksyms_addrs[lo];
	return true;
}

/*
 * mmap_large_sparse — a 256 MiB anonymous mapping (more than the guest's RAM)
 * touched at one word per MiB: only the touched pages need memory. Every
 * touched word keeps its value; untouched places read zero; the mapping is
 * then unmapped.
 */
#define TEST_NAME "mmap_large_sparse"
#include "guest.h"

#define MAPPING_SIZE   (256 * MiB)
#define STRIDE         (1 * MiB)
#define WORD_OFFSET    (PAGE_SIZE / 2)         /* inside the touched page */
#define UNTOUCHED_AT   (STRIDE / 2)            /* halfway between touches */
#define SEED           0x5A135E

int
main(void)
{
	char *area = map_anon(MAPPING_SIZE, PROT_READ | PROT_WRITE);
	size_t touches = MAPPING_SIZE / STRIDE;
	char what[64];

	say("touching %zu words across 256 MiB", touches);
	for (size_t i = 0; i < touches; i++) {
		uint32_t value = pattern_word(SEED, i);
		memcpy(area + i * STRIDE + WORD_OFFSET, &value, sizeof(value));
	}
	for (size_t i = 0; i < touches; i++) {
		uint32_t value;
		memcpy(&value, area + i * STRIDE + WORD_OFFSET, sizeof(value));
		snprintf(what, sizeof(what), "word at MiB %zu", i);
		CHECK_EQ_HEX(what, pattern_word(SEED, i), value);
		snprintf(what, sizeof(what), "untouched byte after MiB %zu", i);
		CHECK_EQ(what, 0, area[i * STRIDE + UNTOUCHED_AT]);
	}
	CHECK_OK(munmap(area, MAPPING_SIZE));
	say("sparse mapping kept every touched word");
	return 0;
}

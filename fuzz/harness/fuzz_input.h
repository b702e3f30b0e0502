/* fuzz_input: reads a fuzzer's input as a stream of small fields; past the end every read is 0. */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct fuzz_input {
	const uint8_t *data;
	size_t size;
	size_t pos;
};

static inline int fuzz_input_left(const struct fuzz_input *in)
{
	return in->pos < in->size;
}

static inline uint8_t fuzz_u8(struct fuzz_input *in)
{
	return in->pos < in->size ? in->data[in->pos++] : 0U;
}

/* Little-endian, so the dictionary's values can be spliced in as they are written. */
static inline uint64_t fuzz_u64(struct fuzz_input *in)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 8; i++) {
		v |= (uint64_t)fuzz_u8(in) << (8 * i);
	}
	return v;
}

#endif

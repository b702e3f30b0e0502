/* asan_options: AddressSanitizer defaults of the hypercall_seq programs (ASAN_OPTIONS overrides
 * each one it names).
 *
 * quarantine_size_mb=1 (default 256): freed malloc chunks wait in a quarantine before reuse, so a
 * use after free of one is caught. Nothing under test here uses malloc: hyp/core allocates from
 * its partitions' heaps in the world's arena, which heap.c poisons itself (freed blocks at once),
 * and the harness mallocs only the arena, once. The chunks that pass through the quarantine are
 * the engine's copy of each input (libFuzzer, driver_afl.c), a few hundred bytes each; with 256 MB
 * each copy lands on memory not touched for ~500,000 inputs, and the page faults and the 0xbe
 * fill on cold cache lines were ~10 % of a libFuzzer run's CPU time (perf, 30/11; the same 20,000
 * inputs took 2.2 s of CPU instead of 2.65 s). 1 MB still holds the last few thousand copies.
 */
const char *__asan_default_options(void);

const char *__asan_default_options(void)
{
	return "quarantine_size_mb=1";
}

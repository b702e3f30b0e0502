/* asan_options: AddressSanitizer defaults of the hypercall_seq programs (ASAN_OPTIONS overrides
 * each one it names).
 *
 * Nothing under test here uses malloc: hyp/core allocates from its partitions' heaps in the
 * world's arena, which heap.c poisons itself (freed blocks at once), and the harness mallocs only
 * the arena and the snapshot, once. The chunks malloc hands out per input are the engine's copy of
 * each input (libFuzzer, driver_afl.c, driver_replay.c), a few hundred bytes each. So the options
 * below change only how those copies are handled, never what the checks of hyp/core see:
 *
 * quarantine_size_mb=1 (default 256): freed chunks wait in a quarantine before reuse, so a use
 * after free of one is caught. With 256 MB each copy lands on memory not touched for ~500,000
 * inputs, and the page faults and the 0xbe fill on cold cache lines were ~10 % of a libFuzzer
 * run's CPU time (perf, 30/11; the same 20,000 inputs took 2.2 s of CPU instead of 2.65 s). 1 MB
 * still holds the last few thousand copies.
 *
 * malloc_context_size=0 (default 30): no stack is unwound and stored for each malloc and free;
 * those stacks only describe where a malloc'd chunk came from in a report about it, and the only
 * malloc'd chunks are the engine's input copies (a harness read past one is still reported, with
 * the access's own stack).
 *
 * max_malloc_fill_size=0 (default 4096): malloc does not fill each copy with 0xbe first (the
 * engine writes the whole copy at once; the fill catches nothing without MemorySanitizer).
 */
const char *__asan_default_options(void);

const char *__asan_default_options(void)
{
	return "quarantine_size_mb=1:malloc_context_size=0:max_malloc_fill_size=0";
}

/* Spec coverage: per hypercall number and path, each distinct x0 returned and how often. */
#include <gunyah_spec.h>
#include <humpy/console.h>
#include <humpy/cover.h>
#include <humpy/libc.h>

/*
 * Row GH_HVC_MAX + 1 collects every number past the call table ("past"). 16 distinct x0 values a
 * row is more than any call documents (10 errors at most, plus OK); a 17th value is only counted.
 * Six pairs of at most 30 characters a line stay far below the console reader's 240. SMCCC function
 * numbers 0x8000..0xffff of the vendor-hyp service are the hypercalls.
 */
#define COVER_ROWS          (GH_HVC_MAX + 2)
#define COVER_PAST          (GH_HVC_MAX + 1)
#define COVER_SLOTS         16
#define COVER_PAIRS_A_LINE  6
#define COVER_SMCCC_NUMBERS 0x8000U

enum cover_path { COVER_NATIVE, COVER_SMCCC, COVER_PATHS };

struct cover_slot {
	u64 x0;
	u32 count;
};

struct cover_row {
	struct cover_slot slot[COVER_SLOTS];
	u32 unrecorded; /* calls whose x0 found no free slot */
};

static struct cover_row cover_table[COVER_ROWS][COVER_PATHS];
static const char cover_path_names[COVER_PATHS] = {'n', 's'};

static void cover_record(u32 num, enum cover_path path, u64 x0)
{
	struct cover_row *row = &cover_table[num > GH_HVC_MAX ? COVER_PAST : num][path];
	unsigned i;

	for (i = 0; i < COVER_SLOTS; i++) {
		struct cover_slot *s = &row->slot[i];

		if (s->count == 0)
			s->x0 = x0;
		if (s->x0 == x0) {
			s->count++;
			return;
		}
	}
	row->unrecorded++;
}

void cover_native(u32 imm, u64 x0)
{
	/* Immediates outside the reserved range are no hypercalls. */
	if (imm < GH_HVC_NATIVE_BASE || imm > GH_HVC_NATIVE_LAST)
		return;
	cover_record(imm - GH_HVC_NATIVE_BASE, COVER_NATIVE, x0);
}

void cover_smccc(u64 fid, u64 x0)
{
	/* Only exact SMC64 fast vendor-hyp IDs are hypercalls; PSCI, the vendor service calls and
	 * IDs with convention bits changed (SMC32, yielding, MBZ bits) are not counted. */
	if (fid - GH_SMCCC_HVC_BASE >= COVER_SMCCC_NUMBERS)
		return;
	cover_record((u32)(fid - GH_SMCCC_HVC_BASE), COVER_SMCCC, x0);
}

/* x0 as signed decimal when it fits 32 bits (error codes), else as 0x-hex (identify's api_info). */
static size_t cover_value(char *buf, size_t n, u64 x0)
{
	s64 v = (s64)x0;

	if (v >= INT32_MIN && v <= INT32_MAX)
		return (size_t)snprintf(buf, n, " %ld=", v);
	return (size_t)snprintf(buf, n, " 0x%lx=", x0);
}

static void cover_print_row(u32 num, enum cover_path path)
{
	const struct cover_row *row = &cover_table[num][path];
	char line[224], head[16];
	size_t len = 0;
	unsigned i, pairs = 0;

	if (num == COVER_PAST)
		snprintf(head, sizeof(head), "past");
	else
		snprintf(head, sizeof(head), "0x%02x", num);
	for (i = 0; i < COVER_SLOTS && row->slot[i].count; i++) {
		len += cover_value(line + len, sizeof(line) - len, row->slot[i].x0);
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%u", row->slot[i].count);
		if (++pairs == COVER_PAIRS_A_LINE) {
			proto_line("COVER %s %c%s", head, cover_path_names[path], line);
			len = pairs = 0;
		}
	}
	if (row->unrecorded)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " unrecorded=%u",
		                        row->unrecorded);
	if (len)
		proto_line("COVER %s %c%s", head, cover_path_names[path], line);
}

void cover_print(void)
{
	u32 num;
	unsigned path;

	for (num = 0; num < COVER_ROWS; num++)
		for (path = 0; path < COVER_PATHS; path++)
			cover_print_row(num, (enum cover_path)path);
}

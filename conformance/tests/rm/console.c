/* The paravirtualized console: OPEN, WRITE, FLUSH, CLOSE of the VM's own console (target 0), exact
 * replies, and the checks that refuse a write (reference §6 Message IDs, Payload layouts: console
 * write u16 target, u16 num_bytes, bytes). */
#include <humpy/rm_rpc.h>

/* OPEN, CLOSE and FLUSH: {u16 target vmid, u16 reserved}; a 4-byte reply err. */
static bool console_call(const char *what, u32 id, u16 target, u32 err)
{
	u8 req[4];
	struct rm_msg m;

	rm_put16(req, target);
	rm_put16(req + 2, 0);
	return rm_expect_call(what, id, req, sizeof(req), err, 4, &m);
}

static u8 wreq[GH_RM_CONSOLE_WRITE_HEADER + 1024];

/* WRITE of text to target, num_bytes as given (the real length unless a test lies). */
static bool console_write(const char *what, u16 target, const char *text, u32 len, u16 num_bytes,
                          u32 err)
{
	struct rm_msg m;

	rm_put16(wreq, target);
	rm_put16(wreq + 2, num_bytes);
	memcpy(wreq + GH_RM_CONSOLE_WRITE_HEADER, text, len);
	return rm_expect_call(what, GH_RM_IDS_CONSOLE_WRITE, wreq, GH_RM_CONSOLE_WRITE_HEADER + len,
	                      err, 4, &m);
}

#define OPEN(what)  console_call(what, GH_RM_IDS_CONSOLE_OPEN, 0, GH_RM_ERRORS_OK)
#define CLOSE(what) console_call(what, GH_RM_IDS_CONSOLE_CLOSE, 0, GH_RM_ERRORS_OK)

/* Proves OPEN then CLOSE of the own console (target 0) are OK, 4-byte replies (§6). */
RM_TEST(console_open_close)
{
	if (!OPEN("CONSOLE_OPEN(0)"))
		return;
	CLOSE("CONSOLE_CLOSE(0)");
}

/* Proves a WRITE to the open own console is OK, and sends this VM no CHARS notification (its owner
 * is the RM) (§6). */
RM_TEST(console_write)
{
	static const char text[] = "rm.console_write: hello from the primary VM\n";

	if (!OPEN("CONSOLE_OPEN(0)"))
		return;
	if (!console_write("CONSOLE_WRITE(0)", 0, text, sizeof(text) - 1, sizeof(text) - 1,
	                   GH_RM_ERRORS_OK))
		return;
	ASSERT_TRUE("a message after a console write", rm_quiet(RM_QUIET_MS));
	CLOSE("CONSOLE_CLOSE(0)");
}

/* Proves OPEN, WRITE, FLUSH, CLOSE in a row each answer OK (§6). */
RM_TEST(console_flush)
{
	static const char text[] = "rm.console_flush: a line, then a flush\n";

	if (!OPEN("CONSOLE_OPEN(0)") ||
	    !console_write("CONSOLE_WRITE(0)", 0, text, sizeof(text) - 1, sizeof(text) - 1,
	                   GH_RM_ERRORS_OK) ||
	    !console_call("CONSOLE_FLUSH(0)", GH_RM_IDS_CONSOLE_FLUSH, 0, GH_RM_ERRORS_OK))
		return;
	CLOSE("CONSOLE_CLOSE(0)");
}

/* Proves a 700-byte WRITE (4 messages) is OK: the console takes fragmented requests (§6). */
RM_TEST(console_write_fragmented)
{
	static char text[700];

	for (u32 i = 0; i < sizeof(text); i++)
		text[i] = (i % 70 == 69) ? '\n' : (char)('a' + i % 26);
	if (!OPEN("CONSOLE_OPEN(0)") || !console_write("CONSOLE_WRITE(0), 700 bytes", 0, text,
	                                               sizeof(text), sizeof(text), GH_RM_ERRORS_OK))
		return;
	CLOSE("CONSOLE_CLOSE(0)");
}

/* Proves a WRITE of 0 bytes (num_bytes 0, 4-byte request) is OK (§6: exactly 4 + num_bytes). */
RM_TEST(console_write_0_bytes)
{
	if (!OPEN("CONSOLE_OPEN(0)") ||
	    !console_write("CONSOLE_WRITE(0), 0 bytes", 0, "", 0, 0, GH_RM_ERRORS_OK))
		return;
	CLOSE("CONSOLE_CLOSE(0)");
}

/* Proves WRITE to a closed own console is DENIED (upstream RM console rules). */
RM_TEST(console_write_closed)
{
	if (!CLOSE("CONSOLE_CLOSE(0)"))
		return;
	console_write("CONSOLE_WRITE(0) while closed", 0, "x\n", 2, 2, GH_RM_ERRORS_DENIED);
}

/* Proves FLUSH of a closed own console is DENIED (upstream RM console rules). */
RM_TEST(console_flush_closed)
{
	if (!CLOSE("CONSOLE_CLOSE(0)"))
		return;
	console_call("CONSOLE_FLUSH(0) while closed", GH_RM_IDS_CONSOLE_FLUSH, 0,
	             GH_RM_ERRORS_DENIED);
}

/* Proves a WRITE after CLOSE is DENIED: CLOSE really closes (upstream RM console rules). */
RM_TEST(console_write_after_close)
{
	if (!OPEN("CONSOLE_OPEN(0)") ||
	    !console_write("CONSOLE_WRITE(0)", 0, "open\n", 5, 5, GH_RM_ERRORS_OK) ||
	    !CLOSE("CONSOLE_CLOSE(0)"))
		return;
	console_write("CONSOLE_WRITE(0) after close", 0, "closed\n", 7, 7, GH_RM_ERRORS_DENIED);
}

/* Proves a truncated WRITE (num_bytes 10, 5 bytes present) is MSG_INVALID (§6). */
RM_TEST(console_write_truncated)
{
	if (!OPEN("CONSOLE_OPEN(0)") || !console_write("CONSOLE_WRITE num_bytes 10 of 5", 0,
	                                               "12345", 5, 10, GH_RM_ERRORS_MSG_INVALID))
		return;
	CLOSE("CONSOLE_CLOSE(0)");
}

/* Proves a WRITE with bytes past num_bytes (3 of 5) is MSG_INVALID (§6: exactly 4 + num_bytes). */
RM_TEST(console_write_overlong)
{
	if (!OPEN("CONSOLE_OPEN(0)") || !console_write("CONSOLE_WRITE num_bytes 3 of 5", 0, "12345",
	                                               5, 3, GH_RM_ERRORS_MSG_INVALID))
		return;
	CLOSE("CONSOLE_CLOSE(0)");
}

/* Proves a WRITE shorter than its 4-byte header is MSG_INVALID (§6). */
RM_TEST(console_write_no_header)
{
	struct rm_msg m;

	rm_put16(wreq, 0);
	rm_expect_call("CONSOLE_WRITE, 2 bytes", GH_RM_IDS_CONSOLE_WRITE, wreq, 2,
	               GH_RM_ERRORS_MSG_INVALID, 4, &m);
}

/* Proves OPEN of 2 or 8 bytes is MSG_INVALID (§6: u16 vmid, u16 reserved). */
RM_TEST(console_open_bad_length)
{
	static const u8 req[8];
	struct rm_msg m;

	if (!rm_expect_call("CONSOLE_OPEN, 2 bytes", GH_RM_IDS_CONSOLE_OPEN, req, 2,
	                    GH_RM_ERRORS_MSG_INVALID, 4, &m))
		return;
	rm_expect_call("CONSOLE_OPEN, 8 bytes", GH_RM_IDS_CONSOLE_OPEN, req, 8,
	               GH_RM_ERRORS_MSG_INVALID, 4, &m);
}

/* Proves OPEN of a console no VM has (VMID 0xbf) is ARGUMENT_INVALID (upstream RM console rules).
 */
RM_TEST(console_open_unknown_vmid)
{
	console_call("CONSOLE_OPEN(0xbf)", GH_RM_IDS_CONSOLE_OPEN, GH_RM_VMID_DYNAMIC_LAST,
	             GH_RM_ERRORS_ARGUMENT_INVALID);
}

/* Proves this VM cannot open the owner's side of its own console (target = its VMID; the RM owns
 * it): DENIED (upstream RM console rules). */
RM_TEST(console_open_owner_side_denied)
{
	console_call("CONSOLE_OPEN(own VMID)", GH_RM_IDS_CONSOLE_OPEN, (u16)rm->vmid,
	             GH_RM_ERRORS_DENIED);
}

/* Proves a WRITE to the owner's side of this VM's console is DENIED (upstream RM console rules). */
RM_TEST(console_write_owner_side_denied)
{
	console_write("CONSOLE_WRITE(own VMID)", (u16)rm->vmid, "x\n", 2, 2, GH_RM_ERRORS_DENIED);
}

/* Proves the owner's side of a peer's console (target = the peer's VMID, from its owner): OPEN,
 * WRITE, FLUSH, CLOSE each OK, nothing comes back while the peer's own side is closed (no CHARS),
 * and a WRITE after CLOSE is DENIED (§6 console IDs; upstream RM console rules). */
RM_TEST(console_owner_side_of_peer)
{
	u8 req[4] = {0};
	struct rm_msg m;
	u16 peer;

	if (!rm_expect_call("VM_ALLOCATE(0)", GH_RM_IDS_VM_ALLOCATE, req, sizeof(req),
	                    GH_RM_ERRORS_OK, 8, &m))
		return;
	peer = rm_get16(m.payload + 4);
	if (console_call("CONSOLE_OPEN(peer)", GH_RM_IDS_CONSOLE_OPEN, peer, GH_RM_ERRORS_OK) &&
	    console_write("CONSOLE_WRITE(peer)", peer, "typed\n", 6, 6, GH_RM_ERRORS_OK) &&
	    console_call("CONSOLE_FLUSH(peer)", GH_RM_IDS_CONSOLE_FLUSH, peer, GH_RM_ERRORS_OK)) {
		if (!rm_quiet(RM_QUIET_MS))
			test_fail("a message after writing to a peer whose own side is closed");
		else if (console_call("CONSOLE_CLOSE(peer)", GH_RM_IDS_CONSOLE_CLOSE, peer,
		                      GH_RM_ERRORS_OK))
			console_write("CONSOLE_WRITE(peer) after close", peer, "x\n", 2, 2,
			              GH_RM_ERRORS_DENIED);
	}
	rm_put16(req, peer);
	rm_expect_call("VM_DEALLOCATE", GH_RM_IDS_VM_DEALLOCATE, req, sizeof(req), GH_RM_ERRORS_OK,
	               4, &m);
}

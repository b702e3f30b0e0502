/* PSCI calls and the final power-off after the END line. */
#include <gunyah_spec.h>
#include <humpy/arch.h>
#include <humpy/console.h>
#include <humpy/exc.h>
#include <humpy/plat.h>
#include <humpy/psci.h>

struct gh_ret psci_call(u64 fid, u64 a1, u64 a2, u64 a3)
{
	const u64 args[7] = {a1, a2, a3};

	return plat.psci_smc ? gh_smccc_smc(fid, args) : gh_smccc_hvc(fid, args);
}

/* One SYSTEM_OFF attempt; an exception (no such conduit) is recorded, not reported. */
static struct exc_record psci_try_off(bool smc)
{
	exc_expect_begin();
	if (smc)
		gh_smccc_smc(GH_PSCI_SYSTEM_OFF_FID, NULL);
	else
		gh_smccc_hvc(GH_PSCI_SYSTEM_OFF_FID, NULL);
	return exc_expect_end();
}

void psci_system_off(void)
{
	struct exc_record first, second;

	irq_mask();
	first = psci_try_off(plat.psci_smc);
	/* Still here: the DT conduit did not work (e.g. bare QEMU without EL2); try the other. */
	second = psci_try_off(!plat.psci_smc);
	console_printf("guest: PSCI SYSTEM_OFF returned (ESR 0x%lx, other conduit ESR 0x%lx); "
	               "halting\n",
	               first.taken ? first.esr : 0, second.taken ? second.esr : 0);
	for (;;)
		__asm__ volatile("wfi");
}

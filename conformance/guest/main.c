/* The guest's C entry: platform discovery, MMU, console, time limit, then the runner. */
#include <humpy/arch.h>
#include <humpy/console.h>
#include <humpy/exc.h>
#include <humpy/mmu.h>
#include <humpy/plat.h>
#include <humpy/runner.h>
#include <humpy/tlimit.h>

NORETURN void guest_main(u64 x0);

void guest_main(u64 x0)
{
	struct runner_options opt;

	/* Compiled with -mstrict-align, so the tree can be read before the MMU makes RAM Normal. */
	plat_discover(x0);
	exc_init();
	mmu_enable(&plat);
	console_init(plat.uart, plat.uart_kind);
	console_printf("\nhumpy conformance guest: x0 0x%lx dtb 0x%lx uart 0x%lx gicd 0x%lx "
	               "gicr 0x%lx vtimer %u psci %s\n",
	               x0, plat.dtb, plat.uart, plat.gicd, plat.gicr, plat.vtimer_intid,
	               plat.psci_smc ? "smc" : "hvc");
	console_printf("bootargs: \"%s\"\n", plat.bootargs);
	/* A failed step is a SETUP_ERROR line after BEGIN; tests then run without a limit. */
	if (!tlimit_init(&plat))
		console_printf("guest: no per-test time limit\n");
	runner_parse_bootargs(plat.bootargs, &opt);
	runner_main(&opt);
}

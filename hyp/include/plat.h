/* plat: what a board folder offers the rest of hyp/ (console, fixed addresses in platform.h). */
#ifndef PLAT_H
#define PLAT_H

#include "util.h"

/* Point the console at a PL011 (the DT's address once known; the platform default before). */
void plat_console_init(paddr_t base);
void plat_console_putc(char c);

#endif

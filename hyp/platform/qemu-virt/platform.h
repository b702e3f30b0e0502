/* qemu-virt: the fixed facts of QEMU's "virt" machine that the hypervisor needs before the DT. */
#ifndef PLATFORM_H
#define PLATFORM_H

/* Where hyp.elf is linked; booti places it at DRAM base + PLAT_TEXT_OFFSET. */
#define PLAT_HYP_BASE    0x80000000
#define PLAT_DRAM_BASE   0x40000000
#define PLAT_TEXT_OFFSET (PLAT_HYP_BASE - PLAT_DRAM_BASE)

/*
 * The boot map, before the DT is read: all MMIO of virt lies below 1 GiB, and RAM starts at
 * 1 GiB (at most 3 GiB of it is reachable with highmem=off). The DT's memory node is checked
 * against this window once it has been read.
 */
#define PLAT_MMIO_BASE     0x00000000
#define PLAT_MMIO_SIZE     0x40000000
#define PLAT_DRAM_MAX_SIZE 0xC0000000

/* The console until the DT names one (QEMU virt's PL011). */
#define PLAT_UART_DEFAULT 0x09000000

/* QEMU places its DT at the start of RAM when the kernel is an ELF that leaves room there. */
#define PLAT_DTB_DEFAULT PLAT_DRAM_BASE

#define PLAT_MAX_CPUS 8

/* The primary VM: upstream Gunyah's QEMU layout (reference §10). */
#define PLAT_VM_RAM_BASE 0x40000000
#define PLAT_VM_RAM_SIZE 0x40000000
#define PLAT_VM_ENTRY    0x41000000
#define PLAT_VM_DTB      0x40F00000

/* Physical RAM the root partition owns and hands out as memory extents (ROOT_PROFILE.md
 * humpy,root-memory): used only if the DT's memory holds it clear of the hypervisor and the DT. */
#define PLAT_ROOT_MEM_BASE 0xA0000000
#define PLAT_ROOT_MEM_SIZE 0x01000000

/* The Resource Manager's own RAM when it is the root VM (humpy.root=rm): its image at the base
 * (hyp/rm/rm.mk links it there), its boot DT PLAT_RM_DTB_OFFSET in. Clear of the hypervisor, the
 * root memory and the primary VM's RAM. */
#define PLAT_RM_RAM_BASE   0xA1000000
#define PLAT_RM_RAM_SIZE   0x00200000
#define PLAT_RM_DTB_OFFSET 0x00100000
/* The root partition's heap in that mode (hypervisor memory: no VM maps it), right above. */
#define PLAT_RM_HEAP_BASE 0xA1200000
#define PLAT_RM_HEAP_SIZE 0x00800000

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * sgcount: a QEMU TCG plugin that counts, exactly, the guest instructions
 * executed and the loads from the struct page array (vmemmap) inside the
 * windows the kernel's DMA map benchmark brackets with empty marker
 * functions (dma_map_benchmark_sg_{build,map,unmap}_begin() ... _end()).
 *
 * Arguments (addresses from System.map):
 *   build=ADDR,map=ADDR,unmap=ADDR  the three *_begin markers
 *   end=ADDR                        dma_map_benchmark_sg_end
 *   start=ADDR                      dma_map_benchmark_sg_start (a new run)
 *   vmemmap=START                   first address of the struct page array
 *   vmemmap_end=END                 end of it (exclusive)
 *   out=FILE                        where the windows are written
 *   self=START:END                  (optional, up to 256) a function's text:
 *                                   its own instructions are counted too
 *   calls=ADDR                      (optional, up to 2) a function's first
 *                                   instruction: the calls of it are counted
 *   prof=FILE,profrun=N[,profphase=P] (optional) a profile of the windows of
 *                                   step P (build, map or unmap; map if not
 *                                   given) of the N-th run (from 1): one line
 *                                   "VADDR INSNS COUNT" per translation block
 *                                   executed there, COUNT times (for finding
 *                                   where the instructions go, with the
 *                                   kernel's System.map)
 *   max=N                           (optional) write the first N windows of
 *                                   each step of a run only (a run of short
 *                                   lists loops a million times a second)
 *
 * Each window is written as one line: "PHASE INSNS PAGE_LOADS SELF CALLS1
 * CALLS2", SELF being the instructions executed inside the self= ranges,
 * that is in the named functions but not in what they call: for dma-iommu,
 * whose IOVA allocator costs more than the loop and varies from run to
 * run; CALLSn the times the n-th calls= function was entered (0 without). Run with
 * -smp 1; the benchmark disables interrupts inside each window, so the
 * counts are those of the measured code only. Loads are counted through
 * memory callbacks registered for reads and writes, stores dropped: QEMU
 * 7.2 misses plain loads with QEMU_PLUGIN_MEM_R alone.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

enum { PH_NONE, PH_BUILD, PH_MAP, PH_UNMAP, PH_END, PH_START };
static const char *const phase_name[] = { "none", "build", "map", "unmap" };

static uint64_t mark[PH_START + 1];
static uint64_t vm_start, vm_end;
static FILE *out;

#define MAX_SELF 256
static uint64_t self_start[MAX_SELF], self_end[MAX_SELF];
static int nself;
#define MAX_CALLS 2
static uint64_t call_addr[MAX_CALLS];
static int ncalls;
static uint64_t calls[MAX_CALLS];	/* entries of each calls= function */
static uint64_t win_calls[MAX_CALLS];	/* calls[] when the window opened */
static uint64_t max_windows;	/* 0: all */
static uint64_t written[PH_START];	/* windows of each step this run */

struct prof_tb {
	uint64_t va;
	uint64_t n;
	uint64_t count;
	struct prof_tb *next;
};
static FILE *prof;
static uint64_t prof_run, prof_phase = PH_MAP, run, prof_windows;
static struct prof_tb *prof_tbs;

static int phase;		/* the window we are in, PH_NONE outside */
static uint64_t insns;		/* instructions executed, all of them */
static uint64_t win_insns;	/* insns when the window opened */
static uint64_t page_loads;	/* struct page loads in the window */
static uint64_t self_insns;	/* instructions in the self= ranges */
static uint64_t win_self;	/* self_insns when the window opened */

static void on_mark(unsigned int vcpu, void *udata)
{
	int which = (int)(uintptr_t)udata;

	if (which == PH_START) {
		run++;
		fprintf(out, "start\n");
		memset(written, 0, sizeof(written));
		return;
	}
	if (which != PH_END) {
		phase = which;
		/* the marker's own first instruction is counted after this */
		win_insns = insns + 1;
		win_self = self_insns;
		memcpy(win_calls, calls, sizeof(calls));
		page_loads = 0;
		return;
	}
	if (phase == (int)prof_phase && run == prof_run)
		prof_windows++;
	if (phase != PH_NONE &&
	    (!max_windows || written[phase]++ < max_windows))
		fprintf(out, "%s %" PRIu64 " %" PRIu64 " %" PRIu64
			" %" PRIu64 " %" PRIu64 "\n",
			phase_name[phase], insns - win_insns, page_loads,
			self_insns - win_self, calls[0] - win_calls[0],
			calls[1] - win_calls[1]);
	phase = PH_NONE;
}

static void on_mem(unsigned int vcpu, qemu_plugin_meminfo_t info,
		   uint64_t vaddr, void *udata)
{
	if (phase == PH_NONE || qemu_plugin_mem_is_store(info))
		return;
	if (vaddr >= vm_start && vaddr < vm_end)
		page_loads++;
}

static void on_tb_exec(unsigned int vcpu, void *udata)
{
	struct prof_tb *t = udata;

	if (phase == (int)prof_phase && run == prof_run)
		t->count++;
}

static void on_tb(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	size_t i;
	int m;

	if (prof) {
		struct prof_tb *t = calloc(1, sizeof(*t));

		if (t) {
			t->va = qemu_plugin_tb_vaddr(tb);
			t->n = n;
			t->next = prof_tbs;
			prof_tbs = t;
			qemu_plugin_register_vcpu_tb_exec_cb(tb, on_tb_exec,
				QEMU_PLUGIN_CB_NO_REGS, t);
		}
	}

	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);

		for (m = PH_BUILD; m <= PH_START; m++)
			if (va == mark[m])
				qemu_plugin_register_vcpu_insn_exec_cb(insn,
					on_mark, QEMU_PLUGIN_CB_NO_REGS,
					(void *)(uintptr_t)m);
		qemu_plugin_register_vcpu_insn_exec_inline(insn,
			QEMU_PLUGIN_INLINE_ADD_U64, &insns, 1);
		for (m = 0; m < nself; m++)
			if (va >= self_start[m] && va < self_end[m]) {
				qemu_plugin_register_vcpu_insn_exec_inline(insn,
					QEMU_PLUGIN_INLINE_ADD_U64, &self_insns, 1);
				break;	/* ranges named twice count once */
			}
		for (m = 0; m < ncalls; m++)
			if (va == call_addr[m])
				qemu_plugin_register_vcpu_insn_exec_inline(insn,
					QEMU_PLUGIN_INLINE_ADD_U64, &calls[m], 1);
		qemu_plugin_register_vcpu_mem_cb(insn, on_mem,
			QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_MEM_RW, NULL);
	}
}

static void on_atexit(qemu_plugin_id_t id, void *p)
{
	struct prof_tb *t;

	fclose(out);
	if (!prof)
		return;
	fprintf(prof, "windows %" PRIu64 "\n", prof_windows);
	for (t = prof_tbs; t; t = t->next)
		if (t->count)
			fprintf(prof, "%016" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
				t->va, t->n, t->count);
	fclose(prof);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *path = NULL;
	int i;

	if (info->system_emulation && info->system.max_vcpus > 1) {
		fprintf(stderr, "sgcount: needs -smp 1\n");
		return -1;
	}
	for (i = 0; i < argc; i++) {
		char *v = strchr(argv[i], '=');
		uint64_t x;

		if (!v)
			goto bad;
		*v++ = '\0';
		x = strtoull(v, NULL, 0);
		if (!strcmp(argv[i], "build"))
			mark[PH_BUILD] = x;
		else if (!strcmp(argv[i], "map"))
			mark[PH_MAP] = x;
		else if (!strcmp(argv[i], "unmap"))
			mark[PH_UNMAP] = x;
		else if (!strcmp(argv[i], "end"))
			mark[PH_END] = x;
		else if (!strcmp(argv[i], "start"))
			mark[PH_START] = x;
		else if (!strcmp(argv[i], "vmemmap"))
			vm_start = x;
		else if (!strcmp(argv[i], "vmemmap_end"))
			vm_end = x;
		else if (!strcmp(argv[i], "out"))
			path = v;
		else if (!strcmp(argv[i], "prof")) {
			prof = fopen(v, "w");
			if (!prof) {
				perror(v);
				return -1;
			}
		} else if (!strcmp(argv[i], "profrun"))
			prof_run = x;
		else if (!strcmp(argv[i], "profphase"))
			prof_phase = !strcmp(v, "build") ? PH_BUILD :
				     !strcmp(v, "unmap") ? PH_UNMAP : PH_MAP;
		else if (!strcmp(argv[i], "max"))
			max_windows = x;
		else if (!strcmp(argv[i], "self") && nself < MAX_SELF &&
			 strchr(v, ':')) {
			self_start[nself] = x;
			self_end[nself++] = strtoull(strchr(v, ':') + 1, NULL, 0);
		} else if (!strcmp(argv[i], "calls") && ncalls < MAX_CALLS) {
			call_addr[ncalls++] = x;
		} else
			goto bad;
	}
	if (!mark[PH_BUILD] || !mark[PH_MAP] || !mark[PH_UNMAP] ||
	    !mark[PH_END] || !mark[PH_START] || !vm_end || !path)
		goto bad;
	for (i = PH_BUILD; i <= PH_START; i++) {
		int j;

		for (j = i + 1; j <= PH_START; j++)
			if (mark[i] == mark[j]) {
				fprintf(stderr, "sgcount: two markers at %#" PRIx64
					" (merged by identical code folding?)\n", mark[i]);
				return -1;
			}
	}
	out = fopen(path, "w");
	if (!out) {
		perror(path);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb);
	qemu_plugin_register_atexit_cb(id, on_atexit, NULL);
	return 0;
bad:
	fprintf(stderr, "sgcount: needs build=,map=,unmap=,end=,start=,vmemmap=,vmemmap_end=,out=\n"
		"(and takes up to %d self=START:END, %d calls=ADDR)\n", MAX_SELF,
		MAX_CALLS);
	return -1;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qrpc-bench's results: kept as they are measured, then printed as tables
 * with each peer's ratio to qrpc, checked against the targets of the
 * brief, and written as JSON and as a table for the chart.
 */
#ifndef QRPC_BENCH_REPORT_H
#define QRPC_BENCH_REPORT_H

#include <stdio.h>

#include "bench.h"

enum section {
	SEC_ROUND_TRIP,		/* 64-byte round trips, every mechanism */
	SEC_PAYLOAD,		/* the payload sweep */
	SEC_ONE_WAY,		/* one-way throughput */
	SEC_PRIORITY,		/* a priority-7 call, idle and flooded */
	SEC_FLOOR,		/* what entering the kernel costs */
	SEC_COUNT,
};

/* Record a measurement; @ok false records that it could not be made. */
void report_add(enum section sec, const char *name, size_t payload,
		const struct lat_stats *st, int ok);

/* The tables, with ratios to the qrpc row named @base of each section. */
void report_print(FILE *f);
/*
 * The targets (BRIEF §3), each PASS or MISS, or SKIP when a figure is
 * missing.  Returns the number of MISSes.
 */
int report_targets(FILE *f);
void report_json(FILE *f, const char *kernel, unsigned long count);
/* Round-trip latencies, one mechanism a line, for scripts/bench's chart. */
void report_chart_data(FILE *f);

#endif /* QRPC_BENCH_REPORT_H */

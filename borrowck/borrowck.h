/* borrowck.h — ownership checks on the typed tree.
 *
 * requires: a Program that sema checked without errors;
 * produces: E0382 (use of a moved value) with rustc's labels, and on every
 * Local the flags `moved` and `used` that codegen's drop rule reads.
 * Tier 1b replaces the structured walk by a CFG (see ARCHITECTURE.md). */
#ifndef MRSC_BORROWCK_H
#define MRSC_BORROWCK_H

#include "../sema/sema.h"

/* Check every fn of the program (errors through diag). */
void bck_check(Program *prog);

/* Recompute the flags of one fn (an instance just re-checked); no errors. */
void bck_flags(Program *prog, FnDef *f);

#endif

/* borrowck.h — ownership checks on the typed tree.
 *
 * requires: a Program that sema checked without errors;
 * produces: E0382 (use of a moved value) with rustc's labels, and on every
 * Local the flags `moved` and `used`; then each fn's control-flow graph
 * (cfg.h, FnDef.cfg) and on every Local its drop state at each drop point,
 * which codegen's drop elaboration reads. */
#ifndef MRSC_BORROWCK_H
#define MRSC_BORROWCK_H

#include "../sema/sema.h"
#include "cfg.h"

/* Check every fn of the program (errors through diag). */
void bck_check(Program *prog);

/* Recompute the flags of one fn (an instance just re-checked); no errors. */
void bck_flags(Program *prog, FnDef *f);

/* The state of l at the drop point codegen names by `key` (a Block, Expr or
 * MatchArm of the tree); DROP_UNREACHED when no path reaches it. */
DropState bck_drop_state(Local *l, const void *key);

/* temps.c: is e (in parentheses or not) a place expression (it names storage:
 * a path, field, index or `*x`), not a value? */
bool bck_place_expr(Expr *e);
/* temps.c: give e a temporary (Expr.temp) when its value is used in a place
 * context and owns something; clo: the closure whose body e is in. */
void bck_note_temp(Expr *e, Closure *clo);
/* temps.c: the same for the value of an expression statement, dropped at its `;`. */
void bck_note_discarded(Expr *e, Closure *clo);
/* temps.c: the hidden iterator of a `for` that owns items (Expr.temp of the `for`). */
void bck_note_for_iter(Expr *e, Closure *clo);
/* temps.c: `&c` of a constant expression c: c is promoted to a static (Expr.promoted). */
void bck_note_promoted(Expr *ref);
/* temps.c: mark the temporaries of `let` s's initializer that lifetime
 * extension keeps to the end of the block (Stmt.bck_extended). */
void bck_extend_temps(Stmt *s);


#endif

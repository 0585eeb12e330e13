/* cfg.h — the control-flow graph of a fn body, and drop elaboration on it.
 *
 * requires: a typed fn body on which moves.c ran (it marks each expression
 * that moves a local in Expr.moves);
 * produces: the graph (basic blocks of statements on locals: init, move,
 * drop, storage-dead), and on every Local its drop state at each point
 * where codegen drops it (Local.drop_points, Local.drop_maybe).
 *
 * The graph decides the drops: the same scopes and exits codegen writes
 * (scope end, break, continue, return, `?`), each drop site named by the
 * tree node codegen writes it at, so that codegen prints the site's plan
 * (bck_drop_plan) where it writes the drops. */
#ifndef MRSC_CFG_H
#define MRSC_CFG_H

#include "../sema/sema.h"
#include "place.h"

#include <stdio.h>

typedef enum CfgOp {
    CFG_INIT,   /* the place gets a value: `let`, a pattern binding, a parameter, `x = v`, `p.f = v` */
    CFG_MOVE,   /* the place (a local, or a part of it: `partial`) is moved out */
    CFG_USE,    /* the place is read, copied or borrowed */
    CFG_UNINIT, /* `let x;`: declared without a value */
    CFG_DROP,   /* the local is dropped here if it holds a value (scope end or an exit) */
    CFG_DEAD,   /* the local goes out of scope */
    CFG_BCK,    /* a fact of the borrow checker (loans.h): a loan, an access, a use of loans */
    CFG_AWAIT,  /* an `.await` suspends here (key: the EX_AWAIT), its future evaluated */
} CfgOp;

/* A use of a place that move checking recorded on an expression (moves.c),
 * turned into a CFG statement where the builder meets the expression. */
typedef struct BckUse {
    CfgOp op;           /* CFG_USE, CFG_MOVE or CFG_INIT */
    Place *place;
    bool borrow;        /* CFG_USE: a borrow (`&x`, a format argument, an auto-ref receiver) */
    Span at;
    Capture *cap;       /* CFG_MOVE into a closure: the capture */
} BckUse;

typedef enum DropState {
    DROP_UNREACHED, /* no path reaches this drop point */
    DROP_LIVE,      /* holds a value on every path here: dropped unconditionally */
    DROP_DEAD,      /* moved out on every path here: nothing to drop */
    DROP_MAYBE,     /* moved on some paths only: the drop tests a flag */
} DropState;

/* The drop sites of the graph: the end of a scope (its locals), an exit
 * that leaves scopes (`return`, `break`, `continue`, `?`, the fn's end),
 * the end of a temporary scope (its temporaries); an assignment (the old value). */
typedef enum DropSite { SITE_SCOPE_END, SITE_EXIT, SITE_TEMPS, SITE_OTHER } DropSite;

typedef struct CfgStmt {
    CfgOp op;
    Local *local;
    Place *place;       /* what it acts on: the local, or a part of it (a field, a Box's contents) */
    bool borrow;        /* CFG_USE: a borrow */
    Capture *cap;       /* CFG_MOVE into a closure */
    const void *key;    /* CFG_DROP: the tree node codegen drops at */
    DropSite site;      /* CFG_DROP: what kind of drop site */
    const char *why;    /* CFG_DROP: "scope end", "return", "break", ... */
    Span span;
    DropState state;    /* CFG_DROP: the result of the analysis */
    struct BFact *fact; /* CFG_BCK */
} CfgStmt;

typedef struct BasicBlock {
    int id;
    List stmts;         /* List of CfgStmt * */
    List succs;         /* List of BasicBlock * */
    const char *term;   /* how it ends: "goto", "branch", "return", "diverge" */
    const char *note;   /* what the branch is ("if", "match", "loop", ...) */
    bool reached;       /* analysis: some path from the entry reaches it */
    unsigned char *init, *uninit; /* analysis: per local, may hold a value / may not, at entry */
} BasicBlock;

typedef struct Cfg {
    FnDef *fn;
    Closure *clo;       /* a closure's body: its own graph (its locals are the fn's) */
    List closures;      /* List of Cfg *: the graphs of the closures in this body */
    List temps;         /* List of Local *: its temporaries (temps.c), numbered after the fn's locals */
    List blocks;        /* List of BasicBlock *: [0] is the entry */
    BasicBlock *exit;   /* the return block */
    List loans;         /* nll.c, of a fn's graph: Loan *: every loan of the fn (its closures' too), by id */
    List conflicts;     /* nll.c: BConflict *: the borrow errors found on it, for --explain-borrows */
} Cfg;

typedef struct DropPoint {
    const void *key;
    DropState state;
} DropPoint;


/* The drop plan at one site of g (or of the graph of closure clo in it):
 * its CFG_DROP statements in the order they drop, each with its state. */
List bck_drop_plan(Cfg *g, Closure *clo, const void *key, DropSite site);

/* Build the graph of f's body and elaborate its drops: fills Local.drop_points
 * and Local.drop_maybe of f's locals. */
Cfg *cfg_build(Program *prog, FnDef *f);

/* Move checking on the graph: E0382 (use of a moved value) and E0381
 * (possibly uninitialized), from the may-moved places at each use. */
void cfg_check_moves(Cfg *g);

/* Print the graph and the drop states (`mrsc --emit=cfg`). */
void cfg_dump(FILE *out, Cfg *g);

#endif

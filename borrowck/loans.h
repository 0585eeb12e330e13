/* loans.h — the borrow checker: loans, the facts the graph carries for them, and NLL on the graph.
 *
 * requires: a typed fn body on which moves.c ran (temporaries, moves);
 * produces: on each expression and pattern the facts about borrows that
 * the graph turns into statements (Expr.bck_loans, Pat.bck_loans), and on
 * each Local the loans it may hold (Local.loans_held); after the graph is
 * built, E0499, E0502, E0503, E0505, E0506, E0597, E0716 and E0515.
 *
 * The model is rustc's NLL. A *loan* is made by every `&`/`&mut` of a
 * place: explicit, an auto-ref'd method receiver, a format argument, a
 * `ref` binding, a closure's capture by reference, the index of a Vec. A
 * value *carries* the loans it was made from (a reference, a struct holding
 * one, a closure that captured by reference, a call's result as its
 * signature ties it to its arguments); a local holds what any value stored
 * in it carries (one set per local, as NLL has one region per variable).
 * A loan is live at a point when a value carrying it, or a local holding
 * it, is used later; it is in scope from where it is made while it stays
 * live. An access to a place that conflicts with a loan in scope and live
 * is an error. */
#ifndef MRSC_LOANS_H
#define MRSC_LOANS_H

#include "../sema/sema.h"
#include "place.h"

typedef enum LoanKind { LOAN_SHARED, LOAN_MUT } LoanKind;

typedef struct Loan {
    int id;             /* in its fn, from 0 */
    Place *place;       /* what is borrowed */
    LoanKind kind;
    bool two_phase;     /* an auto-ref'd `&mut` receiver: shared until the call (BF_ACTIVATE) */
    Span at;            /* where: `&x`, the receiver, a closure's `|..|` */
    Span cap_use;       /* a closure's capture: the use in its body that captured it */
    bool by_closure;
    bool by_index;      /* `v[i]` of a Vec: the index call borrows `v` */
    Local *param;       /* not a loan made here: the caller's borrow behind reference parameter `param` */
    bool escapes;       /* it flows into the fn's result: live to the end of the fn, as the result's region is */
    unsigned char *lines; /* nll.c: its region, as source lines: lines[k] when it is live on line line0 + k */
    int line0, nlines;
} Loan;

/* Loans a value carries: loans made for it, and the loans held by locals it was read from. */
typedef struct Carry {
    List loans;         /* Loan * */
    List locals;        /* Local *: their Local.loans_held, once solved */
} Carry;

typedef enum BFactKind {
    BF_LOAN,     /* a loan is made: an access of its place as a shared or mutable borrow */
    BF_ACTIVATE, /* a two-phase loan's call: now a mutable access */
    BF_ACCESS,   /* the place is read, written or updated */
    BF_USE,      /* a value carrying loans is consumed here: they are used */
    BF_HOLD,     /* a local is used here: the loans it holds are */
    BF_DEF,      /* a branch's value goes into the hidden local of its `if`/`match` (a new value) */
} BFactKind;

typedef enum AccessKind {
    AC_READ,     /* a copy or a read: conflicts with a mutable loan (E0503) */
    AC_WRITE,    /* `x = v`: conflicts with any loan (E0506) */
    AC_UPDATE,   /* `x += 1` of a primitive: E0503 with a mutable loan, E0506 with a shared one */
    AC_MOVE,     /* from a CFG_MOVE statement: E0505 */
    AC_DEAD,     /* from a CFG_DEAD statement: the storage goes (E0597, E0716) */
} AccessKind;

typedef struct BFact {
    BFactKind kind;
    Loan *loan;         /* BF_LOAN, BF_ACTIVATE */
    Place *place;       /* BF_ACCESS */
    AccessKind ak;      /* BF_ACCESS */
    Carry *carry;       /* BF_USE */
    Local *local;       /* BF_HOLD */
    Span span;
    bool by_call;       /* BF_USE: the use is the call of a fn or closure ("later used by call") */
    bool at_head;       /* a `for`'s: at the top of each iteration */
    bool captured;      /* BF_HOLD: the local is captured by a closure made here */
} BFact;

/* An access that falls inside a loan (nll.c), for --explain-borrows. */
typedef struct BConflict {
    Span at;            /* the access */
    const char *code;   /* the error reported */
    const char *what;   /* "borrows `v` mutably", "assigns to `x`" */
    Loan *loan;
    Span later;         /* the loan's later use, or none (lo == hi == 0) */
} BConflict;

/* Walk f's body (and its closures') and note the borrow facts on the tree;
 * solve which loans each local may hold. Before cfg_build. */
void bck_loans_walk(FnDef *f);

/* Every loan a value carries (its own and those its locals hold), after the walk. */
void bck_carry_loans(const Carry *c, List *out);

/* NLL on the graph g (and its closures' graphs): the borrow errors. */
void bck_check_borrows(struct Cfg *g);

/* A place as rustc spells it in a message: `v`, `p.x`, `r.x` through a reference, `*r`, `a[_]`. */
const char *bck_place_shown(const Place *p);

/* `--emit=cfg`: one fact as a statement of the graph. */
void bck_dump_fact(FILE *out, BFact *f);

/* `--emit=cfg`: the loans each local of f may hold. */
void bck_dump_held(FILE *out, FnDef *f);

/* `mrsc --explain-borrows`: per fn, every loan and its region. */
void bck_explain_borrows(FILE *out, struct Cfg *g);
void bck_borrows_done(void); /* frees the check's working memory once every fn is checked */

#endif

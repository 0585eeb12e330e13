/* place.h — places: what moves, borrows and drops act on.
 *
 * A place is a local (a variable, a parameter or a temporary of temps.c)
 * followed by projections: a field (`p.name`, `t.0`), the contents of a Box
 * (`*b`), or the fields of one enum variant (`r` as `E::A`, then `.0`: the
 * part a pattern binds). Each place also has a canonical key, the local's C
 * name followed by `.name`, `.*` and `.Variant` steps, which the move
 * checker's sets compare; two places overlap when one key is a step-prefix
 * of the other. */
#ifndef MRSC_PLACE_H
#define MRSC_PLACE_H

#include "../sema/sema.h"

typedef enum ProjKind {
    PJ_FIELD,   /* a struct or tuple field: name is the field's name or index */
    PJ_DEREF,   /* the contents of a Box */
    PJ_VARIANT, /* an enum value seen as one variant (name): its fields follow */
    PJ_REF,     /* the referent of a reference (the borrow checker's places only) */
    PJ_INDEX,   /* an element of an array or slice, any index (the borrow checker's places only) */
} ProjKind;

typedef struct Proj {
    ProjKind kind;
    const char *name;   /* PJ_FIELD, PJ_VARIANT */
} Proj;

typedef struct Place {
    Local *local;
    int n;              /* projections */
    Proj *proj;
    const char *key;    /* C name, then `.name` / `.*` / `.Variant` steps */
} Place;

Place *place_local(Local *l);
Place *place_proj(Place *base, ProjKind kind, const char *name);
static inline bool place_is_local(const Place *p) { return p->n == 0; }
/* p is q, or q is inside p (a step-prefix of it). */
bool place_within(const Place *p, const Place *q);
/* p and q overlap: one is inside the other. */
bool place_overlaps(const Place *p, const Place *q);
/* As the user writes it: `*b`, `p.name` (a variant step is spelled as a field: `r.A.0`). */
const char *place_shown(const Place *p);
/* The projections as codegen names a part: "name", "*", "*.name", "A.0"; "" for the local. */
const char *place_steps(const Place *p);

#endif

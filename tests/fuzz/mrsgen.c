/* mrsgen — random mini-Rust programs for differential testing of mrsc.
 *
 *   mrsgen SEED                  one well-typed, terminating program on stdout
 *   mrsgen --unsupported SEED    a program that uses one construct mrsc refuses
 *   mrsgen --borrows SEED        a program of borrows that rustc may accept or reject
 *
 * requires: nothing but libc; produces: a program that rustc 1.95 (edition
 * 2021) accepts and that stays inside what mrsc supports today.
 *
 * The generator tracks, for every local it declares, its type and its
 * ownership state (live, moved, moved on some paths only, which fields of a
 * struct were moved out), which locals are borrowed for a region (a `for`
 * over `&v`, a `match` on a reference) and which were used earlier in the
 * statement being built. Moves are only generated where the borrow checker
 * will accept them; in particular a local declared outside a loop may only be
 * moved inside it when the loop body assigns it again before the next
 * iteration, or when the path leaves the loop. Integer expressions carry a
 * bound on their magnitude so that arithmetic never overflows by accident.
 *
 * The output is laid out for the reducer (tests/fuzz/reduce.sh): one
 * statement per line, every block's `{` at the end of its header line and its
 * `}` alone on a line, indented by four spaces per level.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Random numbers: splitmix64, so that a seed names the same program on  */
/* every machine.                                                        */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* 0 <= rnd(n) < n */
static int rnd(int n)
{
    return n <= 1 ? 0 : (int)(rng_next() % (uint64_t)n);
}

static bool chance(int pct)
{
    return rnd(100) < pct;
}

/* ------------------------------------------------------------------ */
/* Strings and output buffers. The generator is a short-lived process:   */
/* strings are never freed.                                              */

static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    if (!s) {
        perror("mrsgen");
        exit(2);
    }
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

typedef struct {
    char *data;
    size_t len, cap;
} Buf;

static void buf_add(Buf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
        if (!b->data) {
            perror("mrsgen");
            exit(2);
        }
    }
    memcpy(b->data + b->len, s, n + 1);
    b->len += n;
}

static Buf *out;  /* where emit() writes */
static int indent; /* block nesting of the line being written */

/* One line at the current indentation. */
static void emit(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    for (int i = 0; i < indent; i++)
        buf_add(out, "    ");
    buf_add(out, s);
    buf_add(out, "\n");
    free(s);
}

/* ------------------------------------------------------------------ */
/* Types the generator knows                                             */

enum {
    T_UNIT,   /* () */
    T_I32,    /* i32 */
    T_BOOL,   /* bool */
    T_STR,    /* String */
    T_TOK,    /* Tok: a name and a value, prints when dropped */
    T_PAIR,   /* Pair { a: Tok, b: Tok, n: i32 }: no Drop, so fields can move out */
    T_BAG,    /* Bag { label, items: Vec<Tok>, bx: Box<Tok> }: has Drop */
    T_ITEM,   /* enum Item { Empty, One(Tok), Two(Tok, i32), Named { t, k } } */
    T_LIST,   /* enum List { Cons(Tok, Box<List>), Nil } */
    T_BOXTOK, /* Box<Tok> */
    T_VECTOK, /* Vec<Tok> */
    T_VECI32, /* Vec<i32> */
    T_OPTTOK, /* Option<Tok> */
    T_OPTI32, /* Option<i32> */
    T_RES,    /* Result<i32, String> */
    T_DYNVEC, /* Vec<Box<dyn Describe>> */
    T_BOXFN,  /* Box<dyn Fn(i32) -> i32> */
    T_FNVEC,  /* Vec<Box<dyn Fn(i32) -> i32>> */
    T_NODE,   /* Option<Box<Node>>: a singly linked stack */
    T_REFTOK, /* &Tok */
    T_MUTTOK, /* &mut Tok */
    NTY
};

static const char *ty_rust[NTY] = {
    "()", "i32", "bool", "String", "Tok", "Pair", "Bag", "Item", "List", "Box<Tok>", "Vec<Tok>",
    "Vec<i32>", "Option<Tok>", "Option<i32>", "Result<i32, String>", "Vec<Box<dyn Describe>>",
    "Box<dyn Fn(i32) -> i32>", "Vec<Box<dyn Fn(i32) -> i32>>", "Option<Box<Node>>", "&Tok", "&mut Tok",
};

/* variable name prefixes, so a reader sees the type */
static const char *ty_prefix[NTY] = {
    "u", "n", "c", "s", "t", "p", "g", "it", "l", "b", "vs", "vi", "o", "oi", "r", "zs", "f", "fs", "nd",
    "rt", "mt",
};

static bool ty_copy(int t)
{
    return t == T_UNIT || t == T_I32 || t == T_BOOL || t == T_OPTI32 || t == T_REFTOK;
}

/* ------------------------------------------------------------------ */
/* Prelude items, emitted only when the program uses them                */

enum {
    P_TOK,
    P_PAIR,
    P_MKPAIR,
    P_SINK,
    P_BAG,
    P_ITEM,
    P_ITEMVAL,
    P_LIST,
    P_SUMLIST,
    P_NODE,
    P_DESCRIBE,
    P_SHOW,
    P_DYNID,
    P_PICKMAX,
    P_TOTAL,
    P_CONSUME,
    P_PEEK,
    P_LONGER,
    P_ID,
    P_HALF,
    P_CHAIN,
    P_CHECK,
    P_APPLY,
    P_APPLYMUT,
    P_APPLYONCE,
    P_APPLYDYN,
    P_CALLTWICE,
    P_ADDER,
    P_TAGGER,
    P_HOLDER,
    NPRE
};

static bool used[NPRE];

static void need(int p)
{
    used[p] = true;
    switch (p) { /* dependencies */
    case P_MKPAIR:
    case P_SINK:
        used[P_PAIR] = true;
        break;
    case P_ITEMVAL:
        used[P_ITEM] = true;
        break;
    case P_SUMLIST:
        used[P_LIST] = true;
        break;
    case P_SHOW:
    case P_DYNID:
    case P_PICKMAX:
    case P_TOTAL:
        used[P_DESCRIBE] = true;
        break;
    case P_CHAIN:
        used[P_HALF] = true;
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------ */
/* Locals and their ownership state                                      */

#define MAXV 400
#define MAXLOOPS 8
#define LIMIT 1000000 /* no integer expression may exceed this in magnitude */

enum { ST_LIVE, ST_MOVED, ST_MAYBE };

typedef struct {
    char *name;
    int ty;
    bool mut;
    bool ctl;    /* a loop counter or queue: the generator only reads it */
    bool hidden; /* shadowed: alive until its scope ends, but not nameable */
    bool nobind; /* bound by `_` or a pattern the generator does not use: never nameable */
    int st;      /* state of the whole value */
    int pa, pb;  /* Pair: state of the fields a and b */
    int ld;      /* loop depth of the declaration */
    int bound;   /* i32: |value| <= bound; Box<dyn Fn>: bound of a call's result */
    int frozen;  /* borrowed for a region: 1 shared, 2 unique */
    int sb;      /* used earlier in this statement: 1 read or shared, 2 mutably */
    bool usz;    /* a usize (an enumerate index): read as `(x as i32)` */
    bool untyped; /* an integer whose type rustc infers late (a range variable)
                   * : as a method receiver it needs `as i32` */
    bool deref;  /* a &i32: read as `*x` */
} Var;

typedef struct {
    int n;
    unsigned char st[MAXV], pa[MAXV], pb[MAXV];
} Snap;

typedef struct {
    char *label; /* "'a3" or NULL */
    int bty;     /* type of `break` values: T_UNIT, T_I32 or T_TOK */
    int nv;      /* locals below this index are declared outside the loop */
    Snap entry;  /* states when the loop was entered */
    Snap brk;    /* merged states of the paths that break out of it */
    bool hasbrk;
} Loop;

enum { EXIT_NONE, EXIT_RET, EXIT_BRK, EXIT_CONT };

/* a generated helper function */
typedef struct {
    char *name;
    int np;
    int pty[3];
    bool pmut[3];
    int rty;
    bool leaf; /* no loops, no calls of other helpers: cheap to call in a loop */
} Fn;

static Fn fns[6];
static int nfns;

static struct {
    Var v[MAXV];
    int nv;
    int ld; /* loop depth */
    Loop loops[MAXLOOPS];
    int nloops;
    int rty;       /* return type of the fn being generated */
    int fn_index;  /* helpers below this index may be called */
    int exit_kind; /* inside a branch that ends by leaving: which way */
    int exit_level;
    bool pure;    /* expressions may read but neither move nor mutate */
    bool in_recv; /* building a method receiver: literals and late-typed locals need a type */
    int depth;    /* block nesting inside the fn */
    bool simple;  /* only straight-line statements */
    bool has_loop, has_call;
    int stmt_count;
    int panic_at; /* statement number where the planned panic goes, or -1 */
    bool panic_done;
} G;

static int uniq;         /* numbering of names */
static bool want_panic;  /* this program panics somewhere */
static bool unsupported; /* --unsupported mode */

static char *newname(const char *prefix)
{
    return fmt("%s%d", prefix, ++uniq);
}

static Var *declare(const char *name, int ty, bool mut)
{
    if (G.nv >= MAXV) {
        fprintf(stderr, "mrsgen: too many locals\n");
        exit(2);
    }
    /* a local of the same name is shadowed */
    for (int i = 0; i < G.nv; i++)
        if (!strcmp(G.v[i].name, name))
            G.v[i].hidden = true;
    Var *v = &G.v[G.nv++];
    memset(v, 0, sizeof *v);
    v->name = fmt("%s", name);
    v->ty = ty;
    v->mut = mut;
    v->st = v->pa = v->pb = ST_LIVE;
    v->ld = G.ld;
    v->bound = 1000;
    return v;
}

/* Leave a block: its locals go away; shadowed ones come back. */
static void scope_end(int nv)
{
    G.nv = nv;
    /* a local is nameable again when no later one shadows it */
    for (int j = 0; j < nv; j++) {
        G.v[j].hidden = G.v[j].nobind;
        for (int k = j + 1; k < nv; k++)
            if (!strcmp(G.v[j].name, G.v[k].name))
                G.v[j].hidden = true;
    }
}

static void snap_take(Snap *s)
{
    s->n = G.nv;
    for (int i = 0; i < G.nv; i++) {
        s->st[i] = (unsigned char)G.v[i].st;
        s->pa[i] = (unsigned char)G.v[i].pa;
        s->pb[i] = (unsigned char)G.v[i].pb;
    }
}

static void snap_restore(const Snap *s)
{
    for (int i = 0; i < s->n && i < G.nv; i++) {
        G.v[i].st = s->st[i];
        G.v[i].pa = s->pa[i];
        G.v[i].pb = s->pb[i];
    }
}

static int merge_st(int a, int b)
{
    return a == b ? a : ST_MAYBE;
}

static void snap_merge(Snap *d, const Snap *s)
{
    if (s->n < d->n)
        d->n = s->n;
    for (int i = 0; i < d->n; i++) {
        d->st[i] = (unsigned char)merge_st(d->st[i], s->st[i]);
        d->pa[i] = (unsigned char)merge_st(d->pa[i], s->pa[i]);
        d->pb[i] = (unsigned char)merge_st(d->pb[i], s->pb[i]);
    }
}

/* A new statement: what the last one borrowed is released. */
static void stmt_begin(void)
{
    for (int i = 0; i < G.nv; i++)
        G.v[i].sb = 0;
}

static void touch(Var *v, int how)
{
    if (v->sb < how)
        v->sb = how;
}

static bool whole_live(const Var *v)
{
    return v->st == ST_LIVE && (v->ty != T_PAIR || (v->pa == ST_LIVE && v->pb == ST_LIVE));
}

static bool can_read(const Var *v)
{
    return !v->hidden && whole_live(v) && v->frozen < 2 && v->sb < 2;
}

/* May a local declared at loop depth v->ld be moved here without the next
 * iteration of an enclosing loop seeing it moved? */
static bool loop_ok(const Var *v)
{
    if (v->ld >= G.ld)
        return true;
    if (G.exit_kind == EXIT_RET)
        return true;
    if (G.exit_kind == EXIT_BRK && v->ld >= G.exit_level)
        return true;
    if (G.exit_kind == EXIT_CONT && v->ld >= G.exit_level + 1)
        return true;
    return v->mut; /* the loop body assigns it again before it loops */
}

static bool can_move(const Var *v)
{
    return !G.pure && !v->hidden && !v->ctl && v->frozen == 0 && v->sb == 0 && whole_live(v) &&
           !ty_copy(v->ty) && v->ty != T_MUTTOK && loop_ok(v);
}

/* mutate in place (a method taking &mut self, a field assignment) */
static bool can_mut(const Var *v)
{
    return !G.pure && !v->hidden && !v->ctl && v->frozen == 0 && v->sb == 0 && v->st == ST_LIVE &&
           (v->mut || v->ty == T_MUTTOK);
}

/* assign the whole local */
static bool can_assign(const Var *v)
{
    return !G.pure && !v->hidden && !v->ctl && v->frozen == 0 && v->sb == 0 && v->mut;
}

enum { NEED_READ, NEED_MOVE, NEED_MUT, NEED_ASSIGN };

static bool var_fits(const Var *v, int ty, int need_)
{
    if (v->hidden || (ty >= 0 && v->ty != ty))
        return false;
    switch (need_) {
    case NEED_READ:
        return can_read(v);
    case NEED_MOVE:
        return can_move(v);
    case NEED_MUT:
        return can_mut(v) && whole_live(v);
    default:
        return can_assign(v);
    }
}

/* a random local of type ty (any type when ty < 0) usable as asked */
static Var *pick(int ty, int need_)
{
    int cand[MAXV], n = 0;
    for (int i = 0; i < G.nv; i++)
        if (var_fits(&G.v[i], ty, need_))
            cand[n++] = i;
    return n ? &G.v[cand[rnd(n)]] : NULL;
}

/* Move a local: the caller writes its name. */
static char *take(Var *v)
{
    v->st = ST_MOVED;
    v->pa = v->pb = ST_MOVED;
    return v->name;
}

/* ------------------------------------------------------------------ */
/* Expressions                                                           */

static char *gexpr(int ty, int depth, int *bound);
static char *gint(int depth, int *bound);
static char *gbool(int depth);
static char *gtok(int depth);
static char *gcall(int rty, int depth, int *bound);

static char *tok_name(void)
{
    return newname("k");
}

static char *lit(int lo, int hi, int *bound)
{
    int k = lo + rnd(hi - lo + 1);
    if (bound)
        *bound = k < 0 ? -k : k;
    if (G.in_recv)
        return k < 0 ? fmt("(%di32)", k) : fmt("%di32", k);
    return k < 0 ? fmt("(%d)", k) : fmt("%d", k);
}

/* an i32 expression with |value| <= 1000 */
static char *gint_small(int depth)
{
    int b;
    char *e = gint(depth, &b);
    if (b > 1000)
        return fmt("(%s) %% 1000", e);
    return e;
}

static char *fresh_tok(int depth)
{
    need(P_TOK);
    if (depth > 1 || chance(60))
        return fmt("Tok::new(\"%s\", %s)", tok_name(), lit(0, 20, NULL));
    return fmt("Tok::new(\"%s\", %s)", tok_name(), gint_small(depth + 1));
}

/* A place of type Tok: a Tok, through a Box, a reference, a Pair's field or
 * a Bag's box. `dot` is the place for field access and method calls, `ref`
 * a &Tok of it. */
typedef struct {
    Var *v;
    char *dot, *ref, *mref;
} TokPlace;

static bool tok_place(TokPlace *tp, bool mut)
{
    int cand[MAXV * 2], n = 0;
    for (int i = 0; i < G.nv; i++) {
        Var *v = &G.v[i];
        if (v->hidden || v->st != ST_LIVE)
            continue;
        bool ok = mut ? (can_mut(v)) : (v->frozen < 2 && v->sb < 2);
        if (!ok)
            continue;
        switch (v->ty) {
        case T_TOK:
        case T_BOXTOK:
        case T_REFTOK:
        case T_MUTTOK:
        case T_BAG:
            if (mut && v->ty == T_REFTOK)
                break;
            cand[n++] = i * 2;
            break;
        case T_PAIR:
            if (v->pa == ST_LIVE)
                cand[n++] = i * 2;
            if (v->pb == ST_LIVE)
                cand[n++] = i * 2 + 1;
            break;
        default:
            break;
        }
    }
    if (!n)
        return false;
    int c = cand[rnd(n)];
    Var *v = &G.v[c / 2];
    tp->v = v;
    switch (v->ty) {
    case T_TOK:
        tp->dot = v->name;
        tp->ref = fmt("&%s", v->name);
        tp->mref = fmt("&mut %s", v->name);
        break;
    case T_BOXTOK:
        tp->dot = v->name;
        tp->ref = fmt("&*%s", v->name);
        tp->mref = fmt("&mut *%s", v->name);
        break;
    case T_REFTOK:
        tp->dot = v->name;
        tp->ref = v->name;
        tp->mref = NULL;
        break;
    case T_MUTTOK:
        tp->dot = v->name;
        tp->ref = fmt("&*%s", v->name);
        tp->mref = fmt("&mut *%s", v->name);
        break;
    case T_BAG:
        tp->dot = fmt("%s.bx", v->name);
        tp->ref = fmt("&*%s.bx", v->name);
        tp->mref = fmt("&mut *%s.bx", v->name);
        break;
    default: /* Pair */
        tp->dot = fmt("%s.%s", v->name, c % 2 ? "b" : "a");
        tp->ref = fmt("&%s", tp->dot);
        tp->mref = fmt("&mut %s", tp->dot);
        break;
    }
    touch(v, mut ? 2 : 1);
    return true;
}

/* an int read from a Tok place */
static char *tok_int(int depth, int *b)
{
    TokPlace tp;
    if (!tok_place(&tp, false))
        return NULL;
    *b = 1000;
    switch (rnd(8)) {
    case 0:
        return fmt("%s.get()", tp.dot);
    case 1:
        need(P_PEEK);
        return fmt("peek(%s)", tp.ref);
    case 2:
        need(P_DESCRIBE);
        return fmt("%s.id()", tp.dot);
    case 3:
        *b = 100;
        return fmt("%s.name.len() as i32", tp.dot);
    case 4:
        need(P_SHOW);
        *b = 100;
        return fmt("show(%s).len() as i32", tp.ref);
    case 5:
        need(P_DYNID);
        return fmt("dyn_id(%s)", tp.ref);
    case 6:
        if (depth < 2) {
            TokPlace tq;
            if (tok_place(&tq, false)) {
                need(P_LONGER);
                return fmt("longer(%s, %s).v", tp.ref, tq.ref);
            }
        }
        return fmt("%s.v", tp.dot);
    default:
        return fmt("%s.v", tp.dot);
    }
}

/* an inline closure `|k| ...` reading locals only; bound for |k| <= kb */
static char *closure_body_int(int depth, int kb, int *b)
{
    bool save = G.pure;
    G.pure = true;
    int eb;
    char *e = gint(depth + 1, &eb);
    G.pure = save;
    switch (rnd(4)) {
    case 0:
        *b = kb + eb;
        return fmt("k + %s", e);
    case 1:
        *b = kb * 2 + eb;
        return fmt("k * 2 - %s", e);
    case 2:
        *b = kb;
        return fmt("k %% 7 + 1");
    default:
        *b = eb + 2;
        return fmt("%s %% 3 + 1", e);
    }
}

/* an i32 expression as a method receiver: a bare literal needs its type,
 * anything with an operator needs parentheses */
static char *recv(char *x)
{
    if (strspn(x, "0123456789") == strlen(x))
        return fmt("%si32", x);
    if (x[0] == '(' && x[1] == '-' && strspn(x + 2, "0123456789") == strlen(x) - 3)
        return fmt("(%.*si32)", (int)strlen(x) - 3, x + 1);
    if (strpbrk(x, " +-*/%&|!<>="))
        return fmt("(%s)", x);
    return x;
}

/* a Tok expression as a method receiver: `*b` needs parentheses */
static char *trecv(char *x)
{
    return x[0] == '*' ? fmt("(%s)", x) : x;
}

/* an i32 expression that a method is called on */
static char *grecv(int depth, int *bound)
{
    bool save = G.in_recv;
    G.in_recv = true;
    char *x = gint(depth, bound);
    G.in_recv = save;
    return recv(x);
}

static char *gint(int depth, int *bound)
{
    int b = 0;
    for (int tries = 0; tries < 30; tries++) {
        int r = depth > 2 ? rnd(38) : rnd(100);
        char *e = NULL;
        if (r < 12) { /* literal */
            return lit(0, 30, bound);
        } else if (r < 26) { /* an i32 local */
            Var *v = pick(T_I32, NEED_READ);
            if (!v)
                continue;
            touch(v, 1);
            *bound = v->bound;
            if (v->usz)
                return fmt("(%s as i32)", v->name);
            if (v->untyped && G.in_recv && !v->deref)
                return fmt("(%s as i32)", v->name);
            if (v->deref)
                return fmt("*%s", v->name);
            return v->name;
        } else if (r < 38) { /* from a Tok */
            e = tok_int(depth, &b);
        } else if (r < 40) { /* a Pair's n */
            for (int i = 0; i < G.nv; i++) {
                Var *v = &G.v[G.nv - 1 - i];
                if (v->ty == T_PAIR && !v->hidden && v->st == ST_LIVE && v->frozen < 2 && v->sb < 2) {
                    touch(v, 1);
                    b = 1000;
                    e = fmt("%s.n", v->name);
                    break;
                }
            }
        } else if (r < 46) { /* a length */
            static const int lt[] = {T_VECTOK, T_VECI32, T_STR, T_BAG, T_DYNVEC, T_FNVEC};
            int t = lt[rnd(6)];
            Var *v = pick(t, NEED_READ);
            if (!v)
                continue;
            touch(v, 1);
            b = 1000;
            if (t == T_BAG)
                e = fmt("%s.items.len() as i32", v->name);
            else if (t == T_VECTOK && chance(50)) {
                switch (rnd(4)) {
                case 0:
                    b = 100000;
                    e = fmt("%s.iter().map(|t| t.v).sum::<i32>()", v->name);
                    break;
                case 1:
                    e = fmt("%s.iter().filter(|t| t.v > %d).count() as i32", v->name, rnd(10));
                    break;
                case 2:
                    e = fmt("%s.first().map(|t| t.v).unwrap_or(-1)", v->name);
                    break;
                default:
                    e = fmt("%s.get(%d).map(|t| t.v + 1).unwrap_or(0)", v->name, rnd(3));
                    break;
                }
            } else if (t == T_VECI32 && chance(60)) {
                switch (rnd(4)) {
                case 0:
                    b = 100000;
                    e = fmt("%s.iter().sum::<i32>()", v->name);
                    break;
                case 1:
                    e = fmt("%s.get(%d).copied().unwrap_or(-1)", v->name, rnd(4));
                    break;
                case 2:
                    e = fmt("%s.iter().filter(|k| **k > %d).count() as i32", v->name, rnd(10));
                    break;
                default:
                    b = 200000;
                    e = fmt("%s.iter().map(|k| k * 2).sum::<i32>()", v->name);
                    break;
                }
            } else if (t == T_DYNVEC && chance(50)) {
                need(P_DESCRIBE);
                b = 100000;
                e = fmt("%s.iter().map(|d| d.id()).sum::<i32>()", v->name);
            } else
                e = fmt("%s.len() as i32", v->name);
        } else if (r < 50) { /* options and results */
            int t = rnd(3) == 0 ? T_OPTI32 : rnd(2) ? T_OPTTOK : T_RES;
            Var *v = pick(t, NEED_READ);
            if (!v)
                continue;
            touch(v, 1);
            b = 2000;
            if (t == T_OPTI32)
                e = chance(50) ? fmt("%s.unwrap_or(%d)", v->name, rnd(9))
                               : fmt("%s.map(|k| k + 1).unwrap_or(0)", v->name);
            else if (t == T_OPTTOK)
                e = chance(50) ? fmt("%s.as_ref().map(|t| t.v).unwrap_or(-1)", v->name)
                               : fmt("%s.is_some() as i32", v->name);
            else
                e = chance(50) ? fmt("%s.clone().unwrap_or(-1)", v->name) : fmt("%s.is_ok() as i32", v->name);
        } else if (r < 53) { /* lists */
            Var *v = pick(rnd(2) ? T_LIST : T_NODE, NEED_READ);
            if (!v)
                continue;
            touch(v, 1);
            b = 100000;
            if (v->ty == T_LIST) {
                need(P_SUMLIST);
                e = fmt("sum_list(&%s)", v->name);
            } else {
                need(P_NODE);
                e = fmt("count_nodes(&%s)", v->name);
            }
        } else if (r < 56) { /* Item */
            Var *v = pick(T_ITEM, NEED_READ);
            need(P_ITEMVAL);
            b = 3000;
            if (v) {
                touch(v, 1);
                e = fmt("item_val(&%s)", v->name);
            } else if (depth < 2)
                e = fmt("item_val(&mk_item(%s))", gint_small(depth + 1));
            else
                continue;
        } else if (r < 62) { /* temporaries */
            if (depth > 1)
                continue;
            switch (rnd(5)) {
            case 0:
                b = 1000;
                e = fmt("%s.v", fresh_tok(depth + 1));
                break;
            case 1:
                b = 1000;
                e = fmt("%s.renamed(\"%s\").get()", fresh_tok(depth + 1), tok_name());
                break;
            case 2:
                need(P_MKPAIR);
                b = 1000;
                e = fmt("mk_pair(%s).n", gint_small(depth + 1));
                break;
            case 3:
                b = 100;
                e = fmt("%s.into_name().len() as i32", trecv(gtok(depth + 1)));
                break;
            default:
                b = 100;
                e = fmt("format!(\"{}-{}\", %s, %s).len() as i32", gint_small(depth + 1), gint_small(depth + 1));
                break;
            }
        } else if (r < 66) { /* consume a Tok */
            if (depth > 2 || G.pure)
                continue;
            need(P_CONSUME);
            b = 1000;
            if (chance(30)) { /* generic by value and by reference */
                char *x = gtok(depth + 1);
                TokPlace tp;
                if (tok_place(&tp, false)) {
                    need(P_TOTAL);
                    b = 2000;
                    e = fmt("total(%s, %s)", x, tp.ref);
                } else {
                    e = fmt("consume(%s)", x);
                }
            } else {
                e = fmt("consume(%s)", gtok(depth + 1));
            }
        } else if (r < 72) { /* closures handed to generic and dyn fns */
            if (depth > 1)
                continue;
            int kb, cb;
            char *arg = gint_small(depth + 1);
            kb = 1000;
            switch (rnd(5)) {
            case 0:
            case 1: {
                char *body = closure_body_int(depth, kb, &cb);
                need(P_APPLY);
                b = cb;
                e = fmt("apply(|k| %s, %s)", body, arg);
                break;
            }
            case 2: {
                char *body = closure_body_int(depth, kb, &cb);
                need(P_APPLYDYN);
                b = cb;
                e = fmt("apply_dyn(&|k: i32| %s, %s)", body, arg);
                break;
            }
            case 3: { /* FnOnce: may move what it names */
                if (G.pure)
                    continue;
                need(P_APPLYONCE);
                Var *v = pick(T_TOK, NEED_MOVE);
                if (v && chance(60)) {
                    need(P_CONSUME);
                    b = 1000;
                    e = fmt("apply_once(|| consume(%s))", take(v));
                } else {
                    Var *s = pick(T_STR, NEED_MOVE);
                    if (!s)
                        continue;
                    b = 100000;
                    e = fmt("apply_once(move || %s.len() as i32)", take(s));
                }
                break;
            }
            default: { /* FnMut over a mutable counter */
                if (G.pure)
                    continue;
                Var *v = pick(T_I32, NEED_ASSIGN);
                if (!v || v->bound > 1000)
                    continue;
                need(P_APPLYMUT);
                touch(v, 2);
                b = 4000;
                e = fmt("apply_mut(|k| { %s = (%s + k) %% 1000; %s }, %s)", v->name, v->name, v->name, arg);
                break;
            }
            }
        } else if (r < 76) { /* boxed closures */
            Var *v = pick(T_BOXFN, NEED_READ);
            if (!v)
                continue;
            touch(v, 1);
            b = v->bound;
            e = fmt("%s(%s)", v->name, gint_small(depth + 1));
        } else if (r < 84) { /* arithmetic */
            if (depth > 2)
                continue;
            int b1, b2;
            char *x = gint(depth + 1, &b1);
            switch (rnd(6)) {
            case 0:
            case 1: {
                char *y = gint(depth + 1, &b2);
                if (b1 + b2 > LIMIT)
                    continue;
                b = b1 + b2;
                e = fmt("(%s + %s)", x, y);
                break;
            }
            case 2: {
                char *y = gint(depth + 1, &b2);
                if (b1 + b2 > LIMIT)
                    continue;
                b = b1 + b2;
                e = fmt("(%s - %s)", x, y);
                break;
            }
            case 3: {
                int k = 2 + rnd(4);
                if (b1 * k > LIMIT)
                    continue;
                b = b1 * k;
                e = fmt("%s * %d", x, k);
                break;
            }
            case 4: {
                int k = 2 + rnd(9);
                b = k;
                e = fmt("%s %% %d", x, k);
                break;
            }
            default: {
                int k = 2 + rnd(5);
                b = b1 / k + 1;
                e = fmt("%s / %d", x, k);
                break;
            }
            }
        } else if (r < 88) { /* methods of i32 */
            int b1, b2;
            char *x = grecv(depth + 1, &b1);
            switch (rnd(6)) {
            case 0:
                b = b1;
                e = fmt("%s.abs()", x);
                break;
            case 1:
                b = b1 > 1000 ? b1 : 1000;
                e = fmt("%s.max(%s)", x, lit(-5, 20, NULL));
                break;
            case 2:
                b = b1;
                e = fmt("%s.min(%s)", x, gint(depth + 1, &b2));
                if (b2 > b)
                    b = b2;
                break;
            case 3:
                b = 999;
                e = fmt("%s.wrapping_mul(%d) %% 1000", x, 100000 + rnd(100000));
                break;
            case 4:
                b = 7;
                e = fmt("%s.rem_euclid(7)", x);
                break;
            default:
                if (b1 + 100 > LIMIT)
                    continue;
                b = b1 + 100;
                e = fmt("%s.checked_add(%d).unwrap_or(0)", x, rnd(100));
                break;
            }
        } else if (r < 91) { /* if as a value */
            if (depth > 1)
                continue;
            bool save = G.pure;
            G.pure = true;
            int b1, b2;
            char *c = gbool(depth + 1);
            char *x = gint(depth + 1, &b1);
            char *y = gint(depth + 1, &b2);
            G.pure = save;
            b = b1 > b2 ? b1 : b2;
            e = fmt("(if %s { %s } else { %s })", c, x, y);
        } else if (r < 94) { /* match as a value */
            if (depth > 1)
                continue;
            bool save = G.pure;
            G.pure = true;
            int b0, b1, b2, b3;
            char *s = gint(depth + 1, &b0);
            char *x = gint(depth + 1, &b1);
            char *y = gint(depth + 1, &b2);
            char *z = gint(depth + 1, &b3);
            G.pure = save;
            b = b1 > b2 ? b1 : b2;
            if (b3 > b)
                b = b3;
            e = fmt("(match %s %% 4 { 0 => %s, 1 | 2 => %s, _ => %s })", s, x, y, z);
        } else if (r < 97) { /* Option helpers */
            need(rnd(2) ? P_HALF : P_CHAIN);
            b = 1000;
            e = fmt("%s(%s).unwrap_or(%d)", used[P_CHAIN] && chance(50) ? "chain" : "half", gint_small(depth + 1),
                    rnd(5));
        } else { /* a helper fn */
            if (depth > 1)
                continue;
            e = gcall(T_I32, depth + 1, &b);
        }
        if (!e)
            continue;
        *bound = b;
        return e;
    }
    return lit(0, 9, bound);
}

/* an operand of a comparison: `x as i32 < y` would parse `i32<` as generics */
static char *paren_as(char *x)
{
    return strstr(x, " as ") ? fmt("(%s)", x) : x;
}

static char *gbool(int depth)
{
    for (int tries = 0; tries < 20; tries++) {
        int r = depth > 2 ? rnd(40) : rnd(100);
        int b;
        if (r < 40) {
            static const char *ops[] = {"<", "<=", ">", ">=", "==", "!="};
            char *x = gint(depth + 1, &b);
            char *y = gint(depth + 1, &b);
            return fmt("%s %s %s", paren_as(x), ops[rnd(6)], paren_as(y));
        } else if (r < 55) {
            static const int tt[] = {T_STR, T_VECTOK, T_VECI32, T_OPTTOK, T_OPTI32, T_RES};
            int t = tt[rnd(6)];
            Var *v = pick(t, NEED_READ);
            if (!v)
                continue;
            touch(v, 1);
            switch (t) {
            case T_STR:
                return rnd(2) ? fmt("%s.is_empty()", v->name) : fmt("%s.contains(\"%d\")", v->name, rnd(10));
            case T_VECTOK:
            case T_VECI32:
                return fmt("%s.is_empty()", v->name);
            case T_OPTTOK:
            case T_OPTI32:
                return rnd(2) ? fmt("%s.is_some()", v->name) : fmt("%s.is_none()", v->name);
            default:
                return fmt("%s.is_ok()", v->name);
            }
        } else if (r < 62) {
            TokPlace tp;
            if (!tok_place(&tp, false))
                continue;
            return fmt("%s.name.starts_with(\"%c\")", tp.dot, "tkmp"[rnd(4)]);
        } else if (r < 72) {
            if (depth > 1)
                continue;
            return fmt("%s.v > %d", fresh_tok(depth + 1), rnd(15));
        } else if (r < 80) {
            if (depth > 1)
                continue;
            char *l = gbool(depth + 1), *r2 = gbool(depth + 1); /* in this order on every compiler */
            return fmt("(%s && %s)", l, r2);
        } else if (r < 86) {
            if (depth > 1)
                continue;
            char *l = gbool(depth + 1), *r2 = gbool(depth + 1);
            return fmt("(%s || %s)", l, r2);
        } else if (r < 90) {
            if (depth > 1)
                continue;
            return fmt("!(%s)", gbool(depth + 1));
        } else if (r < 95) {
            if (depth > 1)
                continue;
            return fmt("format!(\"{}\", %s).len() > %d", gint(depth + 1, &b), 1 + rnd(3));
        } else {
            return rnd(2) ? "true" : "false";
        }
    }
    return "true";
}

static char *gstr(int depth)
{
    for (int tries = 0; tries < 20; tries++) {
        int r = depth > 2 ? rnd(20) : rnd(100);
        int b;
        if (r < 15)
            return fmt("String::from(\"w%d\")", rnd(100));
        if (r < 30) {
            char *x = gint(depth + 1, &b), *y = gint(depth + 1, &b);
            return fmt("format!(\"{}-{}\", %s, %s)", x, y);
        }
        if (r < 45) {
            Var *v = pick(T_STR, chance(50) ? NEED_MOVE : NEED_READ);
            if (!v)
                continue;
            if (can_move(v) && chance(60))
                return take(v);
            if (!can_read(v))
                continue;
            touch(v, 1);
            return rnd(2) ? fmt("%s.clone()", v->name) : fmt("%s.to_uppercase()", v->name);
        }
        if (r < 60) {
            TokPlace tp;
            if (!tok_place(&tp, false))
                continue;
            if (rnd(2))
                return fmt("%s.name.clone()", tp.dot);
            need(P_DESCRIBE);
            return fmt("%s.describe()", tp.dot);
        }
        if (r < 72) {
            if (G.pure)
                continue;
            return fmt("%s.into_name()", trecv(gtok(depth + 1)));
        }
        if (r < 80)
            return fmt("%s.to_string()", grecv(depth + 1, &b));
        if (r < 88) {
            char *x = gint(depth + 1, &b), *y = gint(depth + 1, &b);
            return fmt("format!(\"{:>4}|{:<3}|\", %s, %s)", x, y);
        }
        if (r < 94) {
            if (depth > 1)
                continue;
            char *e = gcall(T_STR, depth + 1, &b);
            if (!e)
                continue;
            return e;
        }
        return fmt("\"x%d\".to_string()", rnd(10));
    }
    return fmt("String::from(\"w%d\")", rnd(100));
}

static char *gtok(int depth)
{
    need(P_TOK);
    for (int tries = 0; tries < 20; tries++) {
        int r = G.pure ? 0 : depth > 2 ? rnd(40) : rnd(100);
        if (r < 30)
            return fresh_tok(depth);
        if (r < 45) {
            Var *v = pick(T_TOK, NEED_MOVE);
            if (!v)
                continue;
            return take(v);
        }
        if (r < 52) {
            Var *v = pick(T_BOXTOK, NEED_MOVE);
            if (!v)
                continue;
            return fmt("*%s", take(v));
        }
        if (r < 58) { /* a field out of a Pair */
            int cand[MAXV], n = 0;
            for (int i = 0; i < G.nv; i++) {
                Var *v = &G.v[i];
                if (v->ty == T_PAIR && !v->hidden && !v->ctl && v->st == ST_LIVE && v->frozen == 0 && v->sb == 0 &&
                    (v->pa == ST_LIVE || v->pb == ST_LIVE) && loop_ok(v))
                    cand[n++] = i;
            }
            if (!n)
                continue;
            Var *v = &G.v[cand[rnd(n)]];
            bool a = v->pa == ST_LIVE && (v->pb != ST_LIVE || rnd(2));
            if (a)
                v->pa = ST_MOVED;
            else
                v->pb = ST_MOVED;
            return fmt("%s.%s", v->name, a ? "a" : "b");
        }
        if (r < 64) {
            Var *v = pick(T_VECTOK, NEED_MUT);
            if (!v)
                continue;
            touch(v, 2);
            return fmt("%s.pop().unwrap_or(%s)", v->name, fresh_tok(depth + 1));
        }
        if (r < 70) {
            TokPlace tp;
            if (!tok_place(&tp, true))
                continue;
            return fmt("std::mem::replace(%s, %s)", tp.mref, fresh_tok(depth + 1));
        }
        if (r < 75) {
            Var *v = pick(T_OPTTOK, rnd(2) ? NEED_MUT : NEED_MOVE);
            if (!v)
                continue;
            if (can_move(v) && chance(50)) {
                char *recv = take(v); /* moved before the argument is written (C leaves the order open) */
                return fmt("%s.unwrap_or(%s)", recv, fresh_tok(depth + 1));
            }
            if (!can_mut(v))
                continue;
            touch(v, 2);
            return fmt("%s.take().unwrap_or(%s)", v->name, fresh_tok(depth + 1));
        }
        if (r < 82) {
            if (depth > 1)
                continue;
            return fmt("%s.renamed(\"%s\")", trecv(gtok(depth + 1)), tok_name());
        }
        if (r < 86) {
            if (depth > 1)
                continue;
            need(P_PICKMAX);
            char *x = gtok(depth + 1);
            char *y = gtok(depth + 1);
            return fmt("pick_max(%s, %s)", x, y);
        }
        if (r < 90) {
            if (depth > 1)
                continue;
            bool save = G.pure;
            G.pure = true;
            char *c = gbool(depth + 1);
            G.pure = save;
            return fmt("(if %s { %s } else { %s })", c, fresh_tok(depth + 1), fresh_tok(depth + 1));
        }
        if (r < 94) {
            Var *v = pick(T_BAG, NEED_MUT);
            if (!v)
                continue;
            touch(v, 2);
            if (rnd(2))
                return fmt("%s.items.pop().unwrap_or(%s)", v->name, fresh_tok(depth + 1));
            return fmt("*std::mem::replace(&mut %s.bx, Box::new(%s))", v->name, fresh_tok(depth + 1));
        }
        if (depth > 1)
            continue;
        int b;
        char *e = gcall(T_TOK, depth + 1, &b);
        if (e)
            return e;
    }
    return fresh_tok(depth);
}

/* a Box<dyn Fn(i32) -> i32>: always a `move` closure (a boxed closure is 'static) */
static char *gboxfn(int *bound)
{
    int r = rnd(10);
    if (r < 2 && !G.pure) {
        Var *v = pick(T_TOK, NEED_MOVE);
        if (v) {
            need(P_HOLDER);
            *bound = 1100;
            return fmt("make_holder(%s)", take(v));
        }
    }
    if (r < 4 && !G.pure) { /* captures a whole Tok: dropped with the box */
        Var *v = pick(T_TOK, NEED_MOVE);
        if (v) {
            *bound = 1100;
            return fmt("Box::new(move |k: i32| k + %s.name.len() as i32)", take(v));
        }
    }
    if (r < 6) { /* a Copy field only: the Tok stays where it is */
        Var *v = pick(T_TOK, NEED_READ);
        if (v) {
            touch(v, 1);
            *bound = 2000;
            return fmt("Box::new(move |k: i32| k + %s.v)", v->name);
        }
    }
    Var *n = pick(T_I32, NEED_READ);
    if (n && n->bound <= 1000 && !n->usz && !n->deref) {
        touch(n, 1);
        *bound = 3000;
        return fmt("Box::new(move |k: i32| k * 2 - %s)", n->name);
    }
    int k = rnd(10);
    *bound = 1000 + k;
    return fmt("Box::new(|k: i32| k + %d)", k);
}

static char *gvectok(int depth)
{
    need(P_TOK);
    int r = G.pure ? rnd(40) : rnd(100);
    if (r < 15)
        return fmt("Vec::new()");
    if (r < 55) {
        int n = 1 + rnd(3);
        char *s = fmt("vec![");
        for (int i = 0; i < n; i++)
            s = fmt("%s%s%s", s, i ? ", " : "", depth > 1 ? fresh_tok(depth + 1) : gtok(depth + 1));
        return fmt("%s]", s);
    }
    if (r < 70) {
        Var *v = pick(T_VECTOK, NEED_MOVE);
        if (v)
            return take(v);
    }
    if (r < 80) {
        Var *v = pick(T_VECTOK, NEED_MUT);
        if (v) {
            touch(v, 2);
            return fmt("std::mem::take(&mut %s)", v->name);
        }
    }
    if (r < 88) {
        Var *v = pick(T_VECTOK, NEED_MOVE);
        if (v)
            return fmt("%s.into_iter().filter(|t| t.v %% 2 == %d).collect()", take(v), rnd(2));
    }
    if (r < 94) {
        Var *v = pick(T_BAG, NEED_MUT);
        if (v) {
            touch(v, 2);
            return fmt("std::mem::take(&mut %s.items)", v->name);
        }
    }
    return fmt("vec![%s]", fresh_tok(depth + 1));
}

static char *gexpr(int ty, int depth, int *bound)
{
    int b = 0;
    if (!bound)
        bound = &b;
    switch (ty) {
    case T_I32:
        return gint(depth, bound);
    case T_BOOL:
        return gbool(depth);
    case T_STR:
        return gstr(depth);
    case T_TOK:
        return gtok(depth);
    case T_PAIR: {
        need(P_PAIR);
        int r = G.pure ? 0 : rnd(10);
        if (r < 4 || depth > 1) {
            /* fields in a random order: evaluation order is the written one */
            char *a = fmt("a: %s", depth > 2 ? fresh_tok(depth + 1) : gtok(depth + 1));
            char *bb = fmt("b: %s", depth > 2 ? fresh_tok(depth + 1) : gtok(depth + 1));
            char *n = fmt("n: %s", gint_small(depth + 1));
            switch (rnd(3)) {
            case 0:
                return fmt("Pair { %s, %s, %s }", a, bb, n);
            case 1:
                return fmt("Pair { %s, %s, %s }", bb, n, a);
            default:
                return fmt("Pair { %s, %s, %s }", n, a, bb);
            }
        }
        if (r < 6) {
            need(P_MKPAIR);
            return fmt("mk_pair(%s)", gint_small(depth + 1));
        }
        if (r < 8) {
            Var *v = pick(T_PAIR, NEED_MOVE);
            if (v)
                return take(v);
        }
        /* struct update: moves the rest of another Pair */
        for (int i = 0; i < G.nv; i++) {
            Var *v = &G.v[i];
            if (v->ty == T_PAIR && !v->hidden && !v->ctl && v->st == ST_LIVE && v->pb == ST_LIVE && v->frozen == 0 &&
                v->sb == 0 && loop_ok(v)) {
                char *a = gtok(depth + 1);
                if (v->st != ST_LIVE || v->pb != ST_LIVE || v->sb)
                    return fmt("Pair { a: %s, b: %s, n: 0 }", a, fresh_tok(depth + 1));
                v->pb = ST_MOVED;
                return fmt("Pair { a: %s, ..%s }", a, v->name);
            }
        }
        need(P_MKPAIR);
        return fmt("mk_pair(%s)", lit(0, 9, NULL));
    }
    case T_BAG: {
        need(P_BAG);
        Var *v = G.pure ? NULL : pick(T_BAG, NEED_MOVE);
        if (v && chance(30))
            return take(v);
        char *l = fmt("label: %s", gstr(depth + 1));
        char *i = fmt("items: %s", gvectok(depth + 1));
        char *x = fmt("bx: Box::new(%s)", gtok(depth + 1));
        switch (rnd(3)) {
        case 0:
            return fmt("Bag { %s, %s, %s }", l, i, x);
        case 1:
            return fmt("Bag { %s, %s, %s }", x, l, i);
        default:
            return fmt("Bag { %s, %s, %s }", i, x, l);
        }
    }
    case T_ITEM: {
        need(P_ITEM);
        int r = G.pure ? rnd(60) : rnd(100);
        if (r < 15)
            return "Item::Empty";
        if (r < 30)
            return fmt("Item::One(%s)", gtok(depth + 1));
        if (r < 45) {
            char *t = gtok(depth + 1);
            return fmt("Item::Two(%s, %s)", t, gint_small(depth + 1));
        }
        if (r < 60) {
            if (rnd(2)) {
                char *t = gtok(depth + 1);
                return fmt("Item::Named { t: %s, k: %s }", t, gint_small(depth + 1));
            }
            char *k = gint_small(depth + 1);
            return fmt("Item::Named { k: %s, t: %s }", k, gtok(depth + 1));
        }
        if (r < 80) {
            Var *v = pick(T_ITEM, NEED_MOVE);
            if (v)
                return take(v);
        }
        return fmt("mk_item(%s)", gint_small(depth + 1));
    }
    case T_LIST: {
        need(P_LIST);
        int r = G.pure ? rnd(60) : rnd(100);
        if (r < 20)
            return "List::Nil";
        if (r < 50) {
            need(P_SUMLIST);
            return fmt("build(%d)", rnd(4));
        }
        if (r < 75 && depth < 2) {
            char *t = gtok(depth + 1);
            return fmt("List::Cons(%s, Box::new(%s))", t, gexpr(T_LIST, depth + 1, NULL));
        }
        Var *v = pick(T_LIST, NEED_MOVE);
        if (v)
            return take(v);
        return "List::Nil";
    }
    case T_BOXTOK: {
        Var *v = G.pure ? NULL : pick(T_BOXTOK, NEED_MOVE);
        if (v && chance(30))
            return take(v);
        return fmt("Box::new(%s)", gtok(depth + 1));
    }
    case T_VECTOK:
        return gvectok(depth);
    case T_VECI32: {
        int r = rnd(10);
        if (r < 4) {
            int n = rnd(4);
            char *s = fmt("vec![");
            for (int i = 0; i < n; i++)
                s = fmt("%s%s%s", s, i ? ", " : "", gint_small(depth + 1));
            return fmt("%s]", s);
        }
        if (r < 6)
            return fmt("(0..%d).collect()", rnd(5));
        if (r < 8) {
            Var *v = pick(T_VECTOK, NEED_READ);
            if (v) {
                touch(v, 1);
                return fmt("%s.iter().map(|t| t.v).collect()", v->name);
            }
        }
        Var *v = G.pure ? NULL : pick(T_VECI32, NEED_MOVE);
        if (v)
            return take(v);
        return fmt("vec![%d, %d]", rnd(9), rnd(9));
    }
    case T_OPTTOK: {
        int r = G.pure ? rnd(40) : rnd(100);
        if (r < 25)
            return fmt("Some(%s)", gtok(depth + 1));
        if (r < 40)
            return "None";
        if (r < 55) {
            Var *v = pick(T_VECTOK, NEED_MUT);
            if (v) {
                touch(v, 2);
                return fmt("%s.pop()", v->name);
            }
        }
        if (r < 70) {
            Var *v = pick(T_OPTTOK, NEED_MUT);
            if (v) {
                touch(v, 2);
                return fmt("%s.take()", v->name);
            }
        }
        if (r < 80) {
            Var *v = pick(T_NODE, NEED_MUT);
            if (v) {
                touch(v, 2);
                need(P_NODE);
                return fmt("pop_node(&mut %s)", v->name);
            }
        }
        Var *v = pick(T_OPTTOK, NEED_MOVE);
        if (v)
            return take(v);
        return fmt("Some(%s)", fresh_tok(depth + 1));
    }
    case T_OPTI32: {
        int r = rnd(10);
        if (r < 3)
            return fmt("Some(%s)", gint_small(depth + 1));
        if (r < 4)
            return "None::<i32>";
        if (r < 6) {
            need(P_HALF);
            return fmt("half(%s)", gint_small(depth + 1));
        }
        if (r < 7) {
            need(P_CHAIN);
            return fmt("chain(%s)", gint_small(depth + 1));
        }
        if (r < 8) {
            Var *v = pick(T_VECTOK, NEED_READ);
            if (v) {
                touch(v, 1);
                return fmt("%s.last().map(|t| t.v)", v->name);
            }
        }
        if (r < 9 && depth < 2) {
            int bb;
            char *e = gcall(T_OPTI32, depth + 1, &bb);
            if (e)
                return e;
        }
        int b2;
        return fmt("%s.checked_sub(%d)", grecv(depth + 1, &b2), rnd(20));
    }
    case T_RES: {
        int r = rnd(10);
        if (r < 4) {
            need(P_CHECK);
            return fmt("check(%s)", gint_small(depth + 1));
        }
        if (r < 6)
            return fmt("Ok(%s)", gint_small(depth + 1));
        if (r < 7)
            return fmt("Err(%s)", gstr(depth + 1));
        if (r < 9 && depth < 2) {
            int bb;
            char *e = gcall(T_RES, depth + 1, &bb);
            if (e)
                return e;
        }
        Var *v = G.pure ? NULL : pick(T_RES, NEED_MOVE);
        if (v)
            return take(v);
        return fmt("Ok(%d)", rnd(9));
    }
    case T_DYNVEC:
        need(P_DESCRIBE);
        return "Vec::new()";
    case T_BOXFN:
        return gboxfn(bound);
    case T_FNVEC:
        return "Vec::new()";
    case T_NODE: {
        need(P_NODE);
        int r = G.pure ? 0 : rnd(10);
        if (r < 3)
            return "None";
        if (r < 7) {
            Var *v = pick(T_NODE, NEED_MOVE);
            char *head = v ? take(v) : "None";
            return fmt("push_node(%s, %s)", head, gtok(depth + 1));
        }
        return fmt("push_node(None, %s)", gtok(depth + 1));
    }
    default:
        return "()";
    }
}

/* ------------------------------------------------------------------ */
/* Calls of generated helpers                                            */

static char *garg(int ty, int depth)
{
    TokPlace tp;
    switch (ty) {
    case T_I32:
        return gint_small(depth);
    case T_REFTOK:
        if (chance(80) && tok_place(&tp, false))
            return tp.ref;
        need(P_TOK);
        return fmt("&%s", fresh_tok(depth));
    case T_MUTTOK:
        if (!G.pure && chance(80) && tok_place(&tp, true))
            return tp.mref;
        need(P_TOK);
        return fmt("&mut %s", fresh_tok(depth));
    default:
        return gexpr(ty, depth, NULL);
    }
}

/* A call of a generated helper returning rty, or NULL. Inside loops only
 * leaf helpers are called, so running time stays small. */
static char *gcall(int rty, int depth, int *bound)
{
    int cand[8], n = 0;
    for (int i = 0; i < G.fn_index && i < nfns; i++)
        if (fns[i].rty == rty && (G.ld == 0 || fns[i].leaf))
            cand[n++] = i;
    if (!n)
        return NULL;
    Fn *f = &fns[cand[rnd(n)]];
    if (G.pure) { /* owned arguments would move */
        for (int i = 0; i < f->np; i++)
            if (!ty_copy(f->pty[i]) && f->pty[i] != T_REFTOK)
                return NULL;
    }
    G.has_call = true;
    char *s = fmt("%s(", f->name);
    for (int i = 0; i < f->np; i++)
        s = fmt("%s%s%s", s, i ? ", " : "", garg(f->pty[i], depth + 1));
    *bound = 1000;
    return fmt("%s)", s);
}

/* ------------------------------------------------------------------ */
/* Statements                                                            */

static void gen_block(int n);
static void gen_stmt(void);

static int print_tag;

/* `println!` with a unique tag, so a reader can tell the lines apart */
static char *ptag(void)
{
    return fmt("p%d", ++print_tag);
}

/* Print what a local holds (without moving it). */
static void print_var(Var *v)
{
    stmt_begin();
    if (!can_read(v))
        return;
    const char *n = v->name;
    char *t = ptag();
    switch (v->ty) {
    case T_I32:
        if (v->usz)
            emit("println!(\"%s {}\", %s);", t, n);
        else
            emit("println!(\"%s {}\", %s%s);", t, v->deref ? "*" : "", n);
        break;
    case T_BOOL:
    case T_STR:
        emit("println!(\"%s {}\", %s);", t, n);
        break;
    case T_TOK:
    case T_BOXTOK:
    case T_REFTOK:
    case T_MUTTOK:
        if (chance(20))
            emit("println!(\"%s {:?}\", %s);", t, n);
        else
            emit("println!(\"%s {} {}\", %s.name, %s.v);", t, n, n);
        break;
    case T_PAIR:
        emit("println!(\"%s {} {} {}\", %s.a.name, %s.b.name, %s.n);", t, n, n, n);
        break;
    case T_BAG:
        emit("println!(\"%s {} {} {}\", %s.label, %s.items.len(), %s.bx.name);", t, n, n, n);
        break;
    case T_ITEM:
    case T_VECTOK:
    case T_VECI32:
    case T_OPTTOK:
    case T_OPTI32:
    case T_RES:
    case T_LIST:
    case T_NODE:
        emit("println!(\"%s {:?}\", %s);", t, n);
        break;
    case T_DYNVEC:
        emit("println!(\"%s {}\", %s.len());", t, n);
        break;
    case T_BOXFN:
        emit("println!(\"%s {}\", %s(%d));", t, n, rnd(10));
        break;
    case T_FNVEC:
        emit("println!(\"%s {}\", %s.len());", t, n);
        break;
    default:
        break;
    }
}

/* types of new locals, by weight */
static int pick_let_type(void)
{
    static const int w[][2] = {
        {T_I32, 16}, {T_STR, 5}, {T_TOK, 18}, {T_PAIR, 6}, {T_BAG, 3}, {T_ITEM, 6}, {T_LIST, 3}, {T_BOXTOK, 5},
        {T_VECTOK, 7}, {T_VECI32, 3}, {T_OPTTOK, 5}, {T_OPTI32, 3}, {T_RES, 3}, {T_DYNVEC, 2}, {T_BOXFN, 3},
        {T_FNVEC, 1}, {T_NODE, 2}, {T_BOOL, 2},
    };
    int total = 0, n = (int)(sizeof w / sizeof w[0]);
    for (int i = 0; i < n; i++)
        total += w[i][1];
    int r = rnd(total);
    for (int i = 0; i < n; i++) {
        if (r < w[i][1])
            return w[i][0];
        r -= w[i][1];
    }
    return T_I32;
}

static void st_let(void)
{
    int ty = pick_let_type();
    int b = 0;
    stmt_begin();
    char *e = gexpr(ty, 0, &b);
    bool mut = chance(55);
    char *name = newname(ty_prefix[ty]);
    if (ty == T_I32 && b > LIMIT / 10)
        e = fmt("(%s) %% 1000", e), b = 999;
    emit("let %s%s: %s = %s;", mut ? "mut " : "", name, ty_rust[ty], e);
    Var *v = declare(name, ty, mut);
    v->bound = ty == T_I32 && mut && b < 1000 ? 1000 : b;
    if (chance(60))
        print_var(v);
}

static void st_print(void)
{
    stmt_begin();
    int n = 1 + rnd(3);
    char *args = "";
    char *f = "";
    for (int i = 0; i < n; i++) {
        int b;
        switch (rnd(6)) {
        case 0:
            args = fmt("%s, %s", args, gstr(1));
            f = fmt("%s {}", f);
            break;
        case 1:
            args = fmt("%s, %s", args, gbool(1));
            f = fmt("%s {}", f);
            break;
        case 2:
            args = fmt("%s, %s", args, gexpr(T_OPTI32, 1, NULL));
            f = fmt("%s {:?}", f);
            break;
        default:
            args = fmt("%s, %s", args, gint(1, &b));
            f = fmt("%s %s", f, rnd(4) ? "{}" : rnd(2) ? "{:>5}" : "{:03}");
            break;
        }
    }
    emit("println!(\"%s%s\"%s);", ptag(), f, args);
}

/* consume a local: by a fn, drop(), or a binding that is not a move */
static void st_move(void)
{
    stmt_begin();
    Var *v = pick(-1, NEED_MOVE);
    if (!v) {
        st_print();
        return;
    }
    if (v->ty == T_TOK && chance(40)) {
        need(P_CONSUME);
        emit("println!(\"%s {}\", consume(%s));", ptag(), take(v));
    } else if (v->ty == T_PAIR && chance(50)) {
        need(P_SINK);
        emit("println!(\"%s {}\", sink_pair(%s));", ptag(), take(v));
    } else if (chance(15)) {
        emit("let _ = %s;", v->name); /* binds nothing: no move */
    } else if (chance(10)) {
        emit("_ = %s;", v->name); /* assigns nothing: no move */
    } else if (chance(20)) {
        emit("std::mem::drop(%s);", take(v));
    } else {
        emit("drop(%s);", take(v));
    }
}

/* assign a whole local (dropping the old value, or reinitializing a moved one) */
static void st_assign(void)
{
    stmt_begin();
    Var *v = pick(-1, NEED_ASSIGN);
    if (!v || v->ty == T_MUTTOK || v->ty == T_REFTOK) {
        st_print();
        return;
    }
    if (v->ty == T_I32) {
        int b;
        char *e = gint(0, &b);
        if (b + v->bound > LIMIT || b > v->bound) {
            emit("%s = (%s + %s) %% %d;", v->name, v->name, b > LIMIT / 2 ? fmt("(%s) %% 1000", e) : e,
                 v->bound < 1000 ? 1000 : v->bound);
        } else if (chance(50)) {
            emit("%s = (%s + %s) %% %d;", v->name, v->name, e, v->bound < 1000 ? 1000 : v->bound);
        } else {
            emit("%s = %s;", v->name, e);
        }
        if (v->bound < 1000)
            v->bound = 1000;
        return;
    }
    int b = 0;
    touch(v, 0);
    char *e = gexpr(v->ty, 0, &b);
    /* the value may have read the local: that is fine, the borrow ended */
    emit("%s = %s;", v->name, e);
    v->st = v->pa = v->pb = ST_LIVE;
    if (v->ty == T_BOXFN && b > v->bound)
        v->bound = b;
    if (chance(40))
        print_var(v);
}

/* a mutation in place: a field, a method taking &mut self, a push */
static void st_mutate(void)
{
    stmt_begin();
    TokPlace tp;
    int r = rnd(100);
    if (r < 35 && tok_place(&tp, true)) {
        switch (rnd(4)) {
        case 0:
            emit("%s.bump(%s);", tp.dot, gint_small(1));
            return;
        case 1:
            emit("%s.v = %s;", tp.dot, gint_small(1));
            return;
        case 2:
            emit("%s.name.push_str(\"+\");", tp.dot);
            return;
        default: {
            char *t = gtok(1);
            /* assigning through a place drops the old Tok */
            if (tp.v->ty == T_TOK || tp.v->ty == T_PAIR)
                emit("%s = %s;", tp.dot, t);
            else if (tp.v->ty == T_BAG)
                emit("*%s = %s;", tp.dot, t);
            else
                emit("*%s = %s;", tp.dot, t);
            return;
        }
        }
    }
    if (r < 45) { /* reinitialize a moved field of a Pair */
        for (int i = 0; i < G.nv; i++) {
            Var *v = &G.v[i];
            if (v->ty == T_PAIR && can_mut(v) && (v->pa != ST_LIVE || v->pb != ST_LIVE)) {
                touch(v, 2);
                bool a = v->pa != ST_LIVE;
                char *t = gtok(1);
                emit("%s.%s = %s;", v->name, a ? "a" : "b", t);
                if (a)
                    v->pa = ST_LIVE;
                else
                    v->pb = ST_LIVE;
                return;
            }
        }
    }
    if (r < 70) {
        Var *v = pick(T_VECTOK, NEED_MUT);
        if (v) {
            touch(v, 2);
            switch (rnd(8)) {
            case 0:
            case 1:
                emit("%s.push(%s);", v->name, gtok(1));
                break;
            case 2:
                emit("%s.insert(0, %s);", v->name, gtok(1));
                break;
            case 3:
                emit("%s.truncate(%d);", v->name, rnd(3));
                break;
            case 4:
                emit("%s.retain(|t| t.v %% 3 != %d);", v->name, rnd(3));
                break;
            case 5:
                emit("%s.sort_by_key(|t| t.v);", v->name);
                break;
            case 6:
                emit("%s.reverse();", v->name);
                break;
            default:
                emit("%s.clear();", v->name);
                break;
            }
            return;
        }
    }
    if (r < 80) {
        Var *v = pick(T_BAG, NEED_MUT);
        if (v) {
            touch(v, 2);
            switch (rnd(3)) {
            case 0:
                emit("%s.items.push(%s);", v->name, gtok(1));
                break;
            case 1:
                emit("%s.bx = Box::new(%s);", v->name, gtok(1));
                break;
            default:
                emit("%s.label.push_str(\"%d\");", v->name, rnd(10));
                break;
            }
            return;
        }
    }
    if (r < 85) {
        Var *v = pick(T_DYNVEC, NEED_MUT);
        if (v) {
            touch(v, 2);
            need(P_DESCRIBE);
            if (rnd(3) == 0) {
                emit("%s.pop();", v->name);
            } else if (rnd(3) == 0) {
                need(P_PAIR);
                emit("%s.push(Box::new(%s));", v->name, gexpr(T_PAIR, 1, NULL));
            } else {
                emit("%s.push(Box::new(%s));", v->name, gtok(1));
            }
            return;
        }
    }
    if (r < 90) {
        Var *v = pick(T_FNVEC, NEED_MUT);
        if (v) {
            touch(v, 2);
            int b;
            emit("%s.push(%s);", v->name, gboxfn(&b));
            if (b > v->bound)
                v->bound = b;
            return;
        }
    }
    if (r < 94) {
        Var *v = pick(T_VECI32, NEED_MUT);
        if (v) {
            touch(v, 2);
            if (rnd(2))
                emit("%s.push(%s);", v->name, gint_small(1));
            else
                emit("%s.sort();", v->name);
            return;
        }
    }
    Var *v = pick(T_STR, NEED_MUT);
    if (v) {
        touch(v, 2);
        emit("%s.push_str(\"%c\");", v->name, 'a' + rnd(26));
        return;
    }
    Var *n = pick(T_NODE, NEED_MUT);
    if (n) {
        touch(n, 2);
        need(P_NODE);
        char *t = gtok(1);
        emit("%s = push_node(%s.take(), %s);", n->name, n->name, t);
        return;
    }
    st_print();
}

/* std::mem::swap of two locals of one type */
static void st_swap(void)
{
    stmt_begin();
    static const int tt[] = {T_TOK, T_VECTOK, T_STR, T_OPTTOK, T_BOXTOK};
    int ty = tt[rnd(5)];
    Var *a = pick(ty, NEED_MUT);
    if (!a) {
        st_print();
        return;
    }
    touch(a, 2);
    Var *b = pick(ty, NEED_MUT);
    if (!b) {
        stmt_begin();
        st_print();
        return;
    }
    emit("std::mem::swap(&mut %s, &mut %s);", a->name, b->name);
}

/* --- the ways out of a block ------------------------------------------ */

/* Assign again the locals of loop k's outside that this path moved, so
 * the loop can go round again. Returns false if one cannot be. */
static bool reinit_outer(int k)
{
    Loop *lp = &G.loops[k];
    /* first: can every such local be assigned? */
    for (int i = 0; i < lp->nv && i < G.nv; i++) {
        Var *v = &G.v[i];
        bool whole = lp->entry.st[i] == ST_LIVE && v->st != ST_LIVE;
        bool part = v->ty == T_PAIR && v->st == ST_LIVE &&
                    ((lp->entry.pa[i] == ST_LIVE && v->pa != ST_LIVE) || (lp->entry.pb[i] == ST_LIVE && v->pb != ST_LIVE));
        if ((whole || part) && (!v->mut || v->hidden || v->ctl))
            return false;
    }
    for (int i = 0; i < lp->nv && i < G.nv; i++) {
        Var *v = &G.v[i];
        bool save = G.pure;
        G.pure = true;
        stmt_begin();
        if (lp->entry.st[i] == ST_LIVE && v->st != ST_LIVE) {
            int b;
            emit("%s = %s;", v->name, gexpr(v->ty, 1, &b));
            v->st = v->pa = v->pb = ST_LIVE;
        } else if (v->ty == T_PAIR && v->st == ST_LIVE) {
            if (lp->entry.pa[i] == ST_LIVE && v->pa != ST_LIVE) {
                emit("%s.a = %s;", v->name, fresh_tok(1));
                v->pa = ST_LIVE;
            }
            if (lp->entry.pb[i] == ST_LIVE && v->pb != ST_LIVE) {
                emit("%s.b = %s;", v->name, fresh_tok(1));
                v->pb = ST_LIVE;
            }
        }
        G.pure = save;
    }
    return true;
}

static char *loop_ref(int k)
{
    return G.loops[k].label ? fmt(" %s", G.loops[k].label) : "";
}

/* The jump that ends a branch. kind/level were chosen before the branch. */
static void emit_exit(int kind, int level)
{
    stmt_begin();
    if (kind == EXIT_RET) {
        if (G.rty == T_UNIT) {
            emit("return;");
        } else if (G.rty == T_OPTI32 && chance(40)) {
            emit("return None;");
        } else {
            int b;
            char *e = gexpr(G.rty, 1, &b);
            if (G.rty == T_I32 && b > 1000)
                e = fmt("(%s) %% 1000", e);
            emit("return %s;", e);
        }
        return;
    }
    Loop *lp = &G.loops[level];
    bool inner = level == G.nloops - 1;
    if (kind == EXIT_CONT) {
        emit("continue%s;", inner && chance(50) ? "" : loop_ref(level));
        return;
    }
    char *val = "";
    if (lp->bty != T_UNIT) {
        int b;
        char *e = gexpr(lp->bty, 1, &b);
        if (lp->bty == T_I32 && b > 1000)
            e = fmt("(%s) %% 1000", e);
        val = fmt(" %s", e);
    }
    emit("break%s%s;", inner && !lp->label ? "" : inner && chance(50) ? "" : loop_ref(level), val);
    Snap s;
    snap_take(&s);
    if (lp->hasbrk)
        snap_merge(&lp->brk, &s);
    else
        lp->brk = s, lp->hasbrk = true;
}

/* Choose a way out for a branch: return, or break/continue of a loop.
 * A labelled loop can be named from inside an inner one. */
static bool choose_exit(int *kind, int *level)
{
    int opts[2 * MAXLOOPS + 1][2], n = 0;
    if (!want_panic || G.panic_done || G.panic_at < 0) {
        opts[n][0] = EXIT_RET, opts[n][1] = 0, n++;
    }
    for (int k = 0; k < G.nloops; k++) {
        if (k != G.nloops - 1 && !G.loops[k].label)
            continue;
        opts[n][0] = EXIT_BRK, opts[n][1] = k, n++;
        opts[n][0] = EXIT_CONT, opts[n][1] = k, n++;
        if (k == G.nloops - 1) { /* the innermost loop is the usual target */
            opts[n][0] = EXIT_BRK, opts[n][1] = k, n++;
        }
    }
    if (!n)
        return false;
    int c = rnd(n);
    *kind = opts[c][0];
    *level = opts[c][1];
    return true;
}

/* --- branches ------------------------------------------------------------ */

/* A block of statements that falls through, in a scope of its own. */
static void branch_body(int n)
{
    int nv = G.nv;
    indent++;
    G.depth++;
    gen_block(n);
    G.depth--;
    indent--;
    scope_end(nv);
}

/* A block that ends by leaving (return, break, continue). The moves it
 * makes are allowed as the jump permits. */
static void exit_body(int kind, int level)
{
    int nv = G.nv;
    int sk = G.exit_kind, sl = G.exit_level;
    bool ss = G.simple;
    G.exit_kind = kind;
    G.exit_level = level;
    G.simple = true;
    indent++;
    G.depth++;
    gen_block(rnd(3));
    if (kind == EXIT_CONT && !reinit_outer(level))
        kind = EXIT_BRK; /* the path cannot go round again: leave the loop */
    emit_exit(kind, level);
    G.depth--;
    indent--;
    scope_end(nv);
    G.exit_kind = sk;
    G.exit_level = sl;
    G.simple = ss;
}

static void st_if(void)
{
    stmt_begin();
    char *c = gbool(0);
    Snap before, acc;
    snap_take(&before);
    bool have = false; /* some arm falls through: acc holds the merge */
    int kind = 0, level = 0;
    bool diverge = chance(30) && choose_exit(&kind, &level);
    emit("if %s {", c);
    if (diverge) {
        exit_body(kind, level);
    } else {
        branch_body(1 + rnd(2));
        snap_take(&acc);
        have = true;
    }
    bool has_else = false;
    int arms = rnd(3);
    for (int i = 0; i < arms && !has_else; i++) {
        snap_restore(&before);
        if (i == arms - 1 && rnd(2)) {
            emit("} else {");
            has_else = true;
        } else {
            stmt_begin();
            bool sp = G.pure;
            G.pure = true; /* a move here would happen on some paths only */
            emit("} else if %s {", gbool(0));
            G.pure = sp;
        }
        branch_body(1 + rnd(2));
        Snap s;
        snap_take(&s);
        if (have)
            snap_merge(&acc, &s);
        else
            acc = s, have = true;
    }
    emit("}");
    if (!has_else) { /* every condition may be false */
        if (have)
            snap_merge(&acc, &before);
        else
            acc = before, have = true;
    }
    snap_restore(have ? &acc : &before);
}

/* a block that only opens a scope */
static void st_block(void)
{
    emit("{");
    branch_body(1 + rnd(4));
    emit("}");
}

/* `if cond { ...; return/break/continue }` */
static void st_exit(void)
{
    int kind, level;
    if (!choose_exit(&kind, &level)) {
        st_print();
        return;
    }
    stmt_begin();
    Snap before;
    emit("if %s {", gbool(0));
    snap_take(&before);
    exit_body(kind, level);
    emit("}");
    snap_restore(&before);
}

/* --- match, if let, while let, let-else -------------------------------- */

/* A scrutinee or condition holding a struct literal needs parentheses. */
static char *paren_scrut(char *s)
{
    return strstr(s, " { ") ? fmt("(%s)", s) : s;
}

enum { SCRUT_MOVE, SCRUT_REF, SCRUT_REFBIND, SCRUT_TEMP };

/* The scrutinee of a pattern over `ty`: a local by value, by reference, by
 * value with `ref` bindings, or a temporary. Sets *mode and *var. */
static char *scrutinee(int ty, int *mode, Var **var)
{
    *var = NULL;
    Var *v = NULL;
    int r = rnd(10);
    if (r < 4 && (v = pick(ty, NEED_MOVE))) {
        *mode = SCRUT_MOVE;
        *var = v;
        return v->name;
    }
    if (r < 7 && (v = pick(ty, NEED_READ))) {
        *mode = rnd(2) ? SCRUT_REF : SCRUT_REFBIND;
        *var = v;
        touch(v, 1);
        return *mode == SCRUT_REF ? fmt("&%s", v->name) : v->name;
    }
    *mode = SCRUT_TEMP;
    switch (ty) {
    case T_ITEM:
        need(P_ITEM);
        return rnd(2) ? fmt("mk_item(%s)", gint_small(1)) : gexpr(T_ITEM, 1, NULL);
    case T_OPTTOK:
        if (rnd(2)) {
            Var *vs = pick(T_VECTOK, NEED_MUT);
            if (vs) {
                touch(vs, 2);
                return fmt("%s.pop()", vs->name);
            }
        }
        return fmt("Some(%s)", gtok(1));
    case T_RES:
        need(P_CHECK);
        return fmt("check(%s)", gint_small(1));
    default:
        return gexpr(ty, 1, NULL);
    }
}

/* the name of a Tok bound by a pattern: `t` by value, `rt` by reference */
static char *bind_tok(int mode)
{
    return newname(mode == SCRUT_MOVE || mode == SCRUT_TEMP ? "t" : "rt");
}

/* a name a pattern binds, and what it binds */
typedef struct {
    char *name;
    int ty; /* T_TOK, T_I32, T_STR */
} Binding;

/* Declare a pattern's bindings once the arm is entered. */
static void declare_bindings(Binding *b, int n, int mode)
{
    for (int i = 0; i < n; i++) {
        Var *v;
        if (b[i].ty == T_TOK) {
            v = declare(b[i].name, mode == SCRUT_MOVE || mode == SCRUT_TEMP ? T_TOK : T_REFTOK, false);
        } else if (b[i].ty == T_I32) {
            v = declare(b[i].name, T_I32, false);
            v->untyped = true;
            v->deref = mode == SCRUT_REF;
        } else { /* String */
            v = declare(b[i].name, mode == SCRUT_MOVE || mode == SCRUT_TEMP ? T_STR : T_UNIT, false);
            if (v->ty == T_UNIT)
                v->hidden = v->nobind = true; /* a &String binding: not used */
        }
    }
}

/* Item patterns: fills bindings; returns the pattern text. moved tells
 * whether it binds a part by value. */
static char *item_pattern(int variant, int mode, Binding *b, int *nb, bool *moved)
{
    const char *rf = mode == SCRUT_REFBIND ? "ref " : "";
    bool bytok = mode != SCRUT_REFBIND && mode != SCRUT_REF;
    *nb = 0;
    *moved = false;
    switch (variant) {
    case 0:
        return "Item::Empty";
    case 1:
        if (rnd(4) == 0)
            return "Item::One(_)";
        b[0].name = bind_tok(mode), b[0].ty = T_TOK, *nb = 1;
        *moved = bytok;
        return fmt("Item::One(%s%s)", rf, b[0].name);
    case 2: {
        int r = rnd(3);
        char *k = newname("n");
        if (r == 0) {
            b[0].name = k, b[0].ty = T_I32, *nb = 1;
            return fmt("Item::Two(_, %s)", k);
        }
        b[0].name = bind_tok(mode), b[0].ty = T_TOK, *nb = 1;
        *moved = bytok;
        if (r == 1)
            return fmt("Item::Two(%s%s, _)", rf, b[0].name);
        b[1].name = k, b[1].ty = T_I32, *nb = 2;
        return fmt("Item::Two(%s%s, %s)", rf, b[0].name, k);
    }
    default: {
        int r = rnd(3);
        char *k = newname("n");
        if (r == 0) {
            b[0].name = k, b[0].ty = T_I32, *nb = 1;
            return fmt("Item::Named { k: %s, .. }", k);
        }
        b[0].name = bind_tok(mode), b[0].ty = T_TOK, *nb = 1;
        *moved = bytok;
        if (r == 1)
            return fmt("Item::Named { t: %s%s, .. }", rf, b[0].name);
        b[1].name = k, b[1].ty = T_I32, *nb = 2;
        return fmt("Item::Named { k: %s, t: %s%s }", k, rf, b[0].name);
    }
    }
}

/* Run one arm: bindings, then a body. The scrutinee local, when matched by
 * value and the arm moved a part of it, is moved in that arm. */
static void arm_body(Var *sv, int mode, bool moved, Binding *b, int nb)
{
    int nv = G.nv;
    if (sv && mode == SCRUT_MOVE && moved)
        take(sv);
    indent++;
    G.depth++;
    declare_bindings(b, nb, mode);
    gen_block(1 + rnd(2));
    indent--;
    G.depth--;
    scope_end(nv);
}

static void st_match_item(void)
{
    stmt_begin();
    int mode;
    Var *sv;
    char *s = scrutinee(T_ITEM, &mode, &sv);
    if (sv && mode != SCRUT_MOVE)
        sv->frozen++;
    emit("match %s {", paren_scrut(s));
    indent++;
    Snap before, acc;
    snap_take(&before);
    bool have = false;
    int order[4] = {0, 1, 2, 3};
    for (int i = 3; i > 0; i--) {
        int j = rnd(i + 1), t = order[i];
        order[i] = order[j], order[j] = t;
    }
    int narms = 1 + rnd(4);
    bool need_wild = narms < 4;
    for (int i = 0; i < narms; i++) {
        Binding b[2];
        int nb;
        bool moved;
        snap_restore(&before);
        char *pat = item_pattern(order[i], mode, b, &nb, &moved);
        char *guard = "";
        if (nb && b[nb - 1].ty == T_I32 && chance(30)) {
            guard = fmt(" if %s%s > %d", mode == SCRUT_REF ? "*" : "", b[nb - 1].name, rnd(10));
            need_wild = true;
        }
        emit("%s%s => {", pat, guard);
        arm_body(sv, mode, moved, b, nb);
        emit("}");
        Snap st;
        snap_take(&st);
        if (have)
            snap_merge(&acc, &st);
        else
            acc = st, have = true;
    }
    if (need_wild) {
        snap_restore(&before);
        if (chance(50)) {
            emit("_ => {}");
        } else {
            emit("_ => {");
            arm_body(sv, mode, false, NULL, 0);
            emit("}");
        }
        Snap st;
        snap_take(&st);
        snap_merge(&acc, &st);
    }
    indent--;
    emit("}");
    snap_restore(&acc);
    if (sv && mode != SCRUT_MOVE)
        sv->frozen--;
}

/* match on an integer: literals, alternatives, ranges, bindings with @ */
static void st_match_int(void)
{
    stmt_begin();
    int b;
    char *s = gint(0, &b);
    if (chance(30)) { /* a temporary that lives to the end of the match */
        s = fmt("%s.v", fresh_tok(1));
    }
    emit("match %s {", paren_scrut(s));
    indent++;
    Snap before, acc;
    snap_take(&before);
    bool have = false;
    static const char *pats[] = {"0", "1 | 2", "3..=5", "-3..=-1", "6 | 8 | 10", "i32::MIN..=-4"};
    int n = 1 + rnd(4);
    int start = rnd(6);
    for (int i = 0; i < n; i++) {
        snap_restore(&before);
        const char *p = pats[(start + i) % 6];
        if (chance(20)) {
            char *x = newname("n");
            emit("%s @ (%s) => {", x, p);
            int nv = G.nv;
            indent++;
            G.depth++;
            declare(x, T_I32, false)->untyped = true;
            gen_block(1 + rnd(2));
            G.depth--;
            indent--;
            scope_end(nv);
        } else {
            emit("%s => {", p);
            branch_body(1 + rnd(2));
        }
        emit("}");
        Snap st;
        snap_take(&st);
        if (have)
            snap_merge(&acc, &st);
        else
            acc = st, have = true;
    }
    snap_restore(&before);
    char *x = newname("n");
    emit("%s => {", chance(50) ? "_" : x);
    {
        int nv = G.nv;
        indent++;
        G.depth++;
        Var *v = declare(x, T_I32, false);
        v->hidden = v->nobind = true; /* may be `_` */
        gen_block(1 + rnd(2));
        G.depth--;
        indent--;
        scope_end(nv);
    }
    emit("}");
    Snap st;
    snap_take(&st);
    snap_merge(&acc, &st);
    indent--;
    emit("}");
    snap_restore(&acc);
}

/* match on Option<Tok> or Result<i32, String> */
static void st_match_opt(void)
{
    stmt_begin();
    bool res = chance(35);
    int ty = res ? T_RES : T_OPTTOK;
    int mode;
    Var *sv;
    char *s = scrutinee(ty, &mode, &sv);
    if (sv && mode != SCRUT_MOVE)
        sv->frozen++;
    const char *rf = mode == SCRUT_REFBIND ? "ref " : "";
    bool byval = mode == SCRUT_MOVE || mode == SCRUT_TEMP;
    emit("match %s {", paren_scrut(s));
    indent++;
    Snap before, acc;
    snap_take(&before);
    bool first_some = rnd(2);
    for (int arm = 0; arm < 2; arm++) {
        bool some = (arm == 0) == first_some;
        snap_restore(&before);
        Binding b[1];
        int nb = 0;
        bool moved = false;
        if (res) {
            if (some) { /* Ok(k) */
                b[0].name = newname("n"), b[0].ty = T_I32, nb = 1;
                emit("Ok(%s) => {", b[0].name);
            } else if (chance(70)) {
                b[0].name = newname("s"), b[0].ty = T_STR, nb = 1;
                moved = byval;
                emit("Err(%s%s) => {", rf, b[0].name);
            } else {
                emit("Err(_) => {");
            }
        } else {
            if (some) {
                b[0].name = newname(byval ? "t" : "rt"), b[0].ty = T_TOK, nb = 1;
                moved = byval;
                emit("Some(%s%s) => {", rf, b[0].name);
            } else {
                emit("None => {");
            }
        }
        arm_body(sv, mode, moved, b, nb);
        emit("}");
        Snap st;
        snap_take(&st);
        if (arm == 0)
            acc = st;
        else
            snap_merge(&acc, &st);
    }
    indent--;
    emit("}");
    snap_restore(&acc);
    if (sv && mode != SCRUT_MOVE)
        sv->frozen--;
}

/* match on a List: the tail comes out of its Box */
static void st_match_list(void)
{
    stmt_begin();
    Var *v = pick(T_LIST, NEED_MOVE);
    need(P_LIST);
    char *s = v ? take(v) : fmt("build(%d)", rnd(4));
    if (!v)
        need(P_SUMLIST);
    char *t = newname("t"), *l = newname("l");
    bool lmut = chance(50);
    emit("let %s%s: List = match %s {", lmut ? "mut " : "", l, paren_scrut(s));
    indent++;
    emit("List::Cons(%s, rest) => {", t);
    int nv = G.nv;
    indent++;
    G.depth++;
    declare(t, T_TOK, false);
    Snap before;
    snap_take(&before);
    gen_block(rnd(2));
    G.depth--;
    emit("*rest");
    indent--;
    scope_end(nv);
    Snap a;
    snap_take(&a);
    snap_restore(&before);
    emit("}");
    emit("List::Nil => List::Nil,");
    snap_merge(&a, &before);
    snap_restore(&a);
    indent--;
    emit("};");
    declare(l, T_LIST, lmut);
}

static void st_if_let(void)
{
    stmt_begin();
    int which = rnd(4);
    int mode;
    Var *sv;
    Binding b[2];
    int nb = 0;
    bool moved = false;
    char *pat, *s;
    if (which == 0) { /* Option<i32> */
        s = gexpr(T_OPTI32, 1, NULL);
        mode = SCRUT_TEMP;
        sv = NULL;
        b[0].name = newname("n"), b[0].ty = T_I32, nb = 1;
        pat = fmt("Some(%s)", b[0].name);
    } else if (which == 1) {
        s = scrutinee(T_ITEM, &mode, &sv);
        pat = item_pattern(1 + rnd(3), mode, b, &nb, &moved);
    } else {
        s = scrutinee(T_OPTTOK, &mode, &sv);
        const char *rf = mode == SCRUT_REFBIND ? "ref " : "";
        bool byval = mode == SCRUT_MOVE || mode == SCRUT_TEMP;
        b[0].name = newname(byval ? "t" : "rt"), b[0].ty = T_TOK, nb = 1;
        moved = byval;
        pat = fmt("Some(%s%s)", rf, b[0].name);
    }
    if (sv && mode != SCRUT_MOVE)
        sv->frozen++;
    emit("if let %s = %s {", pat, paren_scrut(s));
    Snap before, acc;
    snap_take(&before);
    arm_body(sv, mode, moved, b, nb);
    snap_take(&acc);
    snap_restore(&before);
    if (chance(40)) {
        emit("} else {");
        branch_body(1 + rnd(2));
    }
    emit("}");
    Snap st;
    snap_take(&st);
    snap_merge(&acc, &st);
    snap_restore(&acc);
    if (sv && mode != SCRUT_MOVE)
        sv->frozen--;
}

/* let-else: the else block must leave */
static void st_let_else(void)
{
    int kind, level;
    if (!choose_exit(&kind, &level)) {
        st_print();
        return;
    }
    stmt_begin();
    int which = rnd(4);
    char *name, *pat, *s;
    int ty;
    if (which == 0) {
        name = newname("t");
        ty = T_TOK;
        Var *o = pick(T_OPTTOK, NEED_MOVE);
        s = o ? take(o) : gexpr(T_OPTTOK, 1, NULL);
        pat = fmt("Some(%s): Option<Tok>", name);
    } else if (which == 1) {
        name = newname("t");
        ty = T_TOK;
        need(P_ITEM);
        s = fmt("mk_item(%s)", gint_small(1));
        pat = fmt("Item::One(%s)", name);
    } else if (which == 2) {
        name = newname("n");
        ty = T_I32;
        need(P_CHECK);
        s = fmt("check(%s)", gint_small(1));
        pat = fmt("Ok(%s)", name);
    } else {
        name = newname("n");
        ty = T_I32;
        need(P_HALF);
        s = fmt("half(%s)", gint_small(1));
        pat = fmt("Some(%s)", name);
    }
    emit("let %s = %s else {", pat, paren_scrut(s));
    Snap before;
    snap_take(&before);
    exit_body(kind, level);
    snap_restore(&before);
    emit("};");
    Var *v = declare(name, ty, false);
    v->bound = 2000;
    if (chance(60))
        print_var(v);
}

/* destructuring lets */
static void st_destruct(void)
{
    stmt_begin();
    int r = rnd(5);
    if (r == 0) { /* a tuple */
        char *t = newname("t"), *n = newname("n");
        char *e1 = gtok(1);
        int b;
        char *e2 = gint(1, &b);
        if (b > 1000)
            e2 = fmt("(%s) %% 1000", e2);
        emit("let (%s, %s) = (%s, %s);", t, n, e1, e2);
        declare(t, T_TOK, false);
        declare(n, T_I32, false)->untyped = true;
        print_var(&G.v[G.nv - 2]);
        return;
    }
    if (r == 1) { /* a tuple whose second half is never bound: dropped at once */
        char *t = newname("t");
        char *e1 = gtok(1);
        char *e2 = gtok(1);
        bool tm = chance(40);
        emit("let (%s%s, _) = (%s, %s);", tm ? "mut " : "", t, e1, e2);
        declare(t, T_TOK, tm);
        return;
    }
    /* a Pair */
    Var *p = NULL;
    for (int i = 0; i < G.nv; i++) {
        Var *v = &G.v[G.nv - 1 - i];
        if (v->ty == T_PAIR && !v->hidden && !v->ctl && v->st == ST_LIVE && v->frozen == 0 && loop_ok(v) &&
            !G.pure) {
            p = v;
            break;
        }
    }
    if (r == 2 || !p) {
        char *a = newname("t"), *bn = newname("t"), *n = newname("n");
        char *s;
        if (p && whole_live(p) && can_move(p))
            s = take(p);
        else
            s = gexpr(T_PAIR, 1, NULL);
        bool bm = chance(40);
        emit("let Pair { a: %s, b: %s%s, n: %s } = %s;", a, bm ? "mut " : "", bn, n, s);
        declare(a, T_TOK, false);
        declare(bn, T_TOK, bm);
        declare(n, T_I32, false);
        return;
    }
    if (r == 3 && (p->pa == ST_LIVE || p->pb == ST_LIVE)) { /* part of it; the rest stays */
        bool a = p->pa == ST_LIVE && (p->pb != ST_LIVE || rnd(2));
        char *t = newname("t");
        if (a) {
            emit("let Pair { a: %s, .. } = %s;", t, p->name);
            p->pa = ST_MOVED;
        } else {
            char *n = newname("n");
            emit("let Pair { b: %s, n: %s, .. } = %s;", t, n, p->name);
            p->pb = ST_MOVED;
            declare(n, T_I32, false);
        }
        declare(t, T_TOK, false);
        print_var(&G.v[G.nv - 1]);
        return;
    }
    if (p->frozen == 0 && p->st == ST_LIVE && (p->pa == ST_LIVE || p->pb == ST_LIVE)) {
        /* ref bindings, in a block of their own */
        bool a = p->pa == ST_LIVE;
        char *rt = newname("rt"), *n = newname("n");
        emit("{");
        indent++;
        emit("let Pair { %s: ref %s, n: %s, .. } = %s;", a ? "a" : "b", rt, n, p->name);
        emit("println!(\"%s {} {}\", %s.name, %s);", ptag(), rt, n);
        indent--;
        emit("}");
        return;
    }
    st_print();
}

/* a region that borrows a local: `{ let r = &x; ... }` */
static void st_ref_region(void)
{
    stmt_begin();
    TokPlace tp;
    if (!tok_place(&tp, chance(40))) {
        st_print();
        return;
    }
    bool mut = tp.v->sb == 2;
    char *r = newname(mut ? "mt" : "rt");
    emit("{");
    indent++;
    emit("let %s = %s;", r, mut ? tp.mref : tp.ref);
    Var *owner = tp.v;
    owner->frozen += mut ? 2 : 1;
    int nv = G.nv;
    Var *v = declare(r, mut ? T_MUTTOK : T_REFTOK, false);
    (void)v;
    G.depth++;
    bool ss = G.simple;
    G.simple = true;
    gen_block(1 + rnd(3));
    G.simple = ss;
    G.depth--;
    print_var(&G.v[nv]);
    scope_end(nv);
    owner->frozen -= mut ? 2 : 1;
    indent--;
    emit("}");
}

/* --- loops ---------------------------------------------------------------- */

static Loop *loop_begin(bool labelled, int bty)
{
    Loop *lp = &G.loops[G.nloops++];
    memset(lp, 0, sizeof *lp);
    lp->label = labelled ? fmt("'a%d", ++uniq) : NULL;
    lp->bty = bty;
    lp->nv = G.nv;
    snap_take(&lp->entry);
    G.ld++;
    G.has_loop = true;
    return lp;
}

/* the body, then the assignments that make the next iteration legal */
static void loop_body(int n)
{
    int nv = G.nv;
    indent++;
    G.depth++;
    gen_block(n);
    if (!reinit_outer(G.nloops - 1))
        fprintf(stderr, "mrsgen: internal: a moved outer local cannot be assigned again\n");
    G.depth--;
    indent--;
    scope_end(nv);
}

/* After the loop: the states where it exits at its head (for and while)
 * merged with those of its `break`s. */
static void loop_end(bool head_exit)
{
    Loop *lp = &G.loops[G.nloops - 1];
    Snap endst, after;
    snap_take(&endst);
    Snap head = lp->entry;
    snap_merge(&head, &endst);
    bool have = false;
    if (head_exit)
        after = head, have = true;
    if (lp->hasbrk) {
        if (have)
            snap_merge(&after, &lp->brk);
        else
            after = lp->brk, have = true;
    }
    snap_restore(have ? &after : &head);
    G.ld--;
    G.nloops--;
}

static char *label_prefix(Loop *lp)
{
    return lp->label ? fmt("%s: ", lp->label) : "";
}

static void st_loop(void)
{
    stmt_begin();
    int kind = rnd(12);
    bool lab = chance(30);
    int iters = 1 + rnd(3);
    Var *coll = NULL;
    if (kind == 0 || kind == 1) { /* for over a range */
        char *i = newname("i");
        const char *range = kind == 0 ? fmt("0..%d", iters) : rnd(2) ? fmt("(0..%d).rev()", iters) : fmt("1..=%d", iters);
        Loop *lp = loop_begin(lab, T_UNIT);
        emit("%sfor %s in %s {", label_prefix(lp), i, range);
        int nv = G.nv;
        Var *v = declare(i, T_I32, false);
        v->bound = iters;
        v->ctl = v->untyped = true;
        loop_body(1 + rnd(3));
        scope_end(nv);
        emit("}");
        loop_end(true);
    } else if (kind == 2) { /* while with a counter */
        char *i = newname("i");
        emit("let mut %s = 0;", i);
        Var *c = declare(i, T_I32, true);
        c->ctl = c->untyped = true;
        c->bound = iters + 1;
        Loop *lp = loop_begin(lab, T_UNIT);
        if (chance(30)) /* a temporary in the condition, evaluated each time */
            emit("%swhile %s < Tok::new(\"%s\", %d).v {", label_prefix(lp), i, tok_name(), iters), need(P_TOK);
        else
            emit("%swhile %s < %d {", label_prefix(lp), i, iters);
        indent++;
        emit("%s += 1; // step", i);
        indent--;
        loop_body(1 + rnd(3));
        emit("}");
        loop_end(true);
    } else if (kind == 3 || kind == 4) { /* loop, maybe with a break value */
        char *i = newname("i");
        emit("let mut %s = 0;", i);
        Var *c = declare(i, T_I32, true);
        c->ctl = c->untyped = true;
        c->bound = iters + 1;
        int bty = kind == 4 ? (chance(60) ? T_I32 : T_TOK) : T_UNIT;
        char *res = bty != T_UNIT ? newname(bty == T_I32 ? "n" : "t") : NULL;
        Loop *lp = loop_begin(lab, bty);
        if (res)
            emit("let %s: %s = %sloop {", res, ty_rust[bty], label_prefix(lp));
        else
            emit("%sloop {", label_prefix(lp));
        indent++;
        emit("%s += 1; // step", i);
        {
            /* the exit, on one line the reducer leaves alone */
            int sk = G.exit_kind, sl = G.exit_level, si = indent;
            Buf *so = out;
            Buf tmp = {0};
            G.exit_kind = EXIT_BRK;
            G.exit_level = G.nloops - 1;
            out = &tmp;
            indent = 0;
            emit_exit(EXIT_BRK, G.nloops - 1);
            out = so;
            indent = si;
            G.exit_kind = sk;
            G.exit_level = sl;
            tmp.data[tmp.len - 1] = '\0';
            emit("if %s > %d { %s } // step", i, iters, tmp.data);
            free(tmp.data);
        }
        snap_restore(&lp->entry);
        indent--;
        loop_body(1 + rnd(3));
        emit("}%s", res ? ";" : "");
        loop_end(false);
        if (res) {
            Var *v = declare(res, bty, false);
            v->bound = 1000;
            print_var(v);
        }
    } else if (kind <= 7 && (coll = pick(T_VECTOK, NEED_READ))) { /* over a Vec<Tok> */
        int how = rnd(4);
        if (how == 2 && !can_move(coll))
            how = 0;
        if (how == 1 && !can_mut(coll))
            how = 0;
        char *x = newname(how == 0 ? "rt" : how == 1 ? "mt" : how == 2 ? "t" : "rt");
        char *ix = newname("i");
        Loop *lp;
        if (how == 2) {
            take(coll);
            lp = loop_begin(lab, T_UNIT);
            emit("%sfor %s in %s {", label_prefix(lp), x, coll->name);
        } else {
            lp = loop_begin(lab, T_UNIT);
            coll->frozen += how == 1 ? 2 : 1;
            if (how == 0)
                emit("%sfor %s in %s {", label_prefix(lp), x,
                     rnd(2) ? fmt("&%s", coll->name) : fmt("%s.iter()", coll->name));
            else if (how == 1)
                emit("%sfor %s in %s.iter_mut() {", label_prefix(lp), x, coll->name);
            else
                emit("%sfor (%s, %s) in %s.iter().enumerate() {", label_prefix(lp), ix, x, coll->name);
        }
        int nv = G.nv;
        Var *v = declare(x, how == 0 || how == 3 ? T_REFTOK : how == 1 ? T_MUTTOK : T_TOK, false);
        (void)v;
        if (how == 3) {
            Var *iv = declare(ix, T_I32, false);
            iv->usz = true;
            iv->bound = 100;
        }
        indent++;
        print_var(&G.v[nv]);
        indent--;
        loop_body(1 + rnd(3));
        scope_end(nv);
        emit("}");
        if (how != 2)
            coll->frozen -= how == 1 ? 2 : 1;
        loop_end(true);
    } else if (kind == 8 && (coll = pick(T_VECTOK, NEED_MUT))) { /* while let over pops */
        coll->ctl = true;
        char *t = newname("t");
        Loop *lp = loop_begin(lab, T_UNIT);
        bool tm = chance(30);
        emit("%swhile let Some(%s%s) = %s.pop() {", label_prefix(lp), tm ? "mut " : "", t, coll->name);
        int nv = G.nv;
        declare(t, T_TOK, tm);
        indent++;
        print_var(&G.v[nv]);
        indent--;
        loop_body(1 + rnd(3));
        scope_end(nv);
        emit("}");
        loop_end(true);
        coll->ctl = false;
    } else if (kind == 9 && (coll = pick(T_NODE, NEED_MUT))) {
        coll->ctl = true;
        need(P_NODE);
        char *t = newname("t");
        Loop *lp = loop_begin(lab, T_UNIT);
        emit("%swhile let Some(%s) = pop_node(&mut %s) {", label_prefix(lp), t, coll->name);
        int nv = G.nv;
        declare(t, T_TOK, false);
        loop_body(1 + rnd(3));
        scope_end(nv);
        emit("}");
        loop_end(true);
        coll->ctl = false;
    } else if (kind == 10 && (coll = pick(T_DYNVEC, NEED_READ))) {
        need(P_DESCRIBE);
        char *d = newname("d");
        coll->frozen++;
        Loop *lp = loop_begin(lab, T_UNIT);
        emit("%sfor %s in %s.iter() {", label_prefix(lp), d, coll->name);
        indent++;
        emit("println!(\"%s {} {}\", %s.id(), %s.describe());", ptag(), d, d);
        indent--;
        loop_body(rnd(2));
        emit("}");
        loop_end(true);
        coll->frozen--;
    } else if (kind == 11 && (coll = pick(T_FNVEC, NEED_READ))) {
        char *f = newname("f");
        coll->frozen++;
        Loop *lp = loop_begin(lab, T_UNIT);
        emit("%sfor %s in %s.iter() {", label_prefix(lp), f, coll->name);
        indent++;
        emit("println!(\"%s {}\", %s(%d));", ptag(), f, rnd(20));
        indent--;
        loop_body(rnd(2));
        emit("}");
        loop_end(true);
        coll->frozen--;
    } else { /* a counted for, the fallback */
        char *i = newname("i");
        Loop *lp = loop_begin(lab, T_UNIT);
        emit("%sfor %s in 0..%d {", label_prefix(lp), i, iters);
        int nv = G.nv;
        Var *v = declare(i, T_I32, false);
        v->bound = iters;
        v->ctl = v->untyped = true;
        loop_body(1 + rnd(3));
        scope_end(nv);
        emit("}");
        loop_end(true);
    }
}

/* --- closures ---------------------------------------------------------- */

/* A closure and its calls, in a block of their own: by reference (Fn),
 * by unique borrow (FnMut), by value (FnOnce and move). */
static void st_closure(void)
{
    stmt_begin();
    char *c = newname("c");
    int kind = rnd(6);
    int nv = G.nv;
    emit("{");
    indent++;
    if (kind == 0) { /* Fn: borrows what it reads */
        int cb;
        char *body = closure_body_int(0, 30, &cb);
        emit("let %s = |k: i32| %s;", c, body);
        emit("println!(\"%s {}\", %s(%d));", ptag(), c, rnd(30));
        switch (rnd(4)) {
        case 0:
            need(P_APPLY);
            emit("println!(\"%s {}\", apply(&%s, %d));", ptag(), c, rnd(30));
            break;
        case 1:
            need(P_APPLYDYN);
            emit("println!(\"%s {}\", apply_dyn(&%s, %d));", ptag(), c, rnd(30));
            break;
        case 2: /* a closure that only borrows is Copy */
            need(P_APPLY);
            emit("println!(\"%s {}\", apply(%s, %d));", ptag(), c, rnd(30));
            emit("println!(\"%s {}\", %s(%d));", ptag(), c, rnd(30));
            break;
        default:
            break;
        }
    } else if (kind == 1) { /* FnMut over a counter, a Tok or a Vec */
        Var *v = NULL;
        int what = rnd(3);
        if (what == 1)
            v = pick(T_TOK, NEED_MUT);
        else if (what == 2)
            v = pick(T_VECTOK, NEED_MUT);
        if (!v) {
            v = pick(T_I32, NEED_ASSIGN);
            what = 0;
        }
        if (!v || v->bound > 1000) {
            char *n = newname("n");
            emit("let mut %s = 0;", n);
            v = declare(n, T_I32, true);
            what = 0;
        }
        emit("let mut %s = |k: i32| {", c);
        indent++;
        if (what == 0) {
            emit("%s = (%s + k) %% 1000;", v->name, v->name);
            emit("%s", v->name);
        } else if (what == 1) {
            emit("%s.bump(k);", v->name);
            emit("%s.v", v->name);
        } else {
            need(P_TOK);
            emit("%s.push(Tok::new(\"%s\", k));", v->name, tok_name());
            emit("%s.len() as i32", v->name);
        }
        indent--;
        emit("};");
        emit("println!(\"%s {}\", %s(%d));", ptag(), c, rnd(30));
        switch (rnd(3)) {
        case 0:
            need(P_APPLYMUT);
            emit("println!(\"%s {}\", apply_mut(&mut %s, %d));", ptag(), c, rnd(30));
            break;
        case 1:
            need(P_CALLTWICE);
            emit("println!(\"%s {}\", call_twice(&mut %s));", ptag(), c);
            break;
        default:
            emit("println!(\"%s {}\", %s(%d));", ptag(), c, rnd(30));
            break;
        }
        if (v->ty == T_I32)
            v->bound = 1000;
        print_var(v);
    } else if (kind == 2 || kind == 3) { /* by value */
        Var *v = pick(kind == 2 ? T_TOK : -1, NEED_MOVE);
        bool fnonce = false;
        if (v && v->ty == T_TOK) {
            switch (rnd(4)) {
            case 0:
                need(P_CONSUME);
                emit("let %s = || consume(%s);", c, take(v));
                fnonce = true;
                break;
            case 1:
                emit("let %s = move || {", c);
                indent++;
                emit("let x = %s;", take(v));
                emit("x.v");
                indent--;
                emit("};");
                fnonce = true;
                break;
            case 2: /* a field of a Drop type that is not Copy: the whole Tok moves in */
                emit("let %s = move || %s.name.len() as i32;", c, take(v));
                break;
            default: /* a Copy field only: the Tok stays */
                touch(v, 1);
                emit("let %s = move || %s.v + 1;", c, v->name);
                break;
            }
        } else if (v && (v->ty == T_STR || v->ty == T_VECTOK || v->ty == T_VECI32)) {
            emit("let %s = move || %s.len() as i32;", c, take(v));
        } else if (v) {
            emit("let %s = move || {", c);
            indent++;
            emit("drop(%s);", take(v));
            emit("%d", rnd(10));
            indent--;
            emit("};");
            fnonce = true;
        } else {
            emit("let %s = || %d;", c, rnd(10));
        }
        switch (rnd(4)) {
        case 0: /* never called: dropped with the block */
            break;
        case 1:
            need(P_APPLYONCE);
            emit("println!(\"%s {}\", apply_once(%s));", ptag(), c);
            break;
        default:
            emit("println!(\"%s {}\", %s());", ptag(), c);
            if (!fnonce && chance(50))
                emit("println!(\"%s {}\", %s());", ptag(), c);
            break;
        }
    } else if (kind == 4) { /* impl Fn returned from a fn */
        int r = rnd(3);
        char *e;
        Var *v = r ? pick(T_TOK, NEED_MOVE) : NULL;
        if (r == 1 && v) {
            need(P_TAGGER);
            e = fmt("make_tagger(%s)", take(v));
        } else if (r == 2 && v) {
            need(P_HOLDER);
            e = fmt("make_holder(%s)", take(v));
        } else {
            need(P_ADDER);
            e = fmt("make_adder(%s)", gint_small(1));
        }
        emit("let %s = %s;", c, e);
        emit("println!(\"%s {}\", %s(%d));", ptag(), c, rnd(30));
        if (chance(50)) {
            need(P_APPLYDYN);
            emit("println!(\"%s {}\", apply_dyn(&%s, %d));", ptag(), c, rnd(30));
        }
    } else { /* a move closure over copies is itself Copy */
        Var *n = pick(T_I32, NEED_READ);
        if (n && !n->usz && !n->deref && n->bound <= 1000) {
            touch(n, 1);
            emit("let %s = move |x: i32| x * 2 + %s;", c, n->name);
        } else {
            emit("let %s = move |x: i32| x * 3;", c);
        }
        need(P_APPLY);
        emit("println!(\"%s {}\", apply(%s, %d));", ptag(), c, rnd(30));
        emit("println!(\"%s {}\", %s(%d));", ptag(), c, rnd(30));
    }
    scope_end(nv);
    indent--;
    emit("}");
}

/* --- ? and shadowing --------------------------------------------------- */

static void st_question(void)
{
    stmt_begin();
    char *n = newname("n");
    if (G.rty == T_OPTI32) {
        Var *o = chance(30) ? pick(T_OPTTOK, NEED_MOVE) : NULL;
        if (o) {
            char *t = newname("t");
            emit("let %s: Tok = %s?;", t, take(o));
            print_var(declare(t, T_TOK, false));
            return;
        }
        Var *oi = pick(T_OPTI32, NEED_READ);
        if (oi && chance(40))
            emit("let %s: i32 = %s?;", n, oi->name);
        else {
            need(P_HALF);
            emit("let %s: i32 = half(%s)?;", n, gint_small(1));
        }
    } else {
        Var *r = chance(30) ? pick(T_RES, NEED_MOVE) : NULL;
        if (r) {
            emit("let %s: i32 = %s?;", n, take(r));
        } else {
            need(P_CHECK);
            emit("let %s: i32 = check(%s)?;", n, gint_small(1));
        }
    }
    Var *v = declare(n, T_I32, false);
    v->bound = 2000;
    print_var(v);
}

static void st_shadow(void)
{
    stmt_begin();
    int cand[MAXV], nc = 0;
    for (int i = 0; i < G.nv; i++) {
        Var *v = &G.v[i];
        if (!v->hidden && !v->ctl && v->ld == G.ld && v->frozen == 0 && v->ty != T_UNIT)
            cand[nc++] = i;
    }
    if (!nc) {
        st_let();
        return;
    }
    Var *old = &G.v[cand[rnd(nc)]];
    int ty = old->ty == T_REFTOK || old->ty == T_MUTTOK ? T_TOK : old->ty;
    if (old->deref || old->usz)
        ty = T_I32;
    int b = 0;
    char *e = gexpr(ty, 0, &b);
    if (ty == T_I32 && b > 1000)
        e = fmt("(%s) %% 1000", e), b = 999;
    char *name = old->name;
    bool mut = chance(40);
    emit("let %s%s: %s = %s;", mut ? "mut " : "", name, ty_rust[ty], e);
    Var *v = declare(name, ty, mut);
    v->bound = ty == T_I32 ? (mut ? 1000 : b) : b;
    print_var(v);
}

/* --- the planned panic ------------------------------------------------- */

static void st_panic(void)
{
    stmt_begin();
    need(P_ID);
    bool cond = chance(50);
    if (cond) {
        int b;
        emit("if yes(%s) {", gint(1, &b));
        indent++;
    }
    Var *v;
    switch (rnd(12)) {
    case 0:
        emit("println!(\"%s {}\", %s.v + 1 + id(i32::MAX));", ptag(), fresh_tok(1));
        break;
    case 1:
        emit("let bad: i32 = vec![1, 2, 3][id(%d) as usize];", 3 + rnd(5));
        break;
    case 2:
        if ((v = pick(T_VECTOK, NEED_READ))) {
            emit("let bad: i32 = %s[%s.len() + id(%d) as usize].v;", v->name, v->name, rnd(3));
        } else if ((v = pick(T_VECI32, NEED_READ))) {
            emit("let bad: i32 = %s[%s.len() + id(%d) as usize];", v->name, v->name, rnd(3));
        } else {
            emit("let bad: i32 = vec![%s][id(1) as usize].v;", fresh_tok(1));
        }
        break;
    case 3:
        need(P_HALF);
        emit("let bad: i32 = half(id(%d)).unwrap();", 2 * rnd(10) + 1);
        break;
    case 4:
        emit("panic!(\"boom {}\", %s);", gint_small(1));
        break;
    case 5:
        emit("let bad: i32 = %s / id(0);", gint_small(1));
        break;
    case 6:
        need(P_CHECK);
        emit("let bad: i32 = check(id(%d)).unwrap();", 51 + rnd(40));
        break;
    case 7:
        need(P_HALF);
        emit("let bad: i32 = half(id(%d)).expect(\"no half\");", 2 * rnd(10) + 1);
        break;
    case 8:
        emit("let bad: i32 = id(i32::MIN) - %s.v - 1;", fresh_tok(1));
        break;
    case 9:
        emit("let bad: i32 = id(100000) * id(%d);", 30000 + rnd(1000));
        break;
    case 10:
        need(P_APPLY);
        emit("println!(\"%s {}\", apply(|k| k / id(0), %d));", ptag(), rnd(9));
        break;
    default:
        emit("let bad: u8 = (id(%d) as u8) + (id(%d) as u8);", 150 + rnd(100), 110 + rnd(100));
        break;
    }
    if (cond) {
        indent--;
        emit("}");
    }
}

/* --- the dispatcher ------------------------------------------------------- */

static void gen_stmt(void)
{
    G.stmt_count++;
    if (want_panic && !G.panic_done && G.panic_at >= 0 && G.stmt_count >= G.panic_at && G.depth == 0 &&
        G.nloops == 0) {
        G.panic_done = true;
        st_panic();
        return;
    }
    int r = rnd(100);
    if (G.simple || G.depth >= 3) {
        if (r < 30)
            st_let();
        else if (r < 55)
            st_print();
        else if (r < 70)
            st_move();
        else if (r < 82)
            st_assign();
        else
            st_mutate();
        return;
    }
    bool loops_ok = G.nloops < 2 || (G.nloops < 3 && chance(20));
    if (r < 18)
        st_let();
    else if (r < 26)
        st_print();
    else if (r < 32)
        st_move();
    else if (r < 37)
        st_assign();
    else if (r < 44)
        st_mutate();
    else if (r < 46)
        st_swap();
    else if (r < 53)
        st_if();
    else if (r < 58)
        st_match_item();
    else if (r < 60)
        st_match_int();
    else if (r < 63)
        st_match_opt();
    else if (r < 64)
        st_match_list();
    else if (r < 68)
        st_if_let();
    else if (r < 70)
        st_let_else();
    else if (r < 73)
        st_destruct();
    else if (r < 75)
        st_ref_region();
    else if (r < 82 && loops_ok)
        st_loop();
    else if (r < 87)
        st_closure();
    else if (r < 89)
        st_block();
    else if (r < 91)
        st_shadow();
    else if (r < 95 && (G.nloops > 0 || G.depth > 0))
        st_exit();
    else if (r < 98 && (G.rty == T_OPTI32 || G.rty == T_RES))
        st_question();
    else
        st_let();
}

static void gen_block(int n)
{
    for (int i = 0; i < n; i++)
        gen_stmt();
}

/* ------------------------------------------------------------------ */
/* Functions                                                             */

static void reset_fn(int rty, int fn_index)
{
    memset(&G, 0, sizeof G);
    G.rty = rty;
    G.fn_index = fn_index;
    G.panic_at = -1;
}

/* the tail expression of a fn returning rty */
static void emit_tail(int rty)
{
    stmt_begin();
    int b;
    char *e = gexpr(rty, 0, &b);
    if (rty == T_I32 && b > 1000)
        e = fmt("(%s) %% 1000", e);
    emit("%s", e);
}

static void gen_helper(int idx, Buf *b, bool panics)
{
    Fn *f = &fns[idx];
    reset_fn(f->rty, idx);
    out = b;
    indent = 0;
    char *params = "";
    for (int i = 0; i < f->np; i++) {
        char *pn = newname(ty_prefix[f->pty[i]]);
        params = fmt("%s%s%s%s: %s", params, i ? ", " : "", f->pmut[i] ? "mut " : "", pn, ty_rust[f->pty[i]]);
        Var *v = declare(pn, f->pty[i], f->pmut[i]);
        v->bound = 1000;
    }
    if (f->rty == T_UNIT)
        emit("fn %s(%s) {", f->name, params);
    else
        emit("fn %s(%s) -> %s {", f->name, params, ty_rust[f->rty]);
    int n = 2 + rnd(3);
    if (panics)
        G.panic_at = 1 + rnd(n + 2);
    indent = 1;
    gen_block(n);
    if (f->rty != T_UNIT)
        emit_tail(f->rty);
    indent = 0;
    emit("}");
    emit("");
    f->leaf = !G.has_loop && !G.has_call;
}

static void gen_main(Buf *b, bool panics)
{
    reset_fn(T_UNIT, nfns);
    out = b;
    indent = 0;
    emit("fn main() {");
    indent = 1;
    int n = 4 + rnd(7);
    if (panics)
        G.panic_at = 1 + rnd(n + 4);
    gen_block(n);
    indent = 0;
    emit("}");
}

static void plan_helpers(void)
{
    static const int pt[] = {T_I32, T_I32, T_I32, T_TOK, T_TOK, T_REFTOK, T_REFTOK, T_MUTTOK, T_VECTOK,
                             T_PAIR, T_OPTTOK, T_ITEM, T_STR};
    static const int rt[] = {T_UNIT, T_I32, T_I32, T_TOK, T_TOK, T_STR, T_OPTI32, T_OPTI32, T_RES, T_RES, T_ITEM};
    nfns = rnd(3);
    for (int i = 0; i < nfns; i++) {
        Fn *f = &fns[i];
        f->name = fmt("f%d", i + 1);
        f->np = 1 + rnd(3);
        for (int j = 0; j < f->np; j++) {
            f->pty[j] = pt[rnd((int)(sizeof pt / sizeof pt[0]))];
            f->pmut[j] = !ty_copy(f->pty[j]) && f->pty[j] != T_MUTTOK && chance(40);
        }
        f->rty = rt[rnd((int)(sizeof rt / sizeof rt[0]))];
    }
}

static void need_ty(int ty)
{
    switch (ty) {
    case T_TOK:
    case T_BOXTOK:
    case T_VECTOK:
    case T_OPTTOK:
    case T_REFTOK:
    case T_MUTTOK:
        need(P_TOK);
        break;
    case T_PAIR:
        need(P_PAIR);
        need(P_TOK);
        break;
    case T_BAG:
        need(P_BAG);
        need(P_TOK);
        break;
    case T_ITEM:
        need(P_ITEM);
        need(P_TOK);
        break;
    case T_LIST:
        need(P_LIST);
        need(P_TOK);
        break;
    case T_NODE:
        need(P_NODE);
        need(P_TOK);
        break;
    case T_DYNVEC:
        need(P_DESCRIBE);
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------ */
/* The prelude: the types and fns the statements use                     */

static void emit_prelude(Buf *b)
{
    out = b;
    indent = 0;
    if (used[P_BAG] || used[P_ITEM] || used[P_LIST] || used[P_NODE] || used[P_PAIR] || used[P_CONSUME] ||
        used[P_PEEK] || used[P_LONGER] || used[P_TAGGER] || used[P_HOLDER])
        used[P_TOK] = true;
    if (used[P_PICKMAX] || used[P_TOTAL])
        used[P_DESCRIBE] = true;
    if (used[P_DESCRIBE])
        used[P_TOK] = true;
    if (used[P_TOK]) {
        emit("#[derive(Debug)]");
        emit("struct Tok {");
        emit("    name: String,");
        emit("    v: i32,");
        emit("}");
        emit("");
        emit("impl Drop for Tok {");
        emit("    fn drop(&mut self) {");
        emit("        println!(\"drop {}\", self.name);");
        emit("    }");
        emit("}");
        emit("");
        emit("impl Tok {");
        emit("    fn new(name: &str, v: i32) -> Tok {");
        emit("        println!(\"new {}\", name);");
        emit("        Tok { name: name.to_string(), v }");
        emit("    }");
        emit("    fn get(&self) -> i32 { self.v }");
        emit("    fn bump(&mut self, k: i32) { self.v = (self.v + k) %% 1000; }");
        emit("    fn into_name(self) -> String { format!(\"{}!\", self.name) }");
        emit("    fn renamed(self, name: &str) -> Tok {");
        emit("        println!(\"rename {} to {}\", self.name, name);");
        emit("        Tok::new(name, self.v)");
        emit("    }");
        emit("}");
        emit("");
    }
    if (used[P_PAIR]) {
        emit("#[derive(Debug)]");
        emit("struct Pair {");
        emit("    a: Tok,");
        emit("    b: Tok,");
        emit("    n: i32,");
        emit("}");
        emit("");
    }
    if (used[P_MKPAIR])
        emit("fn mk_pair(k: i32) -> Pair { Pair { a: Tok::new(\"pa\", k), b: Tok::new(\"pb\", k + 1), n: k } }\n");
    if (used[P_SINK]) {
        emit("fn sink_pair(p: Pair) -> i32 {");
        emit("    println!(\"sink {} {}\", p.a.name, p.b.name);");
        emit("    p.n");
        emit("}");
        emit("");
    }
    if (used[P_BAG]) {
        emit("#[derive(Debug)]");
        emit("struct Bag {");
        emit("    label: String,");
        emit("    items: Vec<Tok>,");
        emit("    bx: Box<Tok>,");
        emit("}");
        emit("");
        emit("impl Drop for Bag {");
        emit("    fn drop(&mut self) {");
        emit("        println!(\"drop bag {} of {}\", self.label, self.items.len());");
        emit("    }");
        emit("}");
        emit("");
    }
    if (used[P_ITEM]) {
        emit("#[derive(Debug)]");
        emit("enum Item {");
        emit("    Empty,");
        emit("    One(Tok),");
        emit("    Two(Tok, i32),");
        emit("    Named { t: Tok, k: i32 },");
        emit("}");
        emit("");
        emit("fn mk_item(k: i32) -> Item {");
        emit("    match k.rem_euclid(4) {");
        emit("        0 => Item::Empty,");
        emit("        1 => Item::One(Tok::new(\"one\", k)),");
        emit("        2 => Item::Two(Tok::new(\"two\", k), k * 2),");
        emit("        _ => Item::Named { t: Tok::new(\"named\", k), k },");
        emit("    }");
        emit("}");
        emit("");
    }
    if (used[P_ITEMVAL]) {
        emit("fn item_val(it: &Item) -> i32 {");
        emit("    match it {");
        emit("        Item::Empty => -1,");
        emit("        Item::One(t) => t.v,");
        emit("        Item::Two(t, k) => t.v + k,");
        emit("        Item::Named { t, k } => t.v - k,");
        emit("    }");
        emit("}");
        emit("");
    }
    if (used[P_LIST]) {
        emit("#[derive(Debug)]");
        emit("enum List {");
        emit("    Cons(Tok, Box<List>),");
        emit("    Nil,");
        emit("}");
        emit("");
    }
    if (used[P_SUMLIST]) {
        emit("fn build(n: i32) -> List {");
        emit("    let mut l = List::Nil;");
        emit("    for i in 0..n {");
        emit("        l = List::Cons(Tok::new(&format!(\"c{}\", i), i), Box::new(l));");
        emit("    }");
        emit("    l");
        emit("}");
        emit("");
        emit("fn sum_list(l: &List) -> i32 {");
        emit("    match l {");
        emit("        List::Cons(t, rest) => t.v + sum_list(rest),");
        emit("        List::Nil => 0,");
        emit("    }");
        emit("}");
        emit("");
    }
    if (used[P_NODE]) {
        emit("#[derive(Debug)]");
        emit("struct Node {");
        emit("    t: Tok,");
        emit("    next: Option<Box<Node>>,");
        emit("}");
        emit("");
        emit("fn push_node(head: Option<Box<Node>>, t: Tok) -> Option<Box<Node>> {");
        emit("    Some(Box::new(Node { t, next: head }))");
        emit("}");
        emit("");
        emit("fn pop_node(head: &mut Option<Box<Node>>) -> Option<Tok> {");
        emit("    match head.take() {");
        emit("        Some(b) => {");
        emit("            let nd = *b;");
        emit("            *head = nd.next;");
        emit("            Some(nd.t)");
        emit("        }");
        emit("        None => None,");
        emit("    }");
        emit("}");
        emit("");
        emit("fn count_nodes(head: &Option<Box<Node>>) -> i32 {");
        emit("    let mut n = 0;");
        emit("    let mut cur = head;");
        emit("    while let Some(b) = cur {");
        emit("        n += 1;");
        emit("        cur = &b.next;");
        emit("    }");
        emit("    n");
        emit("}");
        emit("");
    }
    if (used[P_DESCRIBE]) {
        emit("trait Describe {");
        emit("    fn id(&self) -> i32;");
        emit("    fn describe(&self) -> String {");
        emit("        format!(\"<{}>\", self.id())");
        emit("    }");
        emit("}");
        emit("");
        emit("impl Describe for Tok {");
        emit("    fn id(&self) -> i32 { self.v }");
        emit("}");
        emit("");
        if (used[P_PAIR]) {
            emit("impl Describe for Pair {");
            emit("    fn id(&self) -> i32 { self.n }");
            emit("    fn describe(&self) -> String {");
            emit("        format!(\"({} {})\", self.a.name, self.b.name)");
            emit("    }");
            emit("}");
            emit("");
        }
    }
    if (used[P_SHOW])
        emit("fn show<T: Describe>(x: &T) -> String { x.describe() }\n");
    if (used[P_DYNID])
        emit("fn dyn_id(d: &dyn Describe) -> i32 { d.id() }\n");
    if (used[P_TOTAL])
        emit("fn total(x: impl Describe, y: &impl Describe) -> i32 { x.id() + y.id() }\n");
    if (used[P_PICKMAX]) {
        emit("fn pick_max<T: Describe>(a: T, b: T) -> T {");
        emit("    if a.id() >= b.id() { a } else { b }");
        emit("}");
        emit("");
    }
    if (used[P_CONSUME]) {
        emit("fn consume(t: Tok) -> i32 {");
        emit("    println!(\"consume {}\", t.name);");
        emit("    t.v");
        emit("}");
        emit("");
    }
    if (used[P_PEEK])
        emit("fn peek(t: &Tok) -> i32 { t.v }\n");
    if (used[P_LONGER]) {
        emit("fn longer<'a>(x: &'a Tok, y: &'a Tok) -> &'a Tok {");
        emit("    if x.name.len() >= y.name.len() { x } else { y }");
        emit("}");
        emit("");
    }
    if (used[P_ID]) {
        emit("fn id(k: i32) -> i32 { k }\n");
        emit("fn yes(k: i32) -> bool { k < 100000 }\n");
    }
    if (used[P_HALF])
        emit("fn half(k: i32) -> Option<i32> { if k %% 2 == 0 { Some(k / 2) } else { None } }\n");
    if (used[P_CHAIN]) {
        emit("fn chain(k: i32) -> Option<i32> {");
        emit("    let a = half(k)?;");
        emit("    let b = half(a)?;");
        emit("    Some(a + b)");
        emit("}");
        emit("");
    }
    if (used[P_CHECK]) {
        emit("fn check(k: i32) -> Result<i32, String> {");
        emit("    if k > 50 { Err(format!(\"too big {}\", k)) } else { Ok(k * 2) }");
        emit("}");
        emit("");
    }
    if (used[P_APPLY])
        emit("fn apply<F: Fn(i32) -> i32>(f: F, x: i32) -> i32 { f(x) }\n");
    if (used[P_APPLYMUT]) {
        emit("fn apply_mut<F: FnMut(i32) -> i32>(mut f: F, x: i32) -> i32 {");
        emit("    let a = f(x);");
        emit("    a + f(x)");
        emit("}");
        emit("");
    }
    if (used[P_APPLYONCE])
        emit("fn apply_once<F: FnOnce() -> i32>(f: F) -> i32 { f() }\n");
    if (used[P_APPLYDYN])
        emit("fn apply_dyn(f: &dyn Fn(i32) -> i32, x: i32) -> i32 { f(x) }\n");
    if (used[P_CALLTWICE]) {
        emit("fn call_twice(f: &mut dyn FnMut(i32) -> i32) -> i32 {");
        emit("    let a = f(1);");
        emit("    a + f(2)");
        emit("}");
        emit("");
    }
    if (used[P_ADDER])
        emit("fn make_adder(n: i32) -> impl Fn(i32) -> i32 { move |k| k + n }\n");
    if (used[P_TAGGER])
        emit("fn make_tagger(t: Tok) -> impl Fn(i32) -> i32 { move |k| k + t.v }\n");
    if (used[P_HOLDER]) {
        emit("fn make_holder(t: Tok) -> Box<dyn Fn(i32) -> i32> {");
        emit("    Box::new(move |k| k + t.name.len() as i32)");
        emit("}");
        emit("");
    }
}

/* ------------------------------------------------------------------ */
/* --unsupported: one construct mrsc refuses, in an ordinary program     */

typedef struct {
    const char *name;
    const char *item;  /* lines at the top, or NULL */
    const char *stmts; /* lines in main, '\n'-separated */
} Unsup;

static const Unsup unsup[] = {
    {"Rc", "use std::rc::Rc;",
     "let rc = Rc::new(Tok::new(\"rc\", 1));\nlet rc2 = Rc::clone(&rc);\nprintln!(\"rc {} {}\", rc2.v, Rc::strong_count(&rc));"},
    {"RefCell", "use std::cell::RefCell;",
     "let cell = RefCell::new(Tok::new(\"cell\", 1));\ncell.borrow_mut().v += 1;\nprintln!(\"cell {}\", cell.borrow().v);"},
    {"Cell", "use std::cell::Cell;", "let cell = Cell::new(5);\ncell.set(cell.get() + 1);\nprintln!(\"cell {}\", cell.get());"},
    {"HashMap", "use std::collections::HashMap;",
     "let mut map = HashMap::new();\nmap.insert(1, Tok::new(\"hm\", 1));\nprintln!(\"map {}\", map.len());"},
    {"HashSet", "use std::collections::HashSet;",
     "let mut set = HashSet::new();\nset.insert(3);\nprintln!(\"set {}\", set.contains(&3));"},
    {"BTreeMap", "use std::collections::BTreeMap;",
     "let mut map = BTreeMap::new();\nmap.insert(2, String::from(\"two\"));\nprintln!(\"map {:?}\", map.get(&2));"},
    {"VecDeque", "use std::collections::VecDeque;",
     "let mut q = VecDeque::new();\nq.push_back(Tok::new(\"q\", 1));\nprintln!(\"q {}\", q.len());"},
    {"Arc/Mutex", "use std::sync::{Arc, Mutex};",
     "let m = Arc::new(Mutex::new(0));\n*m.lock().unwrap() += 1;\nprintln!(\"m {}\", m.lock().unwrap());"},
    {"thread::spawn", NULL,
     "let h = std::thread::spawn(move || 7);\nprintln!(\"joined {}\", h.join().unwrap());"},
    {"async fn", "async fn later(k: i32) -> i32 {\n    k + 1\n}",
     "let fut = later(1);\ndrop(fut);\nprintln!(\"future dropped\");"},
    {"static mut", "static mut COUNT: i32 = 0;",
     "unsafe {\n    COUNT += 1;\n}\nprintln!(\"counted\");"},
    {"mod", "mod inner {\n    pub fn seven() -> i32 {\n        7\n    }\n}", "println!(\"mod {}\", inner::seven());"},
    {"macro_rules", "macro_rules! twice {\n    ($e:expr) => {\n        $e * 2\n    };\n}",
     "println!(\"macro {}\", twice!(4));"},
    {"union", "union Bits {\n    i: u32,\n    f: f32,\n}", "let u = Bits { i: 1 };\nprintln!(\"union {}\", unsafe { u.i });"},
    {"type alias", "type Num = i32;", "let x: Num = 3;\nprintln!(\"alias {}\", x);"},
    {"generic trait", "trait Conv<T> {\n    fn conv(&self) -> T;\n}\n\nimpl Conv<i64> for i32 {\n    fn conv(&self) -> i64 {\n        *self as i64\n    }\n}",
     "let c: i64 = 5i32.conv();\nprintln!(\"conv {}\", c);"},
    {"const generic", "struct Arr<const N: usize> {\n    v: [i32; N],\n}", "let a = Arr::<2> { v: [1, 2] };\nprintln!(\"arr {}\", a.v.len());"},
    {"Instant", "use std::time::Instant;", "let start = Instant::now();\nlet _e = start.elapsed();\nprintln!(\"timed\");"},
    {"raw pointer", NULL, "let x = 5;\nlet p = &x as *const i32;\nprintln!(\"raw {}\", unsafe { *p });"},
    {"unsafe fn", "unsafe fn danger() -> i32 {\n    3\n}", "println!(\"unsafe {}\", unsafe { danger() });"},
};

/* lines separated by '\n', each indented one level */
static void print_indented(const char *s)
{
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        printf("    %.*s\n", (int)n, s);
        s += n + (e ? 1 : 0);
    }
}

/* the program text: prelude, helpers, main */
static void program(bool uns_mode)
{
    plan_helpers();
    if (uns_mode)
        nfns = nfns > 1 ? 1 : nfns;
    Buf fbuf[6] = {{0}}, mbuf = {0}, pbuf = {0};
    int panic_fn = want_panic ? rnd(nfns + 2) : -1; /* main twice as likely */
    for (int i = 0; i < nfns; i++) {
        for (int j = 0; j < fns[i].np; j++)
            need_ty(fns[i].pty[j]);
        need_ty(fns[i].rty);
        gen_helper(i, &fbuf[i], panic_fn == i);
    }
    gen_main(&mbuf, panic_fn >= nfns);
    if (uns_mode)
        need(P_TOK);
    emit_prelude(&pbuf);

    const Unsup *u = uns_mode ? &unsup[rnd((int)(sizeof unsup / sizeof unsup[0]))] : NULL;
    printf("// generated by mrsgen%s\n", uns_mode ? fmt(" --unsupported (%s)", u->name) : "");
    printf("#![allow(unused)]\n\n");
    if (u && u->item)
        printf("%s\n\n", u->item);
    if (pbuf.data)
        fputs(pbuf.data, stdout);
    for (int i = 0; i < nfns; i++)
        fputs(fbuf[i].data, stdout);
    if (!u) {
        fputs(mbuf.data, stdout);
        return;
    }
    /* the construct goes before a random statement of main at depth 1, or
     * at its end */
    char *m = mbuf.data;
    int lines = 0;
    for (char *p = m; *p; p++)
        if (*p == '\n')
            lines++;
    int target = 1 + rnd(lines > 2 ? lines - 1 : 1), ln = 0;
    bool done = false;
    for (char *p = m; *p; ln++) {
        char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p + 1) : strlen(p);
        bool stmt = ln >= target && len > 4 && !strncmp(p, "    ", 4) && p[4] != ' ' && p[4] != '}';
        bool end = ln > 0 && p[0] == '}';
        if (!done && (stmt || end)) {
            print_indented(u->stmts);
            done = true;
        }
        fwrite(p, 1, len, stdout);
        p += len;
    }
}


/* ------------------------------------------------------------------ */
/* --borrows: programs about borrowing, which rustc may accept or reject. */
/*                                                                    */
/* Four owners (`x: i32`, `v: Vec<i32>`, `s: String`, `p: P`) and the  */
/* references and closures made from them, used and invalidated in a  */
/* random order, in branches, loops and inner blocks. Every statement */
/* is well typed; whether the borrows are is what rustc and mrsc must  */
/* agree on (accepted and run alike, or rejected with the same codes   */
/* on the same lines).                                                 */

enum { BT_I32, BT_VEC, BT_STR, BT_P, BT_STRSLICE, BT_NB };

typedef struct BRef {
    char *name;
    int ty;       /* what it points to */
    bool mut;     /* &mut */
    bool rebind;  /* `let mut r: &i32`: may be assigned a new reference */
    bool closure; /* a closure: `name()` uses it */
    int depth;    /* block depth it was declared at */
} BRef;

static BRef brefs[64];
static int nbrefs, bdepth, bloops;

static BRef *bref_pick(int ty, int mut) /* mut: 0 shared only, 1 mut only, -1 any */
{
    int cand[64], n = 0;
    for (int i = 0; i < nbrefs; i++)
        if (!brefs[i].closure && (ty < 0 || brefs[i].ty == ty) && (mut < 0 || brefs[i].mut == mut))
            cand[n++] = i;
    return n ? &brefs[cand[rnd(n)]] : NULL;
}

static BRef *bref_new(int ty, bool mut)
{
    if (nbrefs == 64)
        return NULL;
    BRef *r = &brefs[nbrefs++];
    *r = (BRef){newname(mut ? "m" : "r"), ty, mut, false, false, bdepth};
    return r;
}

/* A place of type ty to borrow, or NULL. */
static const char *bplace(int ty, bool mut)
{
    int k = rnd(4);
    switch (ty) {
    case BT_I32: {
        if (k == 0)
            return "p.a";
        if (k == 1)
            return "v[0]";
        BRef *r = bref_pick(BT_I32, mut ? 1 : -1);
        if (k == 2 && r && !r->rebind)
            return fmt("*%s", r->name);
        return "x";
    }
    case BT_VEC:
        if (k == 0)
            return "p.b";
        if (k == 1) {
            BRef *r = bref_pick(BT_VEC, mut ? 1 : -1);
            if (r)
                return fmt("*%s", r->name);
        }
        return "v";
    case BT_STR:
        return "s";
    case BT_P: {
        BRef *r = k == 0 ? bref_pick(BT_P, mut ? 1 : -1) : NULL;
        return r ? fmt("*%s", r->name) : "p";
    }
    default:
        return "s";
    }
}

static void b_stmts(int n);

static void b_new_ref(void)
{
    int ty = rnd(4);
    bool mut = chance(45);
    const char *pl = bplace(ty, mut);
    int how = rnd(10);
    BRef *r = bref_new(ty, mut);
    if (!r)
        return;
    if (ty == BT_I32 && !mut && how == 0) {
        emit("let %s = first(&v);", r->name);
        return;
    }
    if (ty == BT_I32 && mut && how == 0) {
        emit("let %s = v.last_mut().unwrap();", r->name);
        return;
    }
    if (ty == BT_I32 && !mut && how == 1) {
        emit("let %s = v.first().unwrap();", r->name);
        return;
    }
    if (ty == BT_I32 && !mut && how == 2) {
        r->rebind = true;
        emit("let mut %s: &i32 = &%s;", r->name, pl);
        return;
    }
    if (ty == BT_P && mut && how == 0) {
        emit("let %s = p.get_b();", r->name);
        r->ty = BT_VEC;
        return;
    }
    emit("let %s = &%s%s;", r->name, mut ? "mut " : "", pl);
}

static void b_closure(void)
{
    if (nbrefs == 64)
        return;
    BRef *r = &brefs[nbrefs++];
    *r = (BRef){newname("c"), BT_I32, false, false, true, bdepth};
    switch (rnd(6)) {
    case 0: emit("let %s = || x + 1;", r->name); break;
    case 1: emit("let mut %s = || { x += 1; x };", r->name); r->mut = true; break;
    case 2: emit("let %s = || v.len() as i32;", r->name); break;
    case 3: emit("let mut %s = || { v.push(5); 0 };", r->name); r->mut = true; break;
    case 4: emit("let %s = move || p.a;", r->name); break;
    default: emit("let mut %s = || { s.push('c'); 1 };", r->name); r->mut = true; break;
    }
}

static void b_use_ref(void)
{
    BRef *r = NULL;
    int tries = 0;
    while (!r && nbrefs && tries++ < 4) {
        BRef *c = &brefs[rnd(nbrefs)];
        r = c;
    }
    if (!r)
        return;
    if (r->closure) {
        if (r->mut)
            emit("println!(\"call {}\", %s());", r->name);
        else
            emit("println!(\"call {}\", %s());", r->name);
        return;
    }
    int k = rnd(3);
    switch (r->ty) {
    case BT_I32:
        if (r->mut && k == 0)
            emit("*%s += 1;", r->name);
        else
            emit("println!(\"%s {}\", %s);", r->name, r->name);
        break;
    case BT_VEC:
        if (r->mut && k == 0)
            emit("%s.push(%d);", r->name, rnd(9));
        else if (k == 1)
            emit("println!(\"%s len {}\", %s.len());", r->name, r->name);
        else
            emit("println!(\"%s {:?}\", %s);", r->name, r->name);
        break;
    case BT_STR:
        if (r->mut && k == 0)
            emit("%s.push_str(\"z\");", r->name);
        else
            emit("println!(\"%s {}\", %s);", r->name, r->name);
        break;
    case BT_P:
        if (r->mut && k == 0)
            emit("%s.a += 1;", r->name);
        else
            emit("println!(\"%s {:?}\", %s);", r->name, r->name);
        break;
    default:
        emit("println!(\"%s {}\", %s);", r->name, r->name);
        break;
    }
}

static void b_owner_access(void)
{
    switch (rnd(16)) {
    case 0: emit("x += 1;"); break;
    case 1: emit("x = %d;", rnd(9)); break;
    case 2: emit("let %s = x;", newname("y")); break;
    case 3: emit("v.push(%d);", rnd(9)); break;
    case 4: emit("v.push(v.len() as i32);"); break;
    case 5: emit("println!(\"v {:?}\", v);"); break;
    case 6: emit("s.push('%c');", 'a' + rnd(26)); break;
    case 7: emit("p.a += 1;"); break;
    case 8: emit("p.b.push(%d);", rnd(9)); break;
    case 9: emit("let %s = v.len();", newname("n")); break;
    case 10: emit("v[0] = %d;", rnd(9)); break;
    case 11: emit("bump(&mut x);"); break;
    case 12: emit("bump(&mut p.a);"); break;
    case 13: { /* a move, and a new value at once */
        char *w = newname("w");
        if (chance(50)) {
            emit("let %s = s;", w);
            emit("s = String::from(\"%s\");", w);
        } else {
            emit("let %s = v;", w);
            emit("v = vec![%d];", rnd(9));
        }
        break;
    }
    case 14: emit("println!(\"p {:?}\", p);"); break;
    default: emit("println!(\"s {} x {}\", s, x);"); break;
    }
}

static void b_rebind(void)
{
    BRef *r = NULL;
    for (int i = 0; i < nbrefs; i++)
        if (brefs[i].rebind)
            r = &brefs[i];
    if (!r)
        return;
    if (chance(50)) { /* a reference to a local of an inner block */
        char *t = newname("t");
        emit("{");
        indent++;
        emit("let %s = %d;", t, rnd(9));
        emit("%s = &%s;", r->name, t);
        emit("println!(\"%s {}\", %s);", r->name, r->name);
        indent--;
        emit("}");
    } else {
        emit("%s = &%s;", r->name, chance(50) ? "p.a" : "x");
    }
}

static void b_block(void)
{
    int saved = nbrefs;
    int k = rnd(4);
    if (k == 0 && bloops < 1) {
        emit("for _i in 0..2 {");
        bloops++;
    } else if (k == 1) {
        emit("if x > %d {", rnd(4));
    } else if (k == 2) {
        emit("{");
    } else {
        emit("if v.len() > %d {", rnd(5));
    }
    indent++;
    bdepth++;
    b_stmts(1 + rnd(4));
    bdepth--;
    indent--;
    if (k == 0 && bloops)
        bloops--;
    nbrefs = saved; /* the branch's references are gone */
    if ((k == 1 || k == 3) && chance(40)) {
        emit("} else {");
        indent++;
        bdepth++;
        b_stmts(1 + rnd(3));
        bdepth--;
        indent--;
    }
    emit("}");
    nbrefs = saved; /* its references are gone */
}

static void b_stmts(int n)
{
    for (int i = 0; i < n; i++) {
        int k = rnd(20);
        if (k < 5)
            b_new_ref();
        else if (k < 10)
            b_use_ref();
        else if (k < 15)
            b_owner_access();
        else if (k < 16)
            b_closure();
        else if (k < 17)
            b_rebind();
        else if (k < 18 && bdepth < 2)
            b_block();
        else if (k < 19 && nbrefs < 64) {
            BRef *r = bref_new(BT_STRSLICE, false);
            emit("let %s: &str = %s;", r->name, chance(50) ? "s.as_str()" : "String::from(\"tmp\").as_str()");
        } else
            b_use_ref();
    }
}

static void borrow_program(void)
{
    Buf body = {0};
    out = &body;
    indent = 1;
    nbrefs = bdepth = bloops = 0;
    emit("let mut x: i32 = %d;", rnd(5));
    emit("let mut v: Vec<i32> = vec![1, 2, 3];");
    emit("let mut s = String::from(\"s\");");
    emit("let mut p = P { a: 1, b: vec![4] };");
    b_stmts(6 + rnd(10));
    for (int i = nbrefs - 1; i >= 0 && i >= nbrefs - 2; i--) /* the last references, used at the end */
        if (!brefs[i].closure && brefs[i].depth == 0)
            emit("println!(\"end %s {:?}\", %s);", brefs[i].name, brefs[i].name);
    emit("println!(\"{} {:?} {} {:?}\", x, v, s, p);");
    printf("// generated by mrsgen --borrows\n");
    printf("#![allow(unused)]\n\n");
    printf("#[derive(Debug)]\nstruct P {\n    a: i32,\n    b: Vec<i32>,\n}\n\n");
    printf("impl P {\n    fn get_b(&mut self) -> &mut Vec<i32> {\n        &mut self.b\n    }\n}\n\n");
    printf("fn first(v: &Vec<i32>) -> &i32 {\n    &v[0]\n}\n\n");
    printf("fn bump(x: &mut i32) {\n    *x += 1;\n}\n\n");
    printf("fn main() {\n%s}\n", body.data);
}

int main(int argc, char **argv)
{
    int i = 1;
    bool borrows = false;
    if (i < argc && !strcmp(argv[i], "--unsupported")) {
        unsupported = true;
        i++;
    } else if (i < argc && !strcmp(argv[i], "--borrows")) {
        borrows = true;
        i++;
    }
    if (i != argc - 1) {
        fprintf(stderr, "usage: mrsgen [--unsupported | --borrows] SEED\n");
        return 2;
    }
    char *end;
    unsigned long long seed = strtoull(argv[i], &end, 10);
    if (*end) {
        fprintf(stderr, "mrsgen: SEED must be a number\n");
        return 2;
    }
    rng_state = seed * 0x2545F4914F6CDD1Dull + 1;
    if (borrows) {
        borrow_program();
        return 0;
    }
    want_panic = !unsupported && chance(6);
    program(unsupported);
    return 0;
}

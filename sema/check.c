/* check.c — name resolution and type checking for Tier 0: the phase.
 *
 * requires: a Crate without syntax errors;
 * produces: a Program whose tree is typed (sema.h). One pass collects the
 * items, a second resolves signatures, a third checks each body with
 * bidirectional inference: expected types flow down, inference variables
 * are unified, and a final walk (zonk) replaces every variable by its
 * solution, defaulting {integer} to i32 and {float} to f64 as rustc does.
 * Constructs of later tiers are rejected with "... is not supported by
 * mrsc" at their span.
 *
 * This file predeclares the std items, runs the passes and checks each fn
 * body, then what needs the body's inference done: exhaustiveness, bounds,
 * closure captures. The other files of the checker are listed in
 * check_int.h. */
#include "check_int.h"

#include <string.h>

Program *prog;
FnDef *cur_fn;
AdtDef *fmt_error;
static AdtDef *parse_int_error, *parse_float_error, *parse_bool_error, *parse_char_error;

/* ---- the std items mrsc predeclares ------------------------------------------- */

static AdtDef *make_builtin_enum(const char *name, const char *p0, const char *p1,
                                 const char *v0, int n0, const char *v1, int n1)
{
    AdtDef *a = NEW(AdtDef);
    a->name = xstrdup(name);
    a->is_enum = true;
    a->builtin = true;
    a->nparams = p1 ? 2 : 1;
    a->param_names = arena_alloc(g_arena, sizeof(char *) * 2);
    a->param_names[0] = xstrdup(p0);
    if (p1)
        a->param_names[1] = xstrdup(p1);
    a->nvariants = 2;
    a->variants = arena_alloc(g_arena, sizeof(VariantInfo) * 2);
    const char *vn[2] = {v0, v1};
    int nf[2] = {n0, n1};
    for (int v = 0; v < 2; v++) {
        VariantInfo *vi = &a->variants[v];
        vi->name = xstrdup(vn[v]);
        vi->kind = nf[v] ? SK_TUPLE : SK_UNIT;
        vi->nfields = nf[v];
        vi->discr = v;
        if (nf[v]) {
            vi->fields = NEW(FieldInfo);
            vi->fields[0].name = xstrdup("0");
            /* Option: Some(T); Result: Ok(T), Err(E) */
            vi->fields[0].type = ty_param(p1 && v == 1 ? 1 : 0, NULL);
        }
    }
    a->derives = DERIVE_DEBUG | DERIVE_CLONE | DERIVE_COPY | DERIVE_PARTIAL_EQ | DERIVE_EQ |
                 DERIVE_PARTIAL_ORD | DERIVE_ORD;
    return a;
}

static void add_variant_globals(AdtDef *a)
{
    for (int v = 0; v < a->nvariants; v++) {
        Def *d = new_def(DEF_VARIANT, a->variants[v].name, (Span){0});
        d->adt = a;
        d->variant = v;
        add_global(a->variants[v].name, d, false, (Span){0});
    }
}

static AdtDef *make_error_struct(const char *name)
{
    AdtDef *a = NEW(AdtDef);
    a->name = xstrdup(name);
    a->builtin = true;
    a->nvariants = 1;
    a->variants = NEW(VariantInfo);
    a->variants[0].name = a->name;
    a->variants[0].kind = SK_NAMED;
    a->derives = DERIVE_DEBUG | DERIVE_CLONE | DERIVE_PARTIAL_EQ | DERIVE_EQ;
    return a;
}

/* A std struct with named fields, built in (its fields are not the program's to name). */
static AdtDef *make_builtin_struct(const char *name, const char **names, Type **types, int n)
{
    AdtDef *a = make_error_struct(name);
    a->variants[0].nfields = n;
    a->variants[0].fields = arena_alloc(g_arena, sizeof(FieldInfo) * (size_t)n);
    for (int i = 0; i < n; i++) {
        a->variants[0].fields[i] = (FieldInfo){0};
        a->variants[0].fields[i].name = xstrdup(names[i]);
        a->variants[0].fields[i].type = types[i];
    }
    return a;
}

/* A std enum of two unit variants (TryRecvError::{Empty, Disconnected}). */
static AdtDef *make_unit_enum(const char *name, const char *v0, const char *v1)
{
    AdtDef *a = make_builtin_enum(name, "T", NULL, v0, 0, v1, 0);
    a->nparams = 0;
    a->derives = DERIVE_DEBUG | DERIVE_CLONE | DERIVE_COPY | DERIVE_PARTIAL_EQ | DERIVE_EQ;
    return a;
}

/* The error type of `str::parse::<t>()`, or NULL when mrsc cannot parse into t. */
AdtDef *parse_error_adt(Type *t)
{
    t = ty_resolve(t);
    return ty_is_float(t) ? parse_float_error : ty_is_int(t) ? parse_int_error
         : t->kind == TY_BOOL ? parse_bool_error : t->kind == TY_CHAR ? parse_char_error : NULL;
}

/* The std items every crate sees: Option, Result and their variants, the
 * std traits mrsc knows, fmt::Formatter, cmp::Ordering, and the error types
 * of `parse` and `fmt`. */
static void predeclare_std(void)
{
    prog->option = make_builtin_enum("Option", "T", NULL, "None", 0, "Some", 1);
    prog->result = make_builtin_enum("Result", "T", "E", "Ok", 1, "Err", 1);
    parse_int_error = make_error_struct("ParseIntError");
    parse_float_error = make_error_struct("ParseFloatError");
    parse_bool_error = make_error_struct("ParseBoolError");
    fmt_error = make_error_struct("Error");
    fmt_error->variants[0].kind = SK_UNIT;
    parse_char_error = make_error_struct("ParseCharError");
    prog->try_from_int_error = make_error_struct("TryFromIntError");
    {
        /* UTF-8 errors: std's own fields (so a derived Debug prints them as std's does, and
         * a FromUtf8Error owns and drops its bytes); Display is written in glue.c */
        Type *u8t = ty_prim(TY_U8);
        Type *ue_types[2] = {ty_prim(TY_USIZE), ty_adt(prog->option, &u8t, 1)};
        const char *ue_names[2] = {"valid_up_to", "error_len"};
        prog->utf8_error = make_builtin_struct("Utf8Error", ue_names, ue_types, 2);
        prog->utf8_error->derives |= DERIVE_COPY;
        Type *fe_types[2] = {ty_vec(u8t), ty_adt(prog->utf8_error, NULL, 0)};
        const char *fe_names[2] = {"bytes", "error"};
        prog->from_utf8_error = make_builtin_struct("FromUtf8Error", fe_names, fe_types, 2);
        AdtDef *us[2] = {prog->utf8_error, prog->from_utf8_error};
        const char *paths[2] = {"str::Utf8Error", "string::FromUtf8Error"};
        for (int i = 0; i < 2; i++) {
            Def *d = new_def(DEF_ADT, us[i]->name, (Span){0});
            d->adt = us[i];
            add_global((char *)paths[i], d, true, (Span){0});
        }
    }
    /* the std paths a `use` names them by (`use std::num::ParseIntError;`) */
    AdtDef *errs[] = {parse_int_error, parse_float_error, parse_bool_error, parse_char_error, prog->try_from_int_error};
    const char *paths[] = {"num::ParseIntError", "num::ParseFloatError", "str::ParseBoolError", "char::ParseCharError",
                           "num::TryFromIntError"};
    for (int i = 0; i < 5; i++) {
        Def *d = new_def(DEF_ADT, errs[i]->name, (Span){0});
        d->adt = errs[i];
        add_global((char *)paths[i], d, true, (Span){0});
    }
    /* the error types of RefCell's try_borrow, of channels, and of a thread's join
     * (`Box<dyn Any + Send>`, named here as rustc prints it) */
    AdtDef *errs2[] = {make_error_struct("BorrowError"), make_error_struct("BorrowMutError"),
                       make_error_struct("RecvError"), make_unit_enum("TryRecvError", "Empty", "Disconnected"),
                       make_error_struct("Box<dyn Any + Send>")};
    const char *where[] = {"cell::BorrowError", "cell::BorrowMutError", "mpsc::RecvError", "mpsc::TryRecvError",
                           "thread::ThreadPanic"};
    for (int i = 0; i < 5; i++) {
        Def *d = new_def(DEF_ADT, errs2[i]->name, (Span){0});
        d->adt = errs2[i];
        add_global((char *)where[i], d, true, (Span){0});
    }
    errs2[2]->variants[0].kind = SK_UNIT;
    errs2[4]->derives = DERIVE_DEBUG;
    /* std::sync::atomic: Ordering, and AtomicUsize ... as the Atomic row at its primitive */
    {
        static const char *orders[] = {"Relaxed", "Release", "Acquire", "AcqRel", "SeqCst"};
        AdtDef *o = make_unit_enum("Ordering", "Relaxed", "Release");
        o->nvariants = 5;
        o->variants = arena_alloc(g_arena, sizeof(VariantInfo) * 5);
        memset(o->variants, 0, sizeof(VariantInfo) * 5);
        for (int i = 0; i < 5; i++) {
            o->variants[i].name = xstrdup(orders[i]);
            o->variants[i].kind = SK_UNIT;
            o->variants[i].discr = i;
        }
        Def *d = new_def(DEF_ADT, "Ordering", (Span){0});
        d->adt = o;
        add_global("atomic::Ordering", d, true, (Span){0});
        static const char *atomics[] = {"AtomicBool", "AtomicI8", "AtomicI16", "AtomicI32", "AtomicI64", "AtomicIsize",
                                        "AtomicU8", "AtomicU16", "AtomicU32", "AtomicU64", "AtomicUsize", NULL};
        static const TypeKind prims[] = {TY_BOOL, TY_I8, TY_I16, TY_I32, TY_I64, TY_ISIZE,
                                         TY_U8, TY_U16, TY_U32, TY_U64, TY_USIZE};
        for (int i = 0; atomics[i]; i++) {
            Def *ad = new_def(DEF_STD_TYPE, (char *)atomics[i], (Span){0});
            ad->std_type = &std_types[STD_ATOMIC];
            ad->type = ty_prim(prims[i]);
            add_global(xprintf("atomic::%s", atomics[i]), ad, true, (Span){0});
        }
    }
    /* the std types outside the prelude, by their module (`use std::rc::Rc;` names them) */
    for (int i = 0; i < STD_COUNT; i++) {
        if (!std_types[i].module[0] || i == STD_ATOMIC)
            continue;
        Def *d = new_def(DEF_STD_TYPE, (char *)std_types[i].name, (Span){0});
        d->std_type = &std_types[i];
        add_global(xprintf("%s::%s", std_types[i].module, std_types[i].name), d, true, (Span){0});
    }
    Def *od = new_def(DEF_ADT, "Option", (Span){0});
    od->adt = prog->option;
    add_global("Option", od, true, (Span){0});
    Def *rd = new_def(DEF_ADT, "Result", (Span){0});
    rd->adt = prog->result;
    add_global("Result", rd, true, (Span){0});
    add_variant_globals(prog->option);
    add_variant_globals(prog->result);
    prog->display = builtin_trait("Display");
    TraitDef *debug = builtin_trait("Debug");
    prog->error = builtin_trait("Error");
    list_push(&prog->error->supers, prog->display);
    list_push(&prog->error->supers, debug);
    prog->partial_eq = builtin_trait("PartialEq");
    builtin_trait("Eq");
    prog->partial_ord = builtin_trait("PartialOrd");
    builtin_trait("Ord");
    builtin_trait("Clone");
    builtin_trait("Copy");
    builtin_trait("Default");
    builtin_trait("Iterator");
    builtin_trait("Drop");
    builtin_trait("Unpin");
    {
        static const char *ops[] = {"From", "TryFrom", "FromStr", "Add", "Sub", "Mul", "Div", "Rem", "Neg", "Not", "AddAssign",
                                    "SubAssign", "MulAssign", "DivAssign", "RemAssign", "Index", "IndexMut", "Deref", "DerefMut", NULL};
        for (int i = 0; ops[i]; i++)
            builtin_trait(ops[i]);
    }
    {
        AdtDef *ph = make_error_struct("PhantomData");
        ph->variants[0].kind = SK_UNIT;
        ph->nparams = 1;
        ph->param_names = arena_alloc(g_arena, sizeof(char *));
        ph->param_names[0] = xstrdup("T");
        ph->derives = DERIVE_DEBUG | DERIVE_CLONE | DERIVE_COPY | DERIVE_PARTIAL_EQ | DERIVE_EQ | DERIVE_PARTIAL_ORD |
                      DERIVE_ORD | DERIVE_DEFAULT | DERIVE_HASH;
        prog->phantom = ph;
        const char *names[] = {"PhantomData", "marker::PhantomData"};
        for (int i = 0; i < 2; i++) {
            Def *td = new_def(DEF_ADT, "PhantomData", (Span){0});
            td->adt = ph;
            add_global((char *)names[i], td, true, (Span){0});
            add_global((char *)names[i], td, false, (Span){0}); /* the value `PhantomData` */
        }
    }
    {
        /* std::cmp::Reverse<T>(pub T): the derives of its one field, but ordered the other way */
        AdtDef *rv = make_error_struct("Reverse");
        rv->nparams = 1;
        rv->param_names = arena_alloc(g_arena, sizeof(char *));
        rv->param_names[0] = xstrdup("T");
        rv->variants[0].kind = SK_TUPLE;
        rv->variants[0].nfields = 1;
        rv->variants[0].fields = arena_alloc(g_arena, sizeof(FieldInfo));
        rv->variants[0].fields[0] = (FieldInfo){0};
        rv->variants[0].fields[0].name = xstrdup("0");
        rv->variants[0].fields[0].type = ty_param(0, "T");
        rv->derives = DERIVE_DEBUG | DERIVE_CLONE | DERIVE_COPY | DERIVE_PARTIAL_EQ | DERIVE_EQ | DERIVE_PARTIAL_ORD |
                      DERIVE_ORD | DERIVE_DEFAULT | DERIVE_HASH;
        rv->reverse_ord = true;
        prog->reverse = rv;
        for (int ns = 0; ns < 2; ns++) { /* the type and its constructor */
            Def *d = new_def(DEF_ADT, "Reverse", (Span){0});
            d->adt = rv;
            add_global("cmp::Reverse", d, ns == 0, (Span){0});
        }
    }
    prog->formatter = make_error_struct("Formatter");
    prog->formatter->derives = 0;
    {
        Def *fd = new_def(DEF_ADT, "Formatter", (Span){0});
        fd->adt = prog->formatter;
        add_global("Formatter", fd, true, (Span){0});
    }
    prog->ordering = make_builtin_enum("Ordering", "T", NULL, "Less", 0, "Equal", 0);
    prog->ordering->nparams = 0;
    prog->ordering->nvariants = 3;
    {
        VariantInfo *v = arena_alloc(g_arena, sizeof(VariantInfo) * 3);
        const char *names[3] = {"Less", "Equal", "Greater"};
        for (int k = 0; k < 3; k++) {
            v[k].name = xstrdup(names[k]);
            v[k].kind = SK_UNIT;
            v[k].discr = k - 1;
        }
        prog->ordering->variants = v;
        prog->ordering->derives |= DERIVE_HASH;
        Def *ordd = new_def(DEF_ADT, "Ordering", (Span){0});
        ordd->adt = prog->ordering;
        add_global("Ordering", ordd, true, (Span){0});
    }
}

/* Tier 4's std items: Poll, PhantomPinned, the Future trait (its `poll` declared here,
 * as std declares it), and the names the pin-project crate's attributes use. */
static void predeclare_futures(void)
{
    AdtDef *poll = make_builtin_enum("Poll", "T", NULL, "Ready", 1, "Pending", 0);
    poll->derives |= DERIVE_HASH;
    prog->poll = poll;
    Def *pd = new_def(DEF_ADT, "Poll", (Span){0});
    pd->adt = poll;
    add_global("task::Poll", pd, true, (Span){0});

    AdtDef *pp = make_error_struct("PhantomPinned");
    pp->variants[0].kind = SK_UNIT;
    pp->derives = DERIVE_DEBUG | DERIVE_CLONE | DERIVE_COPY | DERIVE_PARTIAL_EQ | DERIVE_EQ | DERIVE_PARTIAL_ORD |
                  DERIVE_ORD | DERIVE_DEFAULT | DERIVE_HASH;
    prog->phantom_pinned = pp;
    for (int ns = 0; ns < 2; ns++) { /* the type and its one value */
        Def *d = new_def(DEF_ADT, "PhantomPinned", (Span){0});
        d->adt = pp;
        add_global("marker::PhantomPinned", d, ns == 0, (Span){0});
    }

    /* trait Future { type Output; fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output>; } */
    TraitDef *fu = NEW(TraitDef);
    fu->name = "Future";
    fu->builtin = true;
    list_push(&fu->assoc_types, "Output");
    Def *fd = new_def(DEF_TRAIT, "Future", (Span){0});
    fd->trait = fu;
    add_global("future::Future", fd, true, (Span){0});
    list_push(&prog->traits, fu);
    prog->future = fu;
    Item *decl = NEW(Item);
    decl->kind = IT_FN;
    decl->name = "poll";
    FnDef *f = NEW(FnDef);
    f->name = "poll";
    f->cname = "Future_poll";
    f->item = decl;
    f->self_kind = SELF_PIN;
    f->self_mut = true;
    Type *self = ty_param(0, "Self");
    Type *pin_self = ty_ref(self, true);
    f->params = arena_alloc(g_arena, sizeof(Type *) * 2);
    f->params[0] = ty_std(STD_PIN, &pin_self, 1);
    f->params[1] = ty_ref(ty_std(STD_CONTEXT, NULL, 0), true);
    f->nparams = 2;
    Type *out = ty_proj(self, fu, 0);
    f->ret = ty_adt(poll, &out, 1);
    f->ntparams = 1;
    f->tparam_names = arena_alloc(g_arena, sizeof(char *));
    f->tparam_names[0] = "Self";
    f->tparam_bounds = arena_alloc(g_arena, sizeof(List));
    list_push(&f->tparam_bounds[0], fu);
    f->npre = 1;
    f->trait = fu;
    f->is_default = true;
    f->checked = true;
    list_push(&fu->methods, f);

    /* the trait a `#[pinned_drop] impl PinnedDrop for T` implements: T's drop, taking it pinned */
    TraitDef *pdt = NEW(TraitDef);
    pdt->name = "PinnedDrop";
    pdt->builtin = true;
    Def *pdd = new_def(DEF_TRAIT, "PinnedDrop", (Span){0});
    pdd->trait = pdt;
    add_global("pin_project::PinnedDrop", pdd, true, (Span){0});
    list_push(&prog->traits, pdt);
    /* `use pin_project::pin_project;` (and pinned_drop) bring the attributes into scope */
    static const char *attrs[] = {"pin_project::pin_project", "pin_project::pinned_drop"};
    for (int i = 0; i < 2; i++) {
        Def *d = new_def(DEF_MODULE, (char *)attrs[i] + strlen("pin_project::"), (Span){0});
        d->module = (char *)attrs[i];
        add_global((char *)attrs[i], d, true, (Span){0});
    }
}

/* ---- checking one fn ---------------------------------------------------------- */

/* ty_str's names for the type parameters of the fn being checked. */
static const char *param_name(int i)
{
    if (cur_fn && i < cur_fn->ntparams && cur_fn->tparam_names && cur_fn->tparam_names[i])
        return cur_fn->tparam_names[i];
    return cur_fn && cur_fn->is_default && i == 0 ? "Self" : NULL;
}

/* The first adaptor call of each std iterator type, which codegen names in the comment
 * of the type's struct. */
static List iter_origins; /* pairs: Type *, Expr * */

Expr *iter_origin(Type *t)
{
    for (int i = 0; i + 1 < iter_origins.len; i += 2)
        if (iter_origins.items[i] == t)
            return iter_origins.items[i + 1];
    return NULL;
}

static void zonk_all(Ctx *c)
{
    for (int i = 0; i < c->exprs.len; i++) {
        Expr *e = c->exprs.items[i];
        e->ty = ty_zonk(e->ty);
        if (e->kind == EX_METHOD && e->ty->kind == TY_ITER && iter_kind_adapts(e->ty->iter_kind) && !iter_origin(e->ty)) {
            list_push(&iter_origins, e->ty);
            list_push(&iter_origins, e);
        }
        if (e->adjust && e->adjust->target)
            e->adjust->target = ty_zonk(e->adjust->target);
        if (e->kind == EX_METHOD && e->sema) {
            MethodRes *mr = e->sema;
            if (mr->self_ty) mr->self_ty = ty_zonk(mr->self_ty);
            if (mr->elem) mr->elem = ty_zonk(mr->elem);
            if (mr->aux) mr->aux = ty_zonk(mr->aux);
            if (mr->inst)
                for (int k = 0; k < mr->inst->n; k++)
                    mr->inst->args[k] = ty_zonk(mr->inst->args[k]);
        }
        if (e->kind == EX_CALL && e->sema) {
            Inst *in = e->sema;
            for (int k = 0; k < in->n; k++)
                in->args[k] = ty_zonk(in->args[k]);
        }
        if ((e->kind == EX_FIELD || e->kind == EX_TUPLE_FIELD || e->kind == EX_INDEX) && e->sema) {
            FieldRes *fr = e->sema;
            fr->base_ty = ty_zonk(fr->base_ty);
        }
    }
    for (int i = 0; i < c->pats.len; i++) {
        Pat *p = c->pats.items[i];
        p->ty = ty_zonk(p->ty);
    }
    for (int i = 0; i < c->fn->locals.len; i++) {
        Local *l = c->fn->locals.items[i];
        l->type = ty_zonk(l->type);
    }
}

/* `x.try_into()` whose target was inferred after the call: its error type, or the
 * program's impl, now that the target is known. */
static void fix_try_into(Expr *e)
{
    MethodRes *mr = e->sema;
    Type *t = ty_resolve(mr->aux);
    Type *src = ty_resolve(e->operand->ty);
    Type *res = ty_resolve(e->ty);
    if (t->kind == TY_VAR) {
        Diag *d = diag_error("E0282", e->name_span, "type annotations needed");
        (void)d;
        return;
    }
    FnDef *f = t->kind == TY_ADT && !t->adt->builtin ? op_impl("TryFrom", t, src) : NULL;
    if (f) {
        mr->fn = f;
        unify(res, f->ret);
    } else if (ty_is_int(t) && ty_is_int(src)) {
        unify(res->args[1], ty_adt(prog->try_from_int_error, NULL, 0));
    } else {
        Diag *d = diag_error("E0277", e->name_span, "the trait bound `%s: TryFrom<%s>` is not satisfied", ty_str(t), ty_str(src));
        diag_primary_label(d, "the trait `TryFrom<%s>` is not implemented for `%s`", ty_str(src), ty_str(t));
    }
}

/* The `?`s after parse call e whose error conversion waited for parse's target: from its
 * error type err, now known. */
static void convert_late_tries(Ctx *c, Expr *e, Type *err)
{
    for (int k = 0; k + 1 < c->late_tries.len; k += 2) {
        Expr *q = c->late_tries.items[k];
        if (strip_parens(q->operand) == e)
            try_convert(q, err, ty_resolve(c->late_tries.items[k + 1]));
    }
}

/* `s.parse::<T>()`'s error type depends on T: fix it once T is known. */
static void fix_parse_errors(Ctx *c)
{
    /* the collects whose target is known by now first: what they collect into can fix the
     * type of a parse among their items (`.filter_map(|x| x.parse().ok()).collect()`) */
    for (int i = 0; i < c->exprs.len; i++) {
        Expr *e = c->exprs.items[i];
        MethodRes *mr = e->kind == EX_METHOD ? e->sema : NULL;
        if (mr && mr->bm == BM_IT_COLLECT && mr->aux && ty_resolve(e->ty)->kind != TY_VAR) {
            collect_into(e, e->ty, mr->aux);
            mr->aux = NULL;
        }
    }
    for (int i = 0; i < c->exprs.len; i++) {
        Expr *e = c->exprs.items[i];
        if (e->kind == EX_METHOD && e->sema && ((MethodRes *)e->sema)->bm == BM_TRY_INTO && ((MethodRes *)e->sema)->aux) {
            fix_try_into(e);
            continue;
        }
        if (e->kind == EX_METHOD && e->sema && ((MethodRes *)e->sema)->bm == BM_IT_COLLECT && ((MethodRes *)e->sema)->aux) {
            MethodRes *mr = e->sema; /* a collect whose target was learnt after it */
            if (ty_resolve(e->ty)->kind == TY_VAR) {
                Diag *d = diag_error("E0283", e->name_span, "type annotations needed");
                diag_primary_label(d, "cannot infer type of the type parameter `B` declared on the method `collect`");
            } else {
                collect_into(e, e->ty, mr->aux);
            }
            mr->aux = NULL;
            continue;
        }
        if (e->kind == EX_METHOD && e->sema && (((MethodRes *)e->sema)->bm == BM_IT_SUM ||
                                                ((MethodRes *)e->sema)->bm == BM_IT_PRODUCT) && ((MethodRes *)e->sema)->aux) {
            MethodRes *mr = e->sema; /* a sum whose type was learnt after it */
            if (ty_resolve(e->ty)->kind == TY_VAR) {
                Diag *d = diag_error("E0283", e->name_span, "type annotations needed");
                diag_primary_label(d, "cannot infer type of the type parameter `S` declared on the method `%s`", e->name);
            } else if (!unify(e->ty, mr->aux)) {
                mismatch(e->span, e->ty, mr->aux);
            }
            mr->aux = NULL;
            continue;
        }
        if (e->kind != EX_METHOD || !e->sema || ((MethodRes *)e->sema)->bm != BM_S_PARSE)
            continue;
        MethodRes *mr = e->sema;
        Type *t = ty_resolve(mr->aux);
        Type *res = ty_resolve(e->ty);
        if (t->kind == TY_VAR) {
            Diag *d = diag_error("E0284", e->name_span, "type annotations needed");
            diag_primary_label(d, "cannot infer type of the type parameter `F` declared on the method `parse`");
            continue;
        }
        AdtDef *err = parse_error_adt(t);
        FnDef *from_str = !err && t->kind == TY_ADT && !t->adt->builtin ? op_impl("FromStr", t, NULL) : NULL;
        if (from_str) { /* the program's `impl FromStr`: its from_str, and its Err */
            mr->conv = from_str;
            if (!unify(res, from_str->ret))
                mismatch(e->span, res, from_str->ret);
            else
                convert_late_tries(c, e, ty_resolve(res)->args[1]);
            continue;
        }
        if (!err) {
            if (t->kind == TY_ADT && !t->adt->builtin) {
                Diag *d = diag_error("E0277", e->name_span, "the trait bound `%s: FromStr` is not satisfied", ty_str(t));
                diag_primary_label(d, "the trait `FromStr` is not implemented for `%s`", ty_str(t));
            } else {
                unsupported(e->span, xprintf("parsing into `%s`", ty_str(t)));
            }
            continue;
        }
        convert_late_tries(c, e, ty_adt(err, NULL, 0));
        if (res->kind == TY_ADT && res->nargs == 2 && !unify(res->args[1], ty_adt(err, NULL, 0))) {
            /* `s.parse()?` in a fn whose error type is not the parse error: rustc's complaint is the `?` */
            Expr *try_of = NULL;
            for (int k = 0; k < c->exprs.len && !try_of; k++) {
                Expr *t = c->exprs.items[k];
                if (t->kind == EX_TRY && strip_parens(t->operand) == e)
                    try_of = t;
            }
            if (try_of) {
                Diag *d = diag_error("E0277", try_of->span, "`?` couldn't convert the error to `%s`", ty_str(res->args[1]));
                diag_note(d, "the question mark operation (`?`) implicitly performs a conversion on the error value using the `From` trait");
            } else {
                mismatch(e->span, res->args[1], ty_adt(err, NULL, 0));
            }
        }
    }
}

/* A closure's captures, after those of the closures inside it (which it
 * captures in turn); the closures before it in the source are done already,
 * so calling one of them knows its trait. */
static void analyze_closure(Ctx *c, Closure *clo)
{
    for (int i = 0; i < c->closures.len; i++)
        if (((Closure *)c->closures.items[i])->parent == clo)
            analyze_closure(c, c->closures.items[i]);
    sema_closure_captures(clo);
}

/* The closures whose value leaves the fn: in return position (the body's
 * tail, a `return`, through blocks, `if`, `match` and `Box::new`). */
static void escaping_closures(Expr *e, Expr *ret_at, List *out)
{
    if (!e)
        return;
    switch (e->kind) {
    case EX_PAREN:
        escaping_closures(e->operand, ret_at, out);
        return;
    case EX_CLOSURE:
        list_push(out, e);
        list_push(out, ret_at);
        return;
    case EX_BLOCK:
        escaping_closures(e->block->tail, ret_at, out);
        return;
    case EX_IF:
        escaping_closures(e->block->tail, ret_at, out);
        escaping_closures(e->els, ret_at, out);
        return;
    case EX_MATCH:
        for (int i = 0; i < e->arms.len; i++)
            escaping_closures(((MatchArm *)e->arms.items[i])->body, ret_at, out);
        return;
    case EX_CALL:
        if (e->def && e->def->kind == DEF_BUILTIN && e->def->builtin == BI_BOX_NEW && e->args.len == 1)
            escaping_closures(e->args.items[0], ret_at, out);
        return;
    default:
        return;
    }
}

/* E0373: a closure that borrows a local (or parameter) of its fn, returned out of it. */
static void check_escaping(Ctx *c)
{
    Block *body = c->fn->item->body;
    if (!body)
        return;
    List esc = {0};
    if (body->tail)
        escaping_closures(body->tail, body->tail, &esc);
    for (int i = 0; i < c->spawned.len; i++) { /* a thread may outlive the fn too */
        list_push(&esc, c->spawned.items[i]);
        list_push(&esc, c->spawned.items[i]);
    }
    for (int i = 0; i + 1 < esc.len; i += 2) {
        Expr *e = esc.items[i];
        Closure *clo = e->sema;
        if (!clo || e->is_move)
            continue;
        for (int k = 0; k < clo->captures.len; k++) {
            Capture *cp = clo->captures.items[k];
            bool through_ref = false; /* `(*self).x`: borrowed from the caller, not from this fn */
            for (int j = 0; j < cp->steps.len; j++)
                through_ref |= !strcmp(cp->steps.items[j], "*");
            if (cp->mode == CAP_VALUE || cp->root->closure || through_ref)
                continue;
            const char *what = e->async_block ? "async block" : "closure";
            Diag *d = diag_error("E0373", sema_closure_head(e),
                                 "%s may outlive the current function, but it borrows `%s`, which is owned by "
                                 "the current function", what, cp->root->name);
            diag_primary_label(d, "may outlive borrowed value `%s`", cp->root->name);
            diag_label(d, cp->at, "`%s` is borrowed here", cp->root->name);
            diag_help(d, "to force the %s to take ownership of `%s` (and any other referenced variables), use "
                         "the `move` keyword", what, cp->root->name);
            break;
        }
    }
}

/* After inference: each closure's captures and trait (innermost first, since
 * an outer closure captures what its inner ones do), then the checks that
 * need the trait: E0596 for an FnMut closure called through a binding that is
 * not `mut`, E0525 for a closure weaker than the bound it is passed for. */
static void finish_closures(Ctx *c)
{
    for (int i = 0; i < c->closures.len; i++) {
        Closure *clo = c->closures.items[i];
        for (int k = 0; k < clo->nparams; k++)
            clo->params[k] = ty_zonk(clo->params[k]);
        clo->ret = ty_zonk(clo->ret);
        if (clo->async_fn)
            clo->async_fn->async_out = clo->ret;
    }
    for (int i = 0; i < c->closures.len; i++)
        if (!((Closure *)c->closures.items[i])->parent)
            analyze_closure(c, c->closures.items[i]);
    if (c->instance)
        return; /* the generic body's check reported what there is to report */
    check_escaping(c);
    /* what a spawned closure owns or borrows must be Send (E0277) */
    for (int i = 0; i < c->spawned.len; i++) {
        Expr *e = c->spawned.items[i];
        Type *culprit = NULL;
        bool shared = false;
        if (e->ty && ty_mentions_future(e->ty)) { /* (what its frame holds is known after borrowck) */
            list_push(&prog->send_checks, e);
            continue;
        }
        if (!e->ty || ty_thread_safe(e->ty, false, &culprit, &shared))
            continue;
        Diag *d = diag_error("E0277", sema_closure_head(e), "`%s` cannot be %s between threads safely", ty_str(culprit),
                             shared ? "shared" : "sent");
        diag_primary_label(d, "`%s` cannot be %s between threads safely", ty_str(culprit), shared ? "shared" : "sent");
        diag_help(d, "the trait `%s` is not implemented for `%s`", shared ? "Sync" : "Send", ty_str(culprit));
    }
    /* a closure made a `dyn Fn` / `dyn FnMut` whose body needs more */
    for (int i = 0; i < c->exprs.len; i++) {
        Expr *e = c->exprs.items[i];
        if (!e->adjust || (e->adjust->coerce != CO_DYN && e->adjust->coerce != CO_BOX_DYN) || !e->ty)
            continue;
        Type *src = ty_resolve(e->ty), *dst = ty_resolve(e->adjust->target);
        if ((src->kind != TY_REF && !ty_is_std(src, STD_BOX)) || ty_resolve(src->args[0])->kind != TY_CLOSURE)
            continue;
        Closure *clo = ty_resolve(src->args[0])->clo;
        TraitDef *tr = ty_resolve(dst->args[0])->trait;
        if (!tr->fn_kind || clo->kind <= tr->fn_kind || !clo->kind_cap)
            continue;
        Capture *k = clo->kind_cap;
        Expr *use = strip_parens(k->use);
        Diag *d;
        if (clo->kind == FN_ONCE) {
            d = diag_error("E0507", k->at, "cannot move out of `%s`, a captured variable in an `%s` closure", k->place,
                           tr->name);
            diag_primary_label(d, "move occurs because `%s` has type `%s`, which does not implement the `Copy` trait",
                               k->place, ty_str(k->type));
        } else if (use->kind == EX_ASSIGN || use->kind == EX_ASSIGN_OP) {
            d = diag_error("E0594", use->span, "cannot assign to `%s`, as it is a captured variable in a `Fn` closure",
                           k->place);
            diag_primary_label(d, "cannot assign");
        } else {
            d = diag_error("E0596", k->at, "cannot borrow `%s` as mutable, as it is a captured variable in a `Fn` closure",
                           k->place);
            diag_primary_label(d, "cannot borrow as mutable");
        }
        diag_label(d, sema_closure_head(clo->expr), "in this closure");
    }
    for (int i = 0; i < c->closures.len; i++) {
        Closure *clo = c->closures.items[i];
        if (clo->as_fn && clo->captures.len) {
            Diag *d = diag_error("E0308", clo->as_fn->span, "mismatched types");
            diag_primary_label(d, "expected fn pointer, found closure");
            Capture *cp = clo->captures.items[0];
            diag_note(d, "closures can only be coerced to `fn` types if they do not capture any variables "
                         "(`%s` is captured at %u:%u)", cp->place, cp->at.line, cp->at.col);
        }
    }
    for (int i = 0; i < c->closure_calls.len; i++) {
        Expr *call = c->closure_calls.items[i];
        Expr *callee = strip_parens(call->operand);
        Type *t = callee->ty;
        if (callee->kind != EX_PATH || !callee->def || callee->def->kind != DEF_LOCAL || t->kind != TY_CLOSURE)
            continue;
        Local *l = callee->def->local;
        if (t->clo->kind == FN_MUT && !l->is_mut) {
            MutUse *u = NEW(MutUse);
            u->root = l;
            u->span = callee->span;
            u->clo = t->clo;
            list_push(&c->mut_uses, u);
        }
    }
    for (int i = 0; i < c->insts.len; i++) {
        Inst *in = c->insts.items[i];
        for (int k = 0; k < in->n && in->fn->tparam_bounds; k++) {
            Type *a = ty_resolve(in->args[k]);
            if (a->kind != TY_CLOSURE)
                continue;
            List *b = &in->fn->tparam_bounds[k];
            for (int j = 0; j < b->len; j++) {
                TraitDef *tr = b->items[j];
                Closure *clo = a->clo;
                if (!tr->fn_kind || clo->kind <= tr->fn_kind)
                    continue;
                const char *have = clo->kind == FN_ONCE ? "FnOnce" : "FnMut";
                Diag *d = diag_error("E0525", clo->expr->span,
                                     "expected a closure that implements the `%s` trait, but this closure only "
                                     "implements `%s`", tr->name, have);
                diag_primary_label(d, "this closure implements `%s`, not `%s`", have, tr->name);
                if (clo->kind_cap)
                    diag_label(d, clo->kind_cap->at, "closure is `%s` because it %s the variable `%s`%s", have,
                               clo->kind == FN_ONCE ? "moves" : "mutates", clo->kind_cap->place,
                               clo->kind == FN_ONCE ? " out of its environment" : "");
                diag_label(d, *(Span *)c->inst_spans.items[i], "the requirement to implement `%s` derives from here",
                           tr->name);
            }
        }
    }
}

/* Check f's body; with subst, as the instance whose parameters are subst. */
static void check_fn_with(FnDef *f, Type **subst)
{
    Item *it = f->item;
    if (!it->body)
        return;
    FnDef *saved_fn = cur_fn;
    TyEnv saved_env = tyenv;
    cur_fn = f;
    ty_param_namer = param_name;
    f->locals = (List){0};
    Type **ps = arena_alloc(g_arena, sizeof(Type *) * (size_t)(f->nparams + 1));
    for (int i = 0; i < f->nparams; i++)
        ps[i] = subst ? ty_subst(f->params[i], subst, f->ntparams) : f->params[i];
    Type *fret = f->is_async ? f->async_out : f->ret; /* an async fn's body returns the Output */
    Type *ret = subst ? ty_subst(fret, subst, f->ntparams) : fret;
    if (f->is_async)
        async_normalize(f);
    tyenv = (TyEnv){.params = f->tparam_names, .nparams = f->ntparams, .subst = subst, .bounds = f->tparam_bounds};
    if (f->is_default)
        tyenv.trait = f->trait;
    if (f->owner)
        tyenv.self_adt = f->owner;
    if (f->impl_self)
        tyenv.self_ty = subst ? ty_subst(f->impl_self, subst, f->ntparams) : f->impl_self;
    if (f->is_default)
        tyenv.self_ty = subst ? subst[0] : ty_param(0, "Self");
    Ctx c = {.prog = prog, .fn = f, .ret = ret, .instance = subst != NULL, .unsafe_depth = f->is_unsafe};
    Type *opaque = NULL; /* an instance's `-> impl Fn(T)`: the closure is checked against the bound at T */
    for (int i = 0; f->opaque_ret && !f->opaque_var && i < f->ret_bounds.len; i++) {
        /* `-> impl Fn(i32) -> i32`: the closure returned takes its signature from the bound */
        TraitDef *b = f->ret_bounds.items[i];
        if (!b->fn_kind)
            continue;
        if (subst && ret->kind != TY_VAR) {
            Type **ps2 = arena_alloc(g_arena, sizeof(Type *) * (size_t)(b->fn_nparams + 1));
            for (int k = 0; k < b->fn_nparams; k++)
                ps2[k] = ty_subst(b->fn_params[k], subst, f->ntparams);
            b = fn_trait(b->fn_kind, ps2, b->fn_nparams, ty_subst(b->fn_ret, subst, f->ntparams));
            opaque = ret;
            ret = ty_var(VAR_ANY);
            c.ret = ret;
        }
        FnExpect *x = NEW(FnExpect);
        x->var = ret;
        x->sig = b;
        list_push(&c.fn_expect, x);
    }
    push_scope(&c);
    int k = 0;
    if (f->self_kind != SELF_NONE) {
        Local *self = declare_local(&c, "self", ps[k++], f->self_mut, it->sig->self_span);
        self->is_param = true;
    }
    for (int i = 0; i < it->sig->params.len; i++) {
        Param *p = it->sig->params.items[i];
        check_pat(&c, p->pat, ps[k++], false);
        if (p->pat->kind == PAT_IDENT && p->pat->local)
            p->pat->local->is_param = true;
        else
            unsupported(p->pat->span, "a pattern in a fn parameter");
    }
    Type *bt = check_block(&c, it->body, ret);
    if (!diverges(bt)) {
        Expr *tail = it->body->tail;
        if (tail) {
            if (!unify(bt, ret) && !try_coerce(tail, bt, ret))
                mismatch(tail->span, ret, bt);
        } else if (!unify(bt, ret)) {
            Diag *d = diag_error("E0308", it->sig->ret ? it->sig->ret->span : it->name_span, "mismatched types");
            diag_primary_label(d, "expected `%s`, found `()`", ty_str(ret));
            diag_note(d, "implicitly returns `()` as its body has no tail or `return` expression");
        }
    }
    if (opaque)
        unify(ret, opaque); /* the closure of this instance is the one its callers saw */
    pop_scope(&c);
    for (int i = 0; i < c.matches.len; i++) {
        Expr *m = c.matches.items[i];
        match_exhaustive(&c, m, m->operand->ty);
    }
    for (int i = 0; i < c.lets.len; i++) {
        Stmt *s = c.lets.items[i];
        check_irrefutable(s->pat, s->pat->ty, "local binding");
    }
    fix_parse_errors(&c);
    check_inst_bounds(&c);
    zonk_all(&c);
    finish_closures(&c);
    if (!c.instance) {
        report_mut_uses(&c);
        lint_fn(&c);
    }
    f->closures = c.closures;
    f->checked = true;
    cur_fn = saved_fn;
    tyenv = saved_env;
}

static void check_fn(FnDef *f) { check_fn_with(f, NULL); }

void sema_check_instance(Program *p, FnDef *f, Type **args)
{
    prog = p;
    check_fn_with(f, args);
}

static void check_const(Def *d)
{
    Item *it = d->item;
    if (!it->init)
        return;
    /* a const initializer is checked as the body of a nullary fn */
    FnDef f = {.name = it->name, .cname = it->name, .item = it, .ret = d->type};
    Ctx c = {.prog = prog, .fn = &f, .ret = d->type};
    push_scope(&c);
    check_coerce(&c, it->init, d->type);
    pop_scope(&c);
    zonk_all(&c);
}

/* Does a value of type t hold a `target` inline (not behind a Box, Vec,
 * reference or pointer)? path collects the ADTs on the way. */
static bool holds_inline(Type *t, AdtDef *target, List *path, int depth)
{
    t = ty_resolve(t);
    if (!t || depth > 64)
        return false;
    if (t->kind == TY_TUPLE || t->kind == TY_ARRAY) {
        for (int i = 0; i < t->nargs; i++)
            if (holds_inline(t->args[i], target, path, depth + 1))
                return true;
        return false;
    }
    if (t->kind != TY_ADT)
        return false; /* a Box, Vec, String, reference, pointer, fn ...: indirection */
    if (t->adt == target)
        return true;
    for (int i = 0; i < path->len; i++)
        if (path->items[i] == t->adt)
            return false; /* another cycle: its own ADT reports it */
    list_push(path, t->adt);
    for (int v = 0; v < t->adt->nvariants; v++)
        for (int k = 0; k < t->adt->variants[v].nfields; k++)
            if (holds_inline(ty_subst(t->adt->variants[v].fields[k].type, t->args, t->nargs), target, path, depth + 1))
                return true;
    path->len--;
    return false;
}

/* E0072: a struct or enum that holds itself without indirection has no
 * finite size. Returns whether any was reported. */
static bool check_recursive_types(void)
{
    List reported = {0};
    for (int i = 0; i < prog->adts.len; i++) {
        AdtDef *a = prog->adts.items[i];
        bool seen = false;
        for (int k = 0; k < reported.len; k++)
            seen |= reported.items[k] == a;
        if (seen || a->builtin)
            continue;
        Diag *d = NULL;
        for (int v = 0; v < a->nvariants; v++)
            for (int k = 0; k < a->variants[v].nfields; k++) {
                List path = {0};
                FieldInfo *f = &a->variants[v].fields[k];
                if (!holds_inline(f->type, a, &path, 0))
                    continue;
                if (!d)
                    d = diag_error("E0072", a->item ? span_join(a->item->span, a->span) : a->span,
                                   "recursive type `%s` has infinite size", a->name);
                diag_label(d, f->span, "recursive without indirection");
                for (int p = 0; p < path.len; p++)
                    list_push(&reported, path.items[p]);
            }
        if (d) {
            diag_help(d, "insert some indirection (e.g., a `Box`, `Rc`, or `&`) to break the cycle");
            list_push(&reported, a);
        }
    }
    return reported.len > 0;
}

Program *sema_check(Crate *crate)
{
    prog = NEW(Program);
    prog->crate = crate;
    globals_reset();
    fn_traits = (List){0};
    sema_check_elision(crate);
    types_init();
    ty_normalize_hook = normalize;
    predeclare_std();
    predeclare_futures();
    std_methods_check();
    for (int i = 0; i < crate->attrs.len; i++) {
        Attr *a = crate->attrs.items[i];
        if (strcmp(a->name, "allow") && strcmp(a->name, "warn") && strcmp(a->name, "deny"))
            diag_error(NULL, a->span, "the crate attribute `#![%s]` is not supported by mrsc", a->name);
    }
    hoist_nested_items(&crate->items);
    collect_items(&crate->items);
    resolve_items(&crate->items);
    if (check_recursive_types())
        return prog; /* (the bodies are not checked: every later step would recurse forever) */
    distinct_cnames();
    if (!prog->main && diag_error_count() == 0) {
        Diag *d = diag_error("E0601", (Span){0, 0, 1, 1}, "`main` function not found in crate");
        (void)d;
    }
    for (int i = 0; i < prog->consts.len; i++)
        check_const(prog->consts.items[i]);
    /* fns returning `impl Trait` first: their callers need the type */
    for (int i = 0; i < prog->fns.len; i++) {
        FnDef *f = prog->fns.items[i];
        if (!f->opaque_ret)
            continue;
        check_fn(f);
        f->ret = ty_zonk(f->ret);
        Type *ot = f->opaque_var ? ty_zonk(f->opaque_var) : f->ret;
        for (int k = 0; k < f->ret_bounds.len; k++) {
            TraitDef *b = f->ret_bounds.items[k];
            if (satisfies(ot, b))
                continue;
            /* an iterator of another Item: rustc points at the returned value */
            Span at = b->iter_item && f->item->body && f->item->body->tail ? f->item->body->tail->span : f->item->sig->ret->span;
            bound_error(at, ot, b);
        }
    }
    for (int i = 0; i < prog->fns.len; i++)
        if (!((FnDef *)prog->fns.items[i])->opaque_ret)
            check_fn(prog->fns.items[i]);
    for (int i = 0; i < prog->traits.len; i++) {
        TraitDef *t = prog->traits.items[i];
        for (int k = 0; k < t->methods.len; k++) {
            FnDef *f = t->methods.items[k];
            if (f->item->body)
                check_fn(f);
        }
    }
    return prog;
}

FnDef *sema_trait_method(Program *p, Type *t, TraitDef *trait, const char *name, Inst *inst)
{
    prog = p;
    Type **args = NULL;
    ImplDef *im = find_impl_args(trait, t, &args);
    if (inst)
        *inst = (Inst){0};
    if (!im)
        return NULL;
    for (int k = 0; k < im->methods.len; k++) {
        FnDef *f = im->methods.items[k];
        if (strcmp(f->name, name))
            continue;
        if (inst && im->nparams) {
            inst->fn = f;
            inst->args = args;
            inst->n = im->nparams;
        }
        return f;
    }
    return NULL;
}

FnDef *sema_generic_trait_method(Program *p, FnDef *decl, Type **args, Inst *inst)
{
    prog = p;
    return sema_trait_method(p, args[0], trait_instance(decl->trait, args + 1), decl->name, inst);
}

bool sema_is_copy(FnDef *f, Type *t)
{
    t = ty_resolve(t);
    if (t->kind == TY_PARAM) {
        FnDef *saved = cur_fn;
        cur_fn = f;
        bool r = satisfies(t, find_trait("Copy"));
        cur_fn = saved;
        return r;
    }
    if (t->kind == TY_TUPLE || t->kind == TY_ARRAY) {
        for (int i = 0; i < t->nargs; i++)
            if (!sema_is_copy(f, t->args[i]))
                return false;
        return true;
    }
    return ty_is_copy(t);
}

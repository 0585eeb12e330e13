/* cmap.c — HashMap<K, V> in C: its entries in the order they were inserted (each
 * `{ hash, key, value }`), and an index of them by hash (runtime/map.c); an Entry is the
 * map and where the key is, or is to go.
 *
 * requires: a typed instance whose HashMap calls sema resolved to rows (BM_MAP_*,
 * BM_ENTRY_*);
 * produces: per map type a find, a push, an insert and a remove helper, per key type a
 * hash function, and the C of each method. Lookups by `&str` in a String-keyed map hash
 * and compare the bytes, as a String key's own hash does. */
#include "cg_int.h"

#include <string.h>

/* (a HashSet<T> is laid out as a map of T to ()) */
static Type *key_of(Type *m) { return m->args[0]; }
static Type *val_of(Type *m) { return ty_is_set(m) ? ty_unit() : m->args[1]; }
static bool str_key(Type *m) { return ty_is_std(key_of(m), STD_STRING); }

/* (a BTreeMap's entries are laid out as a HashMap's of the same types, and named so) */
const char *map_entry_c(Type *m)
{
    return xprintf("%s_entry", mangle(ty_std(ty_is_set(m) ? STD_HASHSET : STD_HASHMAP, m->args, m->nargs)));
}

/* The map an Entry points into. */
static Type *entry_map(Type *et) { return ty_std(ty_is_std(et, STD_BTREEENTRY) ? STD_BTREEMAP : STD_HASHMAP, et->args, 2); }

/* hash_T(const T *v): the hash of a key; a String's and a str's are their bytes'. */
const char *hash_fn(Type *t)
{
    const char *name = xprintf("hash_%s", mangle(t));
    if (helper_done(name))
        return name;
    need_type(t);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("uint64_t %s(%sv)", name, pointer_to(ctype(t), true)), &sv);
    if (ty_is_std(t, STD_STRING)) {
        emit("return mrs_hash_bytes(v->ptr, v->len);");
    } else if (t->kind == TY_REF && t->args[0]->kind == TY_STR) {
        emit("return mrs_hash_bytes(v->ptr, v->len);");
    } else if (t->kind == TY_REF) {
        emit("return %s(%s);", hash_fn(t->args[0]), is_fat_ref(t) ? "v" : "*v");
    } else if (t->kind == TY_TUPLE) {
        emit("uint64_t h = %d;", t->nargs);
        for (int i = 0; i < t->nargs; i++)
            emit("h = mrs_hash_combine(h, %s(&v->_%d));", hash_fn(t->args[i]), i);
        emit("return h;");
    } else if (t->kind == TY_ADT) {
        AdtDef *a = t->adt;
        emit("uint64_t h = %s;", a->is_enum ? xprintf("(uint64_t)%s", enum_discr(t, "(*v)")) : "0");
        if (a->is_enum)
            emit("switch (%s) {", enum_discr(t, "(*v)"));
        for (int k = 0; k < a->nvariants; k++) {
            VariantInfo *vi = &a->variants[k];
            if (a->is_enum) {
                emit("case %s:", variant_case(t, k));
                cg->indent++;
            }
            for (int i = 0; i < vi->nfields; i++) {
                Type *ft = ty_subst(vi->fields[i].type, t->args, t->nargs);
                emit("h = mrs_hash_combine(h, %s(&v->%s%s));", hash_fn(ft), a->is_enum ? xprintf("%s.", vi->name) : "",
                     field_name(vi, i));
            }
            if (a->is_enum) {
                emit("break;");
                cg->indent--;
            }
        }
        if (a->is_enum)
            emit("}");
        emit("return h;");
    } else { /* an integer, a char, a bool */
        emit("return mrs_hash_u64((uint64_t)*v);");
    }
    end_helper(b, &sv);
    return name;
}

/* The key argument of a lookup as the find helper takes it (a MrsStr for a String key,
 * else a `const K *`), and its hash, both hoisted. */
static void lookup_key(Type *m, Expr *arg, char *a, char **key, char **h)
{
    if (str_key(m)) {
        Type *in = arg->ty->kind == TY_REF ? arg->ty->args[0] : arg->ty;
        char *s = in->kind == TY_STR ? a : xprintf("mrs_string_as_str(%s)", a);
        *key = hoist(ty_ref(ty_prim(TY_STR), false), s, "key");
        *h = hoist(ty_prim(TY_U64), xprintf("mrs_hash_bytes(%s.ptr, %s.len)", *key, *key), "hash");
        return;
    }
    if (arg->ty == key_of(m)) { /* K = &Q and a &Q given: the key is that value, found by its address */
        char *kv = hoist(key_of(m), a, "key");
        *key = xprintf("&%s", kv);
        *h = hoist(ty_prim(TY_U64), xprintf("%s(%s)", hash_fn(key_of(m)), *key), "hash");
        return;
    }
    *key = is_ident_text(a) ? a : hoist(ty_ref(key_of(m), false), a, "key");
    *h = hoist(ty_prim(TY_U64), xprintf("%s(%s)", hash_fn(key_of(m)), *key), "hash");
}

/* The comparison (<0, 0, >0) of the key at place `at` with the looked-up `key` (a MrsStr
 * for a String key, else a `const K *`). */
static char *key_cmp(Type *m, const char *at)
{
    if (str_key(m))
        return xprintf("mrs_str_cmp(mrs_string_as_str(&%s), key)", at);
    return cmp_places(key_of(m), at, "(*key)");
}

/* M_find(m, key, h): the number of the entry holding the key, or -1. */
static const char *find_fn(Type *m)
{
    const char *name = xprintf("%s_find", mangle(m));
    if (helper_done(name))
        return name;
    need_type(m);
    const char *mt = ctype(m), *et = map_entry_c(m);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("ptrdiff_t %s(const %s *m, %s, uint64_t h)", name, mt,
                                     str_key(m) ? "MrsStr key" : xprintf("%skey", pointer_to(ctype(key_of(m)), true))),
                             &sv);
    if (ty_is_sorted_map(m)) { /* a binary search of the sorted entries (the hash is not used) */
        emit("(void)h;");
        emit("size_t lo = 0, hi = m->len;");
        emit("while (lo < hi) {");
        cg->indent++;
        emit("size_t mid = lo + (hi - lo) / 2;");
        emit("int c = %s;", key_cmp(m, "m->entries[mid].key"));
        emit("if (c == 0)");
        emit("    return (ptrdiff_t)mid;");
        emit("if (c < 0)");
        emit("    lo = mid + 1;");
        emit("else");
        emit("    hi = mid;");
        cg->indent--;
        emit("}");
        emit("return -1;");
        end_helper(b, &sv);
        return name;
    }
    emit("if (!m->index.cap)");
    emit("    return -1;");
    emit("size_t mask = m->index.cap - 1;");
    emit("for (size_t s = (size_t)h & mask;; s = (s + 1) & mask) { /* from the hash's slot on */");
    cg->indent++;
    emit("uint32_t n = m->index.slots[s];");
    emit("if (!n)");
    emit("    return -1; /* an empty slot: the key is not there */");
    emit("const %s *e = &m->entries[n - 1];", et);
    emit("if (e->hash == h && %s)", str_key(m) ? "mrs_str_eq(mrs_string_as_str(&e->key), key)"
                                                : eq_places(key_of(m), "e->key", "(*key)"));
    emit("    return (ptrdiff_t)(n - 1);");
    cg->indent--;
    emit("}");
    end_helper(b, &sv);
    return name;
}

/* M_push(m, h, key, value): a new entry at the end; a pointer to its value. */
static const char *push_fn(Type *m)
{
    const char *name = xprintf("%s_push", mangle(m));
    if (helper_done(name))
        return name;
    need_type(m);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s *%s(%s *m, uint64_t h, %s, %s)", ctype(val_of(m)), name, ctype(m),
                                     decl(key_of(m), "key"), decl(val_of(m), "value")),
                             &sv);
    emit("if (m->len == m->cap)");
    emit("    m->entries = mrs_vec_grow(m->entries, &m->cap, sizeof *m->entries, m->len + 1);");
    if (ty_is_sorted_map(m)) { /* at its place in key order: the entries after it move up one */
        emit("size_t lo = 0, hi = m->len;");
        emit("while (lo < hi) {");
        cg->indent++;
        emit("size_t mid = lo + (hi - lo) / 2;");
        emit("if (%s < 0)", str_key(m) ? "mrs_str_cmp(mrs_string_as_str(&m->entries[mid].key), mrs_string_as_str(&key))"
                                       : cmp_places(key_of(m), "m->entries[mid].key", "key"));
        emit("    lo = mid + 1;");
        emit("else");
        emit("    hi = mid;");
        cg->indent--;
        emit("}");
        emit("memmove(&m->entries[lo + 1], &m->entries[lo], (m->len - lo) * sizeof *m->entries);");
        emit("m->entries[lo] = (%s){h, key, value};", map_entry_c(m));
        emit("m->len++;");
        emit("return &m->entries[lo].value;");
        end_helper(b, &sv);
        return name;
    }
    emit("m->entries[m->len] = (%s){h, key, value};", map_entry_c(m));
    emit("m->len++;");
    emit("mrs_map_index_add(&m->index, m->entries, sizeof *m->entries, m->len);");
    emit("return &m->entries[m->len - 1].value;");
    end_helper(b, &sv);
    return name;
}

/* M_insert(m, key, value): the old value (the new key dropped, as Rust keeps the old
 * one), or None after a push. */
static const char *insert_fn(Type *m)
{
    const char *name = xprintf("%s_insert", mangle(m));
    if (helper_done(name))
        return name;
    Type *vt = val_of(m);
    Type *ov = ty_adt(cg->prog->option, &vt, 1);
    need_type(ov);
    const char *find = find_fn(m), *push = push_fn(m), *hash = hash_fn(key_of(m));
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%s *m, %s, %s)", ctype(ov), name, ctype(m), decl(key_of(m), "key"),
                                     decl(val_of(m), "value")),
                             &sv);
    emit("uint64_t h = %s(&key);", hash);
    emit("ptrdiff_t i = %s(m, %s, h);", find, str_key(m) ? "mrs_string_as_str(&key)" : "&key");
    emit("if (i >= 0) { /* the key is there: its value is replaced and given back */");
    cg->indent++;
    emit("%s = m->entries[i].value;", decl(val_of(m), "old"));
    emit("m->entries[i].value = value;");
    if (has_drop(key_of(m)))
        emit_drop_place(key_of(m), "key");
    emit("return %s;", some(ov, "old"));
    cg->indent--;
    emit("}");
    emit("%s(m, h, key, value);", push);
    emit("return %s;", none(ov));
    end_helper(b, &sv);
    return name;
}

/* M_remove_at(m, i): entry i out (the last moves into its place); its value. */
static const char *remove_at_fn(Type *m)
{
    const char *name = xprintf("%s_remove_at", mangle(m));
    if (helper_done(name))
        return name;
    need_type(m);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("%s %s(%s *m, size_t i)", ctype(val_of(m)), name, ctype(m)), &sv);
    emit("%s e = m->entries[i];", map_entry_c(m));
    if (ty_is_sorted_map(m)) {
        emit("memmove(&m->entries[i], &m->entries[i + 1], (m->len - i - 1) * sizeof *m->entries); /* (the order stays) */");
    } else {
        emit("mrs_map_index_remove(&m->index, m->entries, sizeof *m->entries, i, m->len);");
        emit("m->entries[i] = m->entries[m->len - 1]; /* the last entry fills the hole */");
    }
    emit("m->len--;");
    if (has_drop(key_of(m)))
        emit_drop_place(key_of(m), "e.key");
    emit("return e.value;");
    end_helper(b, &sv);
    return name;
}

/* The number of the entry that holds a lookup's key (argument 0 of e), or -1, hoisted. */
static char *found_entry(Type *m, Expr *e, char *p, char *a0)
{
    char *key, *h;
    lookup_key(m, e->args.items[0], a0, &key, &h);
    return hoist(ty_prim(TY_ISIZE), xprintf("%s(%s, %s, %s)", find_fn(m), addr_text(p), key, h), "found");
}

/* map.clear(), set.clear(): what each entry owns dropped, the entries and the index emptied. */
static void clear_entries(Type *m, char *p)
{
    if (has_drop(key_of(m)) || has_drop(val_of(m))) {
        emit("for (size_t i = 0; i < %s; i++) {", member(p, "len"));
        cg->indent++;
        emit_drop_place(key_of(m), xprintf("%s.entries[i].key", p));
        emit_drop_place(val_of(m), xprintf("%s.entries[i].value", p));
        cg->indent--;
        emit("}");
    }
    emit("%s = 0;", member(p, "len"));
    emit("mrs_map_index_clear(&%s);", member(p, "index"));
}

/* map.retain(f), set.retain(f): the entries f keeps, in their order, the others dropped;
 * a hashed one's index is made again. */
static void retain_entries(Type *m, Expr *e, char *p, char **a)
{
    Expr *fe = e->args.items[0];
    char *fv = callable_value(fe, a[0]);
    char *kept = fresh("kept");
    char *en = xprintf("%s[mrs_i]", member(p, "entries"));
    emit("size_t %s = 0;", kept);
    emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++) {", member(p, "len"));
    cg->indent++;
    char *args = ty_is_set(m) ? xprintf("&%s.key", en) : xprintf("&%s.key, &%s.value", en, en);
    emit("if (%s)", call_callable(fe->ty, fv, args));
    emit("    %s[%s++] = %s;", member(p, "entries"), kept, en);
    if (has_drop(key_of(m)) || has_drop(val_of(m))) {
        emit("else {");
        cg->indent++;
        emit_drop_place(key_of(m), xprintf("%s.key", en));
        emit_drop_place(val_of(m), xprintf("%s.value", en));
        cg->indent--;
        emit("}");
    }
    cg->indent--;
    emit("}");
    emit("%s = %s;", member(p, "len"), kept);
    if (!ty_is_sorted_map(m)) {
        emit("mrs_map_index_clear(&%s);", member(p, "index"));
        emit("for (size_t mrs_i = 0; mrs_i < %s; mrs_i++)", kept);
        emit("    mrs_map_index_add(&%s, %s, sizeof *%s, mrs_i + 1);", member(p, "index"), member(p, "entries"),
             member(p, "entries"));
    }
}

/* The C of HashMap's methods; p is the map's place, a the arguments. */
char *map_method(Expr *e, MethodRes *mr, char *p, char **a)
{
    Type *m = mr->self_ty;
    need_type(m);
    switch (mr->bm) {
    case BM_MAP_LEN:
        return member(p, "len");
    case BM_MAP_IS_EMPTY:
        return xprintf("(%s == 0)", member(p, "len"));
    case BM_MAP_INSERT:
        return xprintf("%s(%s, %s, %s)", insert_fn(m), addr_text(p), a[0], a[1]);
    case BM_MAP_GET:
    case BM_MAP_GET_MUT:
    case BM_MAP_CONTAINS_KEY:
    case BM_MAP_REMOVE: {
        char *i = found_entry(m, e, p, a[0]);
        if (mr->bm == BM_MAP_CONTAINS_KEY)
            return xprintf("(%s >= 0)", i);
        if (mr->bm == BM_MAP_REMOVE) { /* (a statement: its value is often dropped unread) */
            char *r = hoist(e->ty, none(e->ty), "removed");
            emit("if (%s >= 0)", i);
            emit("    %s = %s;", r, some(e->ty, xprintf("%s(%s, (size_t)%s)", remove_at_fn(m), addr_text(p), i)));
            return r;
        }
        return xprintf("(%s >= 0 ? %s : %s)", i, some(e->ty, xprintf("&%s.entries[%s].value", p, i)), none(e->ty));
    }
    case BM_MAP_CLEAR:
        clear_entries(m, p);
        return NULL;
    case BM_MAP_RETAIN:
        retain_entries(m, e, p, a);
        return NULL;
    case BM_MAP_ENTRY: { /* where the key is (its own key then unused), or where it will go */
        Type *et = e->ty;
        need_type(et);
        char *k = hoist(key_of(m), a[0], "key");
        char *kh = hoist(ty_prim(TY_U64), xprintf("%s(&%s)", hash_fn(key_of(m)), k), "hash");
        char *i = hoist(ty_prim(TY_ISIZE),
                        xprintf("%s(%s, %s, %s)", find_fn(m), addr_text(p), str_key(m) ? xprintf("mrs_string_as_str(&%s)", k) : xprintf("&%s", k), kh),
                        "found");
        if (has_drop(key_of(m))) {
            emit("if (%s >= 0) /* occupied: the key given to entry() is not kept */", i);
            cg->indent++;
            emit_drop_place(key_of(m), k);
            cg->indent--;
        }
        return xprintf("(%s){%s, %s, %s, %s}", ctype(et), addr_text(p), i, kh, k);
    }
    default:
        return NULL;
    }
}

/* The C of HashSet's methods; p is the set's place, a the arguments. */
/* Is the key of entry number i of set place `from` in set `in` (a pointer)? */
static char *in_set(Type *m, const char *from, const char *i, const char *in)
{
    char *k = xprintf("%s.entries[%s]", from, i);
    char *key = str_key(m) ? xprintf("mrs_string_as_str(&%s.key)", k) : xprintf("&%s.key", k);
    return xprintf("(%s(%s, %s, %s.hash) >= 0)", find_fn(m), in, key, k);
}

/* a.union(&b) and the other set operations: which items of a alone, of b alone and of
 * both they give (for a BTreeSet in key order, by merging the two sorted sets; for a
 * HashSet a's then b's, each looked up in the other), gathered into a Vec<&T> whose
 * IntoIter is the value; is_subset, is_superset and is_disjoint as their counts. */
static char *set_op(Expr *e, MethodRes *mr, const char *p, const char *other)
{
    Type *m = mr->self_ty;
    char *a = hoist(ty_ref(m, false), addr_text((char *)p), "a"), *b = hoist(ty_ref(m, false), other, "b");
    char *da = deref_text(a), *db = deref_text(b);
    BuiltinMethod bm = mr->bm;
    if (bm == BM_SET_IS_SUBSET || bm == BM_SET_IS_SUPERSET || bm == BM_SET_IS_DISJOINT) {
        const char *x = bm == BM_SET_IS_SUPERSET ? db : da, *y = bm == BM_SET_IS_SUPERSET ? a : b;
        char *r = fresh(bm == BM_SET_IS_DISJOINT ? "disjoint" : "subset");
        emit("bool %s = true;", r);
        emit("for (size_t i = 0; i < %s.len && %s; i++)", x, r);
        emit("    %s = %s%s;", r, bm == BM_SET_IS_DISJOINT ? "!" : "", in_set(m, x, "i", y));
        return r;
    }
    bool a_only = bm != BM_SET_INTERSECTION, both = bm == BM_SET_UNION || bm == BM_SET_INTERSECTION,
         b_only = bm == BM_SET_UNION || bm == BM_SET_SYMMETRIC_DIFFERENCE;
    Type *vt = e->ty->args[1];
    char *r = fresh("items");
    emit("%s = (%s){0};", decl(vt, r), ctype(vt));
    if (ty_is_sorted_map(m)) {
        emit("for (size_t i = 0, j = 0; i < %s.len || j < %s.len;) {", da, db);
        cg->indent++;
        emit("int c = i == %s.len ? 1 : j == %s.len ? -1 : %s;", da, db,
             cmp_places(key_of(m), xprintf("%s.entries[i].key", da), xprintf("%s.entries[j].key", db)));
        const char *what[3] = {a_only ? "&%s.entries[i].key" : NULL, b_only ? "&%s.entries[j].key" : NULL,
                               both ? "&%s.entries[i].key" : NULL};
        const char *cond[3] = {"c < 0", "c > 0", "c == 0"}, *step[3] = {"i++;", "j++;", "i++, j++;"};
        for (int k = 0; k < 3; k++) {
            emit("%sif (%s) {", k ? "} else " : "", cond[k]);
            cg->indent++;
            if (what[k])
                emit_vec_push(r, xprintf(what[k], k == 1 ? db : da));
            emit("%s", step[k]);
            cg->indent--;
        }
        emit("}");
        cg->indent--;
        emit("}");
    } else {
        if (a_only || both) {
            emit("for (size_t i = 0; i < %s.len; i++)", da);
            emit("    if (%s) {", a_only && both ? "true /* all of a */" : xprintf("%s%s", a_only ? "!" : "", in_set(m, da, "i", b)));
            cg->indent += 2;
            emit_vec_push(r, xprintf("&%s.entries[i].key", da));
            cg->indent -= 2;
            emit("    }");
        }
        if (b_only) {
            emit("for (size_t j = 0; j < %s.len; j++)", db);
            emit("    if (!%s) {", in_set(m, db, "j", a));
            cg->indent += 2;
            emit_vec_push(r, xprintf("&%s.entries[j].key", db));
            cg->indent -= 2;
            emit("    }");
        }
    }
    return iter_value_of(vt, r, e->span);
}

char *set_method(Expr *e, MethodRes *mr, char *p, char **a)
{
    Type *m = mr->self_ty;
    need_type(m);
    switch (mr->bm) {
    case BM_SET_LEN:
        return member(p, "len");
    case BM_SET_IS_EMPTY:
        return xprintf("(%s == 0)", member(p, "len"));
    case BM_SET_INSERT: { /* true when it was not there (else the new value is dropped, the old kept) */
        Type *vt = ty_unit();
        Type *ov = ty_adt(cg->prog->option, &vt, 1);
        return hoist(ty_prim(TY_BOOL), xprintf("%s(%s, %s, (MrsUnit){0}).tag == %s_None", insert_fn(m), addr_text(p), a[0], mangle(ov)),
                     "added");
    }
    case BM_SET_CONTAINS:
    case BM_SET_REMOVE: {
        char *i = found_entry(m, e, p, a[0]);
        if (mr->bm == BM_SET_CONTAINS)
            return xprintf("(%s >= 0)", i);
        emit("if (%s >= 0)", i);
        emit("    (void)%s(%s, (size_t)%s);", remove_at_fn(m), addr_text(p), i);
        return xprintf("(%s >= 0)", i);
    }
    case BM_SET_CLEAR:
        clear_entries(m, p);
        return NULL;
    case BM_SET_RETAIN:
        retain_entries(m, e, p, a);
        return NULL;
    case BM_SET_UNION: case BM_SET_INTERSECTION: case BM_SET_DIFFERENCE: case BM_SET_SYMMETRIC_DIFFERENCE:
    case BM_SET_IS_SUBSET: case BM_SET_IS_SUPERSET: case BM_SET_IS_DISJOINT:
        return set_op(e, mr, p, a[0]);
    default:
        return NULL;
    }
}

/* M_bound(m, key, after): the number of the first entry of sorted map m whose key is not
 * below key (after: above it). */
static const char *bound_fn(Type *m)
{
    const char *name = xprintf("%s_bound", mangle(m));
    if (helper_done(name))
        return name;
    need_type(m);
    Saved sv;
    StrBuf *b = begin_helper(xprintf("size_t %s(const %s *m, %skey, bool after)", name, ctype(m),
                                     pointer_to(ctype(key_of(m)), true)),
                             &sv);
    emit("size_t lo = 0, hi = m->len;");
    emit("while (lo < hi) {");
    cg->indent++;
    emit("size_t mid = lo + (hi - lo) / 2;");
    emit("int c = %s;", cmp_places(key_of(m), "m->entries[mid].key", "(*key)"));
    emit("if (c < 0 || (after && c == 0))");
    emit("    lo = mid + 1;");
    emit("else");
    emit("    hi = mid;");
    cg->indent--;
    emit("}");
    emit("return lo;");
    end_helper(b, &sv);
    return name;
}

/* BTreeMap's first_key_value, last_key_value, pop_first, pop_last, range(a..b). */
char *btree_method(Expr *e, MethodRes *mr, const char *p)
{
    Type *m = mr->self_ty, *t = e->ty;
    char *len = member(p, "len"), *en = member(p, "entries");
    switch (mr->bm) {
    case BM_BTREE_FIRST_KEY_VALUE:
    case BM_BTREE_LAST_KEY_VALUE: {
        char *i = mr->bm == BM_BTREE_FIRST_KEY_VALUE ? "0" : xprintf("%s - 1", len);
        Type *pair = t->args[0];
        return xprintf("(%s ? %s : %s)", len, some(t, xprintf("(%s){&%s[%s].key, &%s[%s].value}", ctype(pair), en, i, en, i)),
                       none(t));
    }
    case BM_BTREE_POP_FIRST:
    case BM_BTREE_POP_LAST: {
        char *r = fresh("popped");
        emit("%s = %s;", decl(t, r), none(t));
        emit("if (%s) {", len);
        cg->indent++;
        bool first = mr->bm == BM_BTREE_POP_FIRST;
        emit("%s e = %s[%s];", map_entry_c(m), en, first ? "0" : xprintf("%s - 1", len));
        if (first)
            emit("memmove(&%s[0], &%s[1], (%s - 1) * sizeof *%s);", en, en, len, en);
        emit("%s--;", len);
        emit("%s = %s;", r, some(t, xprintf("(%s){e.key, e.value}", ctype(t->args[0]))));
        cg->indent--;
        emit("}");
        return r;
    }
    default: { /* range: the entries from the first key not below the start to the first one past the end */
        Expr *r = unparen(e->args.items[0]);
        char *lo = "0", *hi = len;
        char *from = r->lhs ? hoist(key_of(m), cg_expr(r->lhs), "from") : NULL;
        char *to = r->rhs ? hoist(key_of(m), cg_expr(r->rhs), "to") : NULL;
        if (from && to) /* std checks the bounds first, in alloc (not at the caller) */
            emit("if (%s > 0) mrs_panic_cstr(MRS_LOC(MRS_RUSTC_SRC \"alloc/src/collections/btree/search.rs\", 121, 21), "
                 "\"range start is greater than range end in BTreeMap\");",
                 cmp_places(key_of(m), from, to));
        if (from)
            lo = hoist(ty_prim(TY_USIZE), xprintf("%s(%s, &%s, false)", bound_fn(m), addr_text(p), from), "lo");
        if (to)
            hi = hoist(ty_prim(TY_USIZE), xprintf("%s(%s, &%s, %s)", bound_fn(m), addr_text(p), to, r->inclusive ? "true" : "false"),
                       "hi");
        for (int k = 0; k < 2 && has_drop(key_of(m)); k++) { /* owned bounds (`"c".to_string()..`): found, then dropped */
            Expr *bound = k ? r->rhs : r->lhs;
            if (bound && bound->ty && ty_resolve(bound->ty)->kind != TY_REF)
                emit_drop_place(key_of(m), k ? to : from);
        }
        need_type(t);
        return xprintf("(%s){%s, %s, %s}", ctype(t), en, lo, hi);
    }
    }
}

/* `m[&k]` on map m at place p: the place of k's value; std panics when it is not there. */
char *map_index(Type *m, Expr *key, const char *p, Span at)
{
    char *k, *h;
    lookup_key(m, key, cg_expr(key), &k, &h);
    char *i = hoist(ty_prim(TY_ISIZE), xprintf("%s(%s, %s, %s)", find_fn(m), addr_text(p), k, h), "found");
    emit("if (%s < 0)", i);
    emit("    mrs_panic_cstr(%s, \"no entry found for key\");", loc(at));
    return xprintf("%s[%s].value", member(p, "entries"), i);
}

/* One item of `collect()` into map or set m at acc: inserted, a later key's value
 * replacing an earlier one's (which is dropped), as FromIterator does. */
void map_collect_item(Type *m, const char *acc, const char *item)
{
    Type *vt = val_of(m);
    Type *ov = ty_adt(cg->prog->option, &vt, 1);
    char *old = fresh("old");
    if (ty_is_set(m))
        emit("%s = %s(&%s, %s, (MrsUnit){0});", decl(ov, old), insert_fn(m), acc, item);
    else
        emit("%s = %s(&%s, %s._0, %s._1);", decl(ov, old), insert_fn(m), acc, item, item);
    if (has_drop(ov))
        emit_drop_place(ov, old);
    else
        emit("(void)%s;", old);
}

/* map.extend(pairs), set.extend(items): each inserted in turn, as collect does (a Copy
 * item behind a reference copied out). */
typedef struct MapExtend {
    Type *m;
    const char *place;
    bool by_ref;
} MapExtend;

static void map_extend_item(const char *item, void *ctx)
{
    MapExtend *x = ctx;
    map_collect_item(x->m, x->place, x->by_ref ? deref_text(item) : item);
}

void map_extend(Expr *e, MethodRes *mr, const char *p)
{
    Type *item = mr->aux;
    Type *want = ty_is_set(mr->self_ty) ? mr->self_ty->args[0] : ty_tuple(mr->self_ty->args, 2);
    MapExtend x = {mr->self_ty, p, item->kind == TY_REF && want->kind != TY_REF};
    iter_consume(e->args.items[0], item, map_extend_item, &x);
}

/* The C of an Entry's methods; p is the Entry (taken by value). */
char *entry_method(Expr *e, MethodRes *mr, char *p, char **a)
{
    Type *et = mr->self_ty;
    Type *m = entry_map(et);
    char *ent = hoist(et, p, "entry");
    switch (mr->bm) {
    case BM_ENTRY_OR_INSERT:
    case BM_ENTRY_OR_INSERT_WITH:
    case BM_ENTRY_OR_DEFAULT: {
        char *v = mr->bm == BM_ENTRY_OR_INSERT ? droppable_arg(val_of(m), a[0]) : NULL;
        char *slot = fresh("slot");
        emit("%s;", decl(ty_ref(val_of(m), true), slot));
        emit("if (%s.index >= 0) {", ent);
        cg->indent++;
        if (v && has_drop(val_of(m)))
            emit_drop_place(val_of(m), v);
        emit("%s = &%s.map->entries[%s.index].value;", slot, ent, ent);
        cg->indent--;
        emit("} else {");
        cg->indent++;
        char *nv = v;
        if (mr->bm == BM_ENTRY_OR_INSERT_WITH) {
            Expr *fe = e->args.items[0];
            nv = call_callable(fe->ty, callable_value(fe, a[0]), "");
        } else if (mr->bm == BM_ENTRY_OR_DEFAULT) {
            nv = default_expr(val_of(m));
        }
        emit("%s = %s(%s.map, %s.hash, %s.key, %s);", slot, push_fn(m), ent, ent, ent, nv);
        cg->indent--;
        emit("}");
        return slot;
    }
    case BM_ENTRY_AND_MODIFY: {
        Expr *fe = e->args.items[0];
        char *fv = callable_value(fe, a[0]);
        emit("if (%s.index >= 0)", ent);
        emit("    %s;", call_callable(fe->ty, fv, xprintf("&%s.map->entries[%s.index].value", ent, ent)));
        return ent;
    }
    default:
        return NULL;
    }
}

/* The structs of a HashMap type and of its Entry. */
void map_struct(StrBuf *sb, Type *t, const char *name)
{
    if (ty_is_entry(t)) {
        Type *m = entry_map(t);
        need_type(m);
        sb_printf(sb, "/* %s: the map, the entry that has the key (or -1: then the key and its hash,\n"
                      " * for the entry it will get) */\ntypedef struct %s {\n    %s *map;\n    ptrdiff_t index;\n"
                      "    uint64_t hash;\n    %s;\n} %s;\n\n",
                  ty_str(t), name, ctype(m), decl(key_of(t), "key"), name);
        return;
    }
    need_type(val_of(t));
    const char *en = map_entry_c(t);
    bool sorted = ty_is_sorted_map(t);
    if (ty_is_set(t)) { /* a map to () */
        if (!helper_done(xprintf("typedef %s", en)))
            sb_printf(sb, "/* an element of %s: its hash first (the index reads it), the element */\n"
                          "typedef struct %s {\n    uint64_t hash;\n    %s;\n    MrsUnit value; /* (laid out as a map to ()) */\n} %s;\n\n",
                      ty_str(t), en, decl(key_of(t), "key"), en);
        if (sorted) {
            sb_printf(sb, "/* %s: its elements in order (found by binary search; the index stays empty) */\n"
                          "typedef struct %s {\n    %s *entries;\n    size_t len;\n    size_t cap;\n    MrsMapIndex index;\n} %s;\n\n",
                      ty_str(t), name, en, name);
            return;
        }
        sb_printf(sb, "/* %s: its elements in the order they were inserted, and an index of them by hash\n"
                      " * (runtime/map.c) */\ntypedef struct %s {\n    %s *entries;\n    size_t len;\n    size_t cap;\n"
                      "    MrsMapIndex index;\n} %s;\n\n",
                  ty_str(t), name, en, name);
        return;
    }
    if (!helper_done(xprintf("typedef %s", en)))
        sb_printf(sb, "/* an entry of %s: its key's hash first (the index reads it), the key, the value */\n"
                      "typedef struct %s {\n    uint64_t hash;\n    %s;\n    %s;\n} %s;\n\n",
                  ty_str(t), en, decl(key_of(t), "key"), decl(val_of(t), "value"), en);
    if (sorted) {
        sb_printf(sb, "/* %s: its entries in key order (found by binary search; the index stays empty) */\n"
                      "typedef struct %s {\n    %s *entries;\n    size_t len;\n    size_t cap;\n    MrsMapIndex index;\n} %s;\n\n",
                  ty_str(t), name, en, name);
        return;
    }
    sb_printf(sb, "/* %s: its entries in the order they were inserted (a removal moves the last\n"
                  " * into the hole), and an index of them by hash (runtime/map.c) */\n"
                  "typedef struct %s {\n    %s *entries;\n    size_t len;\n    size_t cap;\n    MrsMapIndex index;\n} %s;\n\n",
              ty_str(t), name, en, name);
}

/* explain.c — `mrsc --explain CODE`: a short account of each error code
 * mrsc reports, in mrsc's own words (rustc's longer texts: `rustc --explain`). */
#include "explain.h"

#include <stdio.h>
#include <string.h>

typedef struct Explanation {
    const char *code;
    const char *text;
} Explanation;

static const Explanation table[] = {
    {"E0004", "A `match` does not cover every possible value of its scrutinee. Add arms for the missing\n"
              "patterns (the message names one), or a wildcard arm `_ => ...`."},
    {"E0005", "A `let` (or `for`) pattern must match every value, but this one is refutable, e.g.\n"
              "`let Some(x) = opt;`. Use `if let`, `let ... else`, or `match` instead."},
    {"E0023", "A tuple-struct or tuple-variant pattern has a different number of fields than the\n"
              "variant it names. Use `..` to skip fields you do not need."},
    {"E0026", "A struct pattern names a field that the struct or variant does not have."},
    {"E0027", "A struct pattern must mention every field, or end with `..` to ignore the rest."},
    {"E0038", "A trait is used as `dyn Trait` but is not object safe: one of its methods is generic,\n"
              "returns `Self`, or takes no `self`, so it cannot be called through a vtable."},
    {"E0040", "A `Drop::drop` method was called explicitly. Values are dropped by the compiler; to drop one\n"
              "early, call `drop(x)` (std::mem::drop), which moves it."},
    {"E0046", "A trait impl leaves out items that the trait declares without a default."},
    {"E0053", "A method in a trait impl has a signature different from the trait's declaration."},
    {"E0061", "A function or method was called with the wrong number of arguments."},
    {"E0062", "A struct literal gives the same field twice."},
    {"E0063", "A struct literal leaves fields out. Give them, or fill them from another value with `..base`."},
    {"E0070", "The left-hand side of `=` must be a place (a variable, field, index or `*ptr`)."},
    {"E0072", "A struct or enum holds a value of its own type directly (perhaps through an `Option`, a tuple\n"
              "or another struct), so a value of it would need to contain itself: it has no finite size.\n"
              "Put the inner one behind a pointer: `Option<Box<Node>>`, `Cons(i32, Box<List>)`."},
    {"E0106", "A reference type has no lifetime and elision cannot supply one: in a struct or enum\n"
              "field, or in a return type when the parameters hold no reference or several. Name it:\n"
              "`struct Holder<'a> { name: &'a str }`, `fn longest<'a>(a: &'a str, b: &'a str) -> &'a str`."},
    {"E0107", "A type was given the wrong number of generic arguments (`Vec<i32, i32>`)."},
    {"E0109", "Type arguments were given to a type that takes none (`i32<u8>`)."},
    {"E0116", "Inherent `impl` blocks may only be written for types defined in this crate."},
    {"E0117", "A trait from outside the crate (here std) was implemented for a type from outside the\n"
              "crate. One of the two must be local: wrap the type in a local struct."},
    {"E0119", "Two impls of the same trait apply to the same type."},
    {"E0184", "`Copy` was derived or implemented for a type that has a destructor (`impl Drop`)."},
    {"E0268", "`break` or `continue` is only allowed inside a loop (or, for `break`, a labelled block)."},
    {"E0277", "A type lacks a trait that the operation needs: it cannot be printed with `{}` without\n"
              "`Display`, indexed by a non-`usize`, used with `?` outside a function returning\n"
              "`Option`/`Result`, or copied when it is not `Copy`."},
    {"E0282", "The type of a value cannot be inferred. Add a type annotation, e.g. `let v: Vec<i32> = ...`."},
    {"E0283", "The result type of a generic method such as `sum` or `collect` cannot be inferred.\n"
              "Annotate the binding or use a turbofish: `.sum::<i32>()`."},
    {"E0284", "`parse` needs to know its target type: `let n: i32 = s.parse().unwrap();` or `s.parse::<i32>()`."},
    {"E0308", "The types do not match: a value of one type was used where another is expected\n"
              "(a `let` annotation, an argument, a return value, `if`/`match` branches). Rust does\n"
              "not convert numbers implicitly; use `as` to convert."},
    {"E0317", "An `if` without `else` has type `()`, so its block cannot produce another value. Add an `else`."},
    {"E0368", "A compound assignment (`+=`, `-=`, ...) was used on a type that does not support it."},
    {"E0369", "A binary operator was applied to a type that does not support it, e.g. `==` on a\n"
              "struct without `#[derive(PartialEq)]`, or `+` on two structs."},
    {"E0373", "A closure that borrows a local of its function is returned (or boxed and returned),\n"
              "so it would outlive what it borrows. Write `move |..|` so that it owns what it captures."},
    {"E0381", "A variable is read before it surely holds a value: it was declared with `let x;` and some\n"
              "path to this use does not assign it."},
    {"E0382", "A value was used after it was moved. A type that is not `Copy` moves on assignment,\n"
              "when passed by value and when returned; the old name is then unusable. Borrow it\n"
              "(`&x`), clone it, or restructure so that the move comes last."},
    {"E0384", "An immutable variable was assigned twice. Declare it `let mut` if it must change."},
    {"E0405", "The name does not refer to any trait in scope."},
    {"E0407", "A trait impl defines a method that the trait does not declare."},
    {"E0408", "Every alternative of an or-pattern (`A(x) | B(x)`) must bind the same names."},
    {"E0411", "`Self` was used outside an `impl` or `trait`."},
    {"E0412", "The type name is not defined or imported."},
    {"E0422", "A struct literal names a struct or variant that does not exist."},
    {"E0425", "The name does not refer to any variable, function or constant in scope."},
    {"E0426", "`break 'label` or `continue 'label` names a label that no enclosing loop has."},
    {"E0428", "Two items in the same scope have the same name."},
    {"E0433", "A path could not be resolved: its first segment names no type or module."},
    {"E0499", "A value was borrowed mutably (`&mut`) while another mutable borrow of it is still used\n"
              "later. A `&mut` is exclusive: end the first borrow's last use before making the second,\n"
              "or borrow disjoint fields (`&mut p.x`, `&mut p.y`). `mrsc --explain-borrows` shows where\n"
              "each borrow is live."},
    {"E0501", "A closure that mutates through a `&mut` reference (`|x| buf.push(x)` with `buf: &mut Vec`)\n"
              "borrows what it points to uniquely while the closure lives; the reference cannot be used\n"
              "again until the closure's last call. Call the closure first, or use the reference inside it."},
    {"E0502", "A value was borrowed mutably while a shared borrow of it is still used later, or shared\n"
              "while a mutable one is. Move the later use of the first borrow before the second borrow\n"
              "(a borrow ends at its last use), or copy out what you need (`let n = v.len();`)."},
    {"E0503", "A value was read while a mutable borrow of it is still used later (`x += 1` after\n"
              "`let r = &mut x;`, then `*r`). Read it through the borrow, or after the borrow's last use."},
    {"E0505", "A value was moved while a borrow of it is still used later; the borrow would point at\n"
              "moved-out storage. Use the borrow first, or move a clone."},
    {"E0506", "A value was assigned while a borrow of it is still used later; the borrow would see the\n"
              "value change under it. Assign after the borrow's last use."},
    {"E0507", "A value that is not `Copy` was moved out of something borrowed (`*r`, a field behind\n"
              "`&self`) or out of a `Vec` index. Borrow it instead, clone it, or use\n"
              "`std::mem::take`/`replace`."},
    {"E0508", "A value that is not `Copy` was moved out of an array by indexing. Borrow the element, or\n"
              "clone it."},
    {"E0509", "A field was moved out of a value whose type implements `Drop`: its `drop` needs the value\n"
              "whole. Borrow the field, clone it, or use `std::mem::take`/`replace` on it."},
    {"E0515", "A function returns a reference (or a value holding one) to a local variable, a by-value\n"
              "parameter or a temporary, all of which are dropped when it returns. Return the owned\n"
              "value instead (`String` rather than `&str`, `Vec<T>` rather than `&[T]`)."},
    {"E0521", "A reference parameter's borrow (its lifetime only the caller's call) is stored where a\n"
              "`'static` reference is required: passed to a `&'static` parameter, or pushed into a field\n"
              "declared `Vec<&'static str>`. Take an owned value (`String`), or name the lifetime so the\n"
              "storage is tied to it (`struct Registry<'a> { names: Vec<&'a str> }`)."},
    {"E0525", "A closure was passed where an `Fn` (or `FnMut`) closure is required, but its body moves a\n"
              "captured value out (FnOnce) or mutates one (FnMut). `--explain-captures` shows which."},
    {"E0529", "A slice pattern `[a, b]` was used on a value that is not an array or slice."},
    {"E0531", "The pattern names a tuple struct or variant that does not exist."},
    {"E0532", "The pattern's shape does not fit the item it names (e.g. `Unit(x)` for a unit variant)."},
    {"E0533", "A struct variant was used as a value; build it with `Name { field: ... }`."},
    {"E0559", "An enum variant's literal names a field the variant does not have."},
    {"E0560", "A struct literal names a field the struct does not have."},
    {"E0571", "`break` with a value is only allowed in `loop` (and labelled blocks), not `while`/`for`."},
    {"E0574", "A struct pattern or literal names something that is not a struct, variant or union\n"
              "(a local variable, a function)."},
    {"E0592", "Two methods or associated functions of the same type have the same name."},
    {"E0593", "A closure takes a different number of parameters than the `Fn` signature it must have."},
    {"E0594", "An assignment goes through something immutable: a binding not declared `mut`, or a\n"
              "`&` reference. Make the binding `mut`, or take a `&mut` reference."},
    {"E0596", "A mutable borrow (explicit `&mut`, or a method taking `&mut self` like `push`) of\n"
              "something immutable. Declare the binding `mut`."},
    {"E0597", "A borrow is still used after the value it borrows goes out of scope (\"dropped here while\n"
              "still borrowed\"). Declare the value in an outer scope, so it lives as long as the\n"
              "reference, or keep an owned copy instead of the reference."},
    {"E0599", "The type has no method (or associated function) with this name."},
    {"E0600", "A unary operator was applied to a type that does not support it (`-` on an unsigned integer)."},
    {"E0601", "The program has no `fn main`."},
    {"E0604", "Only `u8` can be cast to `char` with `as`."},
    {"E0605", "This `as` cast is not between primitive types that `as` can convert."},
    {"E0608", "The value cannot be indexed with `[]`."},
    {"E0609", "The struct has no field with this name."},
    {"E0610", "A primitive type has no fields."},
    {"E0614", "Only references and pointers can be dereferenced with `*`."},
    {"E0618", "Something that is not a function was called."},
    {"E0689", "A method was called on a numeric literal whose type is not yet known (`2.pow(3)`).\n"
              "Give the literal a suffix (`2_i32`) or the binding a type."},
    {"E0713", "A function returns a `&mut` reborrowed through a value it owns whose type implements\n"
              "`Drop`: that value's destructor runs when the function returns and needs the same `&mut`.\n"
              "Return the reference before wrapping it, or take the guard by `&mut`."},
    {"E0716", "A borrow of a temporary (the value of an expression like `String::from(\"x\")`, made for\n"
              "one statement) is used after the statement ends and the temporary is dropped. Bind the\n"
              "value to a variable with `let` first, then borrow the variable."},
    {"E0748", "A raw string `r#\"...\"#` is missing its closing quote and hashes."},
    {"E0758", "A block comment `/* ... */` is not closed before the end of the file."},
    {"E0762", "A character literal is missing its closing `'`."},
    {"E0765", "A string literal is missing its closing `\"`."},
    {"E0790", "`Default::default()` needs to know which type's default is meant; annotate the binding."},
    {NULL, NULL},
};

int explain_code(const char *code)
{
    for (int i = 0; table[i].code; i++)
        if (strcmp(table[i].code, code) == 0) {
            printf("%s: %s\n", table[i].code, table[i].text);
            return 0;
        }
    fprintf(stderr, "error: no explanation for `%s` (mrsc explains the codes it reports)\n", code);
    return 1;
}

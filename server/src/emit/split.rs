//! An optimised module cut in two, so that its halves' code is generated side by side: the
//! exports (the typed and generic entries and the initialiser: exported definitions, each a few
//! instructions around a call) and the kernel (every other definition).
//!
//! LLVM's code generator costs about a millisecond per function at -O3 whatever its size, and
//! the exports are three functions around one kernel. Generated on a second thread, with the
//! fast instruction selector (their code is a call and some copies; a call through the typed
//! entry measured the same, 4.3 ns, as with the -O3 code generator), they no longer add to a
//! cold compile's time. The cut comes after the whole module is optimised, so that the entries
//! keep what interprocedural optimisation gives them (the kernel's arguments promoted, error
//! paths it cannot take removed): cut before, a call cost 1.9 ns more.
//!
//! Both halves start from the same module. The kernel's half drops the exports and makes what
//! they call visible to the other object (global, hidden: never exported from the shared
//! object); the exports' half keeps the exports and turns everything else into declarations.
//! The linker joins the two objects.

use std::collections::HashSet;

use inkwell::llvm_sys::core::{
    LLVMDeleteBasicBlock, LLVMDeleteFunction, LLVMDeleteGlobal, LLVMGetFirstBasicBlock, LLVMGetFirstFunction,
    LLVMGetFirstGlobal, LLVMGetFirstInstruction, LLVMGetFirstUse, LLVMGetLastInstruction, LLVMGetLinkage,
    LLVMGetNextBasicBlock, LLVMGetNextFunction, LLVMGetNextGlobal, LLVMGetNextInstruction, LLVMGetNumOperands,
    LLVMGetOperand, LLVMGetPoison, LLVMGetTypeKind, LLVMGetValueName2, LLVMGetVisibility, LLVMGlobalClearMetadata,
    LLVMHasPersonalityFn, LLVMInstructionEraseFromParent, LLVMIsAConstant, LLVMIsAGlobalAlias, LLVMIsAGlobalIFunc,
    LLVMIsAGlobalValue, LLVMIsDeclaration, LLVMReplaceAllUsesWith, LLVMSetInitializer, LLVMSetLinkage,
    LLVMSetVisibility, LLVMTypeOf,
};
use inkwell::llvm_sys::prelude::LLVMValueRef;
use inkwell::llvm_sys::{LLVMLinkage, LLVMTypeKind, LLVMVisibility};
use inkwell::module::Module;

/// Which part of the module a copy keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Half {
    Kernel,
    Exports,
}

/// What a module's split looks like: the exported definitions, and the definitions their code
/// refers to (which the two halves must share by name).
struct Plan {
    exports: Vec<LLVMValueRef>,
    shared: HashSet<LLVMValueRef>,
}

/// A list LLVM links through first/next accessors.
///
/// # Safety
/// `first` is the list's head (or null) and `next` the accessor of that list.
unsafe fn walk(first: LLVMValueRef, next: unsafe extern "C" fn(LLVMValueRef) -> LLVMValueRef) -> Vec<LLVMValueRef> {
    let mut out = Vec::new();
    let mut item = first;
    while !item.is_null() {
        out.push(item);
        item = next(item);
    }
    out
}

fn functions(module: &Module) -> Vec<LLVMValueRef> {
    // SAFETY: the function list of a live module.
    unsafe { walk(LLVMGetFirstFunction(module.as_mut_ptr()), LLVMGetNextFunction) }
}

fn global_variables(module: &Module) -> Vec<LLVMValueRef> {
    // SAFETY: the global variable list of a live module.
    unsafe { walk(LLVMGetFirstGlobal(module.as_mut_ptr()), LLVMGetNextGlobal) }
}

fn instructions(function: LLVMValueRef) -> Vec<LLVMValueRef> {
    let mut out = Vec::new();
    // SAFETY: walking the blocks and instructions of a live function.
    unsafe {
        let mut block = LLVMGetFirstBasicBlock(function);
        while !block.is_null() {
            let mut inst = LLVMGetFirstInstruction(block);
            while !inst.is_null() {
                out.push(inst);
                inst = LLVMGetNextInstruction(inst);
            }
            block = LLVMGetNextBasicBlock(block);
        }
    }
    out
}

/// # Safety
/// `value` is a live global value.
unsafe fn is_definition(value: LLVMValueRef) -> bool {
    LLVMIsDeclaration(value) == 0
}

/// # Safety
/// `value` is a live global value.
unsafe fn has_name(value: LLVMValueRef) -> bool {
    let mut len = 0usize;
    LLVMGetValueName2(value, &mut len);
    len > 0
}

/// The globals `value` names, through constant expressions.
///
/// # Safety
/// `value` is a live value of the module.
unsafe fn collect_globals(value: LLVMValueRef, seen: &mut HashSet<LLVMValueRef>, out: &mut HashSet<LLVMValueRef>) {
    if !LLVMIsAGlobalValue(value).is_null() {
        out.insert(value);
        return;
    }
    if LLVMIsAConstant(value).is_null() || !seen.insert(value) {
        return;
    }
    for i in 0..LLVMGetNumOperands(value).max(0) as u32 {
        collect_globals(LLVMGetOperand(value, i), seen, out);
    }
}

/// The split of `module`, or None when it has no two halves or the halves could not share what
/// they need (an export calling another's kernel by its exported name, an alias, ...).
fn plan(module: &Module) -> Option<Plan> {
    let all = functions(module);
    // SAFETY: every value below belongs to `module`, which outlives this function.
    unsafe {
        let exported = |f: LLVMValueRef| {
            is_definition(f)
                && LLVMGetLinkage(f) == LLVMLinkage::LLVMExternalLinkage
                && LLVMGetVisibility(f) == LLVMVisibility::LLVMDefaultVisibility
        };
        let exports: Vec<LLVMValueRef> = all.iter().copied().filter(|&f| exported(f)).collect();
        let kernel_definitions = all.iter().filter(|&&f| is_definition(f) && !exported(f)).count();
        if exports.is_empty() || kernel_definitions == 0 {
            return None;
        }
        // The kernel half deletes the exports: nothing may use them.
        if exports.iter().any(|&f| !LLVMGetFirstUse(f).is_null()) {
            return None;
        }
        let mut seen = HashSet::new();
        let mut named = HashSet::new();
        for &f in &exports {
            for inst in instructions(f) {
                for i in 0..LLVMGetNumOperands(inst).max(0) as u32 {
                    collect_globals(LLVMGetOperand(inst, i), &mut seen, &mut named);
                }
            }
        }
        let mut shared = HashSet::new();
        for g in named {
            if exports.contains(&g) || !is_definition(g) {
                continue;
            }
            if !LLVMIsAGlobalAlias(g).is_null() || !LLVMIsAGlobalIFunc(g).is_null() || !has_name(g) {
                return None;
            }
            // An exported definition reached from the exports would be referenced PC-relative
            // from the other object, which `ld` refuses for a preemptible symbol.
            if !matches!(
                LLVMGetLinkage(g),
                LLVMLinkage::LLVMInternalLinkage | LLVMLinkage::LLVMPrivateLinkage
            ) {
                return None;
            }
            shared.insert(g);
        }
        Some(Plan { exports, shared })
    }
}

/// Whether `module` has two halves to generate apart.
pub fn splittable(module: &Module) -> bool {
    plan(module).is_some()
}

/// Makes a definition a declaration (what `Function::deleteBody` does in C++, which the C API
/// lacks): every instruction's uses go first, so that no block is deleted while a branch or a
/// value still refers to it.
///
/// # Safety
/// `function` is a live function definition with no users inside its own body that outlive it.
unsafe fn drop_body(function: LLVMValueRef) {
    let body = instructions(function);
    for &inst in &body {
        let ty = LLVMTypeOf(inst);
        if LLVMGetTypeKind(ty) != LLVMTypeKind::LLVMVoidTypeKind {
            LLVMReplaceAllUsesWith(inst, LLVMGetPoison(ty));
        }
    }
    let mut block = LLVMGetFirstBasicBlock(function);
    while !block.is_null() {
        let mut inst = LLVMGetLastInstruction(block);
        while !inst.is_null() {
            LLVMInstructionEraseFromParent(inst);
            inst = LLVMGetLastInstruction(block);
        }
        block = LLVMGetNextBasicBlock(block);
    }
    let mut block = LLVMGetFirstBasicBlock(function);
    while !block.is_null() {
        LLVMDeleteBasicBlock(block);
        block = LLVMGetFirstBasicBlock(function);
    }
    if LLVMHasPersonalityFn(function) != 0 {
        inkwell::llvm_sys::core::LLVMSetPersonalityFn(function, std::ptr::null_mut());
    }
    LLVMGlobalClearMetadata(function);
}

/// # Safety
/// `value` is a live global value with a name.
unsafe fn share(value: LLVMValueRef) {
    LLVMSetLinkage(value, LLVMLinkage::LLVMExternalLinkage);
    LLVMSetVisibility(value, LLVMVisibility::LLVMHiddenVisibility);
}

/// Cuts `module` down to `half`. False (and the module untouched) when it does not split.
pub fn keep(module: &Module, half: Half) -> bool {
    let Some(plan) = plan(module) else {
        return false;
    };
    // SAFETY: every value belongs to `module`; a value is deleted only once nothing uses it.
    unsafe {
        match half {
            Half::Kernel => {
                for &g in &plan.shared {
                    share(g);
                }
                for &f in &plan.exports {
                    LLVMDeleteFunction(f);
                }
            }
            Half::Exports => {
                let others: Vec<LLVMValueRef> = functions(module)
                    .into_iter()
                    .filter(|f| !plan.exports.contains(f) && is_definition(*f))
                    .collect();
                for &f in &others {
                    drop_body(f);
                }
                let variables: Vec<LLVMValueRef> = global_variables(module)
                    .into_iter()
                    .filter(|&g| is_definition(g))
                    .collect();
                for &g in &variables {
                    LLVMSetInitializer(g, std::ptr::null_mut());
                }
                for g in others.into_iter().chain(variables) {
                    if plan.shared.contains(&g) || !LLVMGetFirstUse(g).is_null() {
                        // A declaration must not be local. (Only what the exports use is left
                        // with uses; anything else would stay undefined, and the link refuse it.)
                        share(g);
                    } else if inkwell::llvm_sys::core::LLVMIsAFunction(g).is_null() {
                        LLVMDeleteGlobal(g);
                    } else {
                        LLVMDeleteFunction(g);
                    }
                }
            }
        }
    }
    true
}

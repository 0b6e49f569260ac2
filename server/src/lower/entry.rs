//! The exported entries (typed and generic) and the module initialiser that receives the host's
//! function table.

use std::fmt::Write as _;

use super::*;

impl<'p> Lowerer<'p> {
    /// The exported entries.
    pub(super) fn entries(&mut self, f: &Function) -> String {
        let syms = entry_symbols(&f.name);
        let internal = llvm_name(&f.symbol);
        // A recursive kernel takes the stack floor after its arguments.
        let entry_id = self.program.functions.iter().position(|g| std::ptr::eq(g, f));
        let floor = entry_id.is_some_and(|i| self.recursive_fn(i));
        if floor {
            self.declare_stack_floor();
        }
        let floor_call = |out: &mut String, call_args: &mut Vec<String>| {
            if floor {
                let _ = writeln!(out, "  %floor.arg = call i64 @kc.stack.floor()");
                call_args.push("i64 %floor.arg".into());
            }
        };
        // Arrays and tuples come back as C structs (kc_array, or a struct of the items).
        let returns_struct = matches!(f.ret, Type::Array(_) | Type::Tuple(_));
        let rt = llvm_type(&f.ret);
        let slot_t = if rt == Ty::Void {
            "i8".to_string()
        } else if returns_struct {
            memory::storage_type(&f.ret)
        } else {
            rt.to_string()
        };
        let owner = kcache_abi::array_owner_offset();
        let size = memory::storage_size(&f.ret).0;
        self.declare("declare void @llvm.memcpy.p0.p0.i64(ptr noalias nocapture writeonly, ptr noalias nocapture readonly, i64, i1)".into());
        self.declare("declare void @llvm.memset.p0.i64(ptr nocapture writeonly, i8, i64, i1)".into());
        // The caller's arrays are copied into descriptors of the module's own, whose owner is
        // null: the caller owns that memory, whatever its struct's owner field holds.
        let own_copy = |out: &mut String, i: usize, src: &str| -> String {
            let _ = writeln!(
                out,
                "  %d{i} = alloca {ARRAY_TYPE}, align 8\n  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %d{i}, ptr align 8 {src}, i64 {owner}, i1 false)\n  %d{i}.o = getelementptr inbounds i8, ptr %d{i}, i64 {owner}\n  store ptr null, ptr %d{i}.o"
            );
            format!("ptr %d{i}")
        };
        // A tuple argument (by pointer, in both entries) is copied the same way, every array
        // inside it with a null owner.
        let own_tuple_copy = |out: &mut String, i: usize, src: &str, ty: &Type| -> String {
            let (size, _) = memory::storage_size(ty);
            let _ = writeln!(
                out,
                "  %d{i} = alloca {}, align 8\n  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %d{i}, ptr align 8 {src}, i64 {size}, i1 false)",
                memory::storage_type(ty)
            );
            memory::null_owners(out, &format!("%d{i}"), ty, &mut 0);
            format!("ptr %d{i}")
        };
        let mut out = String::new();
        let mut prologue =
            format!("entry:\n  %retslot = alloca {slot_t}, align 8\n  %exc = alloca ptr\n  store ptr null, ptr %exc\n");
        memory::null_owners(&mut prologue, "%retslot", &f.ret, &mut 0);
        let prologue = prologue.trim_end().to_string();

        // Typed entry: an array or tuple result is returned the C way for a large struct (sret).
        let mut params = Vec::new();
        if returns_struct {
            params.push(format!("ptr noalias sret({slot_t}) align 8 %out"));
        }
        let mut copies = String::new();
        let mut call_args = vec!["ptr %retslot".to_string(), "ptr %exc".to_string()];
        for (i, p) in f.params.iter().enumerate() {
            let ty = &f.vars[*p].ty;
            let attr = if ty == &Type::BOOL { " zeroext" } else { "" };
            if ty == &Type::Scalar(Scalar::C64) {
                // C passes a `float _Complex` as one `<2 x float>`.
                params.push(format!("<2 x float> %a{p}"));
                let _ = writeln!(
                    copies,
                    "  %c{p}.re = extractelement <2 x float> %a{p}, i32 0\n  %c{p}.im = extractelement <2 x float> %a{p}, i32 1\n  %c{p}.h = insertvalue {{ float, float }} poison, float %c{p}.re, 0\n  %c{p} = insertvalue {{ float, float }} %c{p}.h, float %c{p}.im, 1"
                );
                call_args.push(format!("{{ float, float }} %c{p}"));
                continue;
            }
            params.push(format!("{}{attr} %a{p}", llvm_type(ty)));
            if ty.array().is_some() {
                call_args.push(own_copy(&mut copies, i, &format!("%a{p}")));
            } else if ty.tuple().is_some() {
                call_args.push(own_tuple_copy(&mut copies, i, &format!("%a{p}"), ty));
            } else {
                call_args.push(format!("{} %a{p}", llvm_type(ty)));
            }
        }
        let ret_attr = if f.ret == Type::BOOL { "zeroext " } else { "" };
        let zero = match &f.ret {
            Type::Scalar(s) if s.is_complex() => "zeroinitializer".to_string(),
            Type::Scalar(s) if s.is_float() => "0.0".to_string(),
            Type::Scalar(Scalar::Bool) => "false".to_string(),
            Type::Scalar(_) => "0".to_string(),
            _ => String::new(),
        };
        let typed_rt = if returns_struct { Ty::Void } else { rt };
        // C returns a `float _Complex` as one `<2 x float>`.
        let c64_ret = f.ret == Type::Scalar(Scalar::C64);
        let typed_rt_text = if c64_ret {
            "<2 x float>".to_string()
        } else {
            typed_rt.to_string()
        };
        let _ = writeln!(
            out,
            "define dso_local {ret_attr}{typed_rt_text} {}({}) #0 {{",
            llvm_name(&syms.typed),
            params.join(", ")
        );
        let _ = writeln!(out, "{prologue}");
        out.push_str(&copies);
        floor_call(&mut out, &mut call_args);
        let _ = writeln!(out, "  %st = call i32 {internal}({})", call_args.join(", "));
        let _ = writeln!(
            out,
            "  %ok = icmp eq i32 %st, {MODULE_STATUS_OK}\n  br i1 %ok, label %good, label %bad"
        );
        if returns_struct {
            let _ = writeln!(
                out,
                "good:\n  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %out, ptr align 8 %retslot, i64 {size}, i1 false)\n  ret void"
            );
        } else if rt == Ty::Void {
            let _ = writeln!(out, "good:\n  ret void");
        } else if c64_ret {
            let _ = writeln!(
                out,
                "good:\n  %r = load <2 x float>, ptr %retslot\n  ret <2 x float> %r"
            );
        } else {
            let _ = writeln!(out, "good:\n  %r = load {rt}, ptr %retslot\n  ret {rt} %r");
        }
        let _ = writeln!(
            out,
            "bad:\n  %msg = load ptr, ptr %exc\n  %hook = load ptr, ptr {}\n  %has = icmp ne ptr %hook, null\n  br i1 %has, label %report, label %done",
            host_field("set_error").global()
        );
        let _ = writeln!(out, "report:\n  call void %hook(ptr %msg)\n  br label %done");
        if returns_struct {
            let _ = writeln!(
                out,
                "done:\n  call void @llvm.memset.p0.i64(ptr align 8 %out, i8 0, i64 {size}, i1 false)\n  ret void\n}}\n"
            );
        } else if rt == Ty::Void {
            let _ = writeln!(out, "done:\n  ret void\n}}\n");
        } else {
            let _ = writeln!(out, "done:\n  ret {typed_rt_text} {zero}\n}}\n");
        }

        // Generic entry: arguments through pointers, status returned. Optimised like the rest:
        // left to the fast instruction selector it would save about 0.6 ms of a cold compile
        // but cost every Python call 4-5 ns per array argument (a libc memcpy of each
        // descriptor), and a kernel is compiled once and called many times.
        let _ = writeln!(
            out,
            "define dso_local i32 {}(ptr nocapture readonly %args, ptr nocapture %retp, ptr nocapture %errp) #0 {{",
            llvm_name(&syms.generic)
        );
        let _ = writeln!(out, "{prologue}");
        let mut call_args = vec!["ptr %retslot".to_string(), "ptr %exc".to_string()];
        for (i, p) in f.params.iter().enumerate() {
            let ty = &f.vars[*p].ty;
            let _ = writeln!(
                out,
                "  %ap{i} = getelementptr inbounds ptr, ptr %args, i64 {i}\n  %pp{i} = load ptr, ptr %ap{i}"
            );
            match ty {
                Type::Array(_) => {
                    let mut copy = String::new();
                    call_args.push(own_copy(&mut copy, i, &format!("%pp{i}")));
                    out.push_str(&copy);
                }
                Type::Tuple(_) => {
                    let mut copy = String::new();
                    call_args.push(own_tuple_copy(&mut copy, i, &format!("%pp{i}"), ty));
                    out.push_str(&copy);
                }
                Type::Scalar(Scalar::Bool) => {
                    let _ = writeln!(out, "  %b{i} = load i8, ptr %pp{i}\n  %v{i} = icmp ne i8 %b{i}, 0");
                    call_args.push(format!("i1 %v{i}"));
                }
                other => {
                    let lt = llvm_type(other);
                    let _ = writeln!(out, "  %v{i} = load {lt}, ptr %pp{i}");
                    call_args.push(format!("{lt} %v{i}"));
                }
            }
        }
        floor_call(&mut out, &mut call_args);
        let _ = writeln!(out, "  %st = call i32 {internal}({})", call_args.join(", "));
        let _ = writeln!(
            out,
            "  %ok = icmp eq i32 %st, {MODULE_STATUS_OK}\n  br i1 %ok, label %good, label %bad"
        );
        let _ = writeln!(out, "good:");
        match &f.ret {
            Type::None => {}
            Type::Array(_) | Type::Tuple(_) => {
                let _ = writeln!(
                    out,
                    "  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %retp, ptr align 8 %retslot, i64 {size}, i1 false)"
                );
            }
            Type::Scalar(Scalar::Bool) => {
                let _ = writeln!(
                    out,
                    "  %r = load i1, ptr %retslot\n  %rb = zext i1 %r to i8\n  store i8 %rb, ptr %retp"
                );
            }
            other => {
                let lt = llvm_type(other);
                let _ = writeln!(out, "  %r = load {lt}, ptr %retslot\n  store {lt} %r, ptr %retp");
            }
        }
        let _ = writeln!(out, "  ret i32 {MODULE_STATUS_OK}");
        let _ = writeln!(
            out,
            "bad:\n  %msg = load ptr, ptr %exc\n  store ptr %msg, ptr %errp\n  ret i32 %st\n}}\n"
        );

        out
    }
}

/// The calling convention of the compiled entry, for the reply.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EntryAbi {
    pub typed_symbol: String,
    pub generic_symbol: String,
    pub signature: String,
    pub arg_types: Vec<String>,
    pub return_type: String,
    /// Array arguments the entry may write.
    #[serde(default)]
    pub written_args: Vec<u32>,
}

/// The entry ABI of a lowered program: symbols, types and the array arguments it writes.
pub fn entry_abi(program: &Program) -> EntryAbi {
    let f = &program.functions[program.entry];
    let syms = entry_symbols(&f.name);
    let arg_types: Vec<String> = f.params.iter().map(|p| f.vars[*p].ty.abi_name()).collect();
    let args: Vec<String> = f.params.iter().map(|p| f.vars[*p].ty.to_string()).collect();
    EntryAbi {
        typed_symbol: syms.typed,
        generic_symbol: syms.generic,
        // The result as the source typed it (an Optional, not the tuple it is kept as).
        signature: format!(
            "{}({})",
            program.entry_ret_abi.as_ref().unwrap_or(&f.ret),
            args.join(", ")
        ),
        arg_types,
        written_args: crate::passes::written::params(program, program.entry),
        return_type: match (&program.entry_ret_abi, &f.ret) {
            (Some(ty), _) => ty.abi_name(),
            (None, Type::None) => "none".into(),
            (None, ret) => ret.abi_name(),
        },
    }
}

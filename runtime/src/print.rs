//! `print()` inside kernels: each thread builds its line in a buffer of its own and writes it
//! to standard output in one `write` when the line ends, so lines from parallel regions do not
//! interleave. Numbers are formatted as Python's `str()` formats them (as Numba's `print`
//! does, through Python objects): shortest round-trip floats with Python's switch to exponent
//! notation, `True`/`False`, complex numbers in parentheses.

use std::cell::RefCell;
use std::ffi::{c_char, CStr};
use std::io::Write;

use kcache_abi::{PRINT_BOOL, PRINT_COMPLEX, PRINT_FLOAT, PRINT_INT, PRINT_UINT};

thread_local! {
    static LINE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// # Safety
/// `text` is null or a NUL-terminated string.
pub unsafe extern "C" fn host_print_text(text: *const c_char) {
    if text.is_null() {
        return;
    }
    // SAFETY: the caller's contract (generated code passes string constants).
    let text = unsafe { CStr::from_ptr(text) }.to_string_lossy();
    LINE.with(|l| l.borrow_mut().push_str(&text));
}

pub extern "C" fn host_print_number(kind: i32, integer: i64, re: f64, im: f64) {
    let text = number_text(kind, integer, re, im);
    LINE.with(|l| l.borrow_mut().push_str(&text));
}

/// Python's `str()` of a number given as `print_number`'s arguments.
pub fn number_text(kind: i32, integer: i64, re: f64, im: f64) -> String {
    match kind {
        PRINT_INT => integer.to_string(),
        PRINT_UINT => (integer as u64).to_string(),
        PRINT_BOOL => if integer != 0 { "True" } else { "False" }.to_string(),
        PRINT_FLOAT => float_repr(re),
        PRINT_COMPLEX => complex_repr(re, im),
        _ => "?".to_string(),
    }
}

/// # Safety
/// `end` is null or a NUL-terminated string.
pub unsafe extern "C" fn host_print_end(end: *const c_char) {
    // SAFETY: the caller's contract.
    unsafe { host_print_text(end) };
    let line = LINE.with(|l| std::mem::take(&mut *l.borrow_mut()));
    let mut out = std::io::stdout().lock();
    // A kernel cannot report a failed print; Python's print would raise, Numba's ignores it.
    let _ = out.write_all(line.as_bytes());
    let _ = out.flush();
}

/// Python's `repr(float)`: the shortest digits that round-trip, in fixed notation when the
/// decimal exponent is in [-4, 16), else as `d.ddde+XX`; integral values end in `.0`.
pub fn float_repr(x: f64) -> String {
    python_float(x, true)
}

/// Python's `repr(complex)`: `2j`, `(1+2j)`, `(1.5-0j)`, parts without a trailing `.0`.
pub fn complex_repr(re: f64, im: f64) -> String {
    let imag = python_float(im, false);
    if re == 0.0 && re.is_sign_positive() {
        return format!("{imag}j");
    }
    let sign = if im.is_sign_negative() && !im.is_nan() { "" } else { "+" };
    format!("({}{sign}{imag}j)", python_float(re, false))
}

fn python_float(x: f64, point_zero: bool) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "-1.2345e-7", "1e16", "0e0".
    let sci = format!("{x:e}");
    let (mantissa, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("an integer exponent");
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if !(-4..16).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{frac}e{esign}{:02}", exp.abs());
    }
    let text = if exp >= 0 {
        let point = exp as usize + 1;
        if digits.len() > point {
            format!("{}.{}", &digits[..point], &digits[point..])
        } else {
            let zeros = "0".repeat(point - digits.len());
            if point_zero {
                format!("{digits}{zeros}.0")
            } else {
                format!("{digits}{zeros}")
            }
        }
    } else {
        format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
    };
    format!("{sign}{text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_python_repr() {
        for (x, want) in [
            (0.1, "0.1"),
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (100000.0, "100000.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (123456789012345.6, "123456789012345.6"),
            (0.0001, "0.0001"),
            (0.00001234, "1.234e-05"),
            (1e-300, "1e-300"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            (0.1f32 as f64, "0.10000000149011612"),
            (f64::NAN, "nan"),
            (f64::NEG_INFINITY, "-inf"),
            (2.5, "2.5"),
            (1e15, "1000000000000000.0"),
        ] {
            assert_eq!(float_repr(x), want, "{x:e}");
        }
    }

    #[test]
    fn complex_numbers_print_as_python_repr() {
        assert_eq!(complex_repr(0.0, 2.0), "2j");
        assert_eq!(complex_repr(1.0, 2.0), "(1+2j)");
        assert_eq!(complex_repr(1.5, -0.0), "(1.5-0j)");
        assert_eq!(complex_repr(-0.0, 1.0), "(-0+1j)");
        assert_eq!(complex_repr(1.0, f64::INFINITY), "(1+infj)");
        assert_eq!(complex_repr(0.0, 1e20), "1e+20j");
    }
}

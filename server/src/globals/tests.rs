use super::*;

fn run(src: &str) -> ModuleNames {
    let map = SourceMap::new(src);
    let parsed = ruff_python_parser::parse_module(src).unwrap().into_syntax();
    execute(&parsed.body, &map)
}

fn value(m: &ModuleNames, name: &str) -> Frozen {
    *m.constants
        .get(name)
        .unwrap_or_else(|| panic!("{name}: {:?}", m.opaque.get(name)))
}

#[test]
fn statements_run_with_python_meaning() {
    let m = run("N = 1\nN += 10\nT = 0\nfor i in range(5):\n    T += i * i\nif N > 5:\n    K = 2\nelse:\n    K = 3\nX, Y = 1.5, 2\nwhile Y < 100:\n    Y *= 3\n");
    assert_eq!(value(&m, "N").value, ConstValue::Int(11));
    assert_eq!(value(&m, "T").value, ConstValue::Int(30));
    assert_eq!(value(&m, "K").value, ConstValue::Int(2));
    assert_eq!(value(&m, "X").value, ConstValue::Float(1.5));
    assert_eq!(value(&m, "Y").value, ConstValue::Int(162));
}

#[test]
fn numpy_scalars_keep_their_type() {
    let m = run("import numpy as np\neps = np.float32(1e-6)\nh = eps * 2\nw = eps + 0.5\nd = np.float32(1) + np.float64(1)\nb = np.int8(100) + np.int8(100)\nu = np.uint8(3) * 2\nq = np.int32(7) / 2\n");
    assert_eq!(value(&m, "eps").ty, Scalar::F32);
    assert_eq!(value(&m, "eps").value, ConstValue::Float(1e-6f32 as f64));
    assert_eq!(value(&m, "h").ty, Scalar::F32);
    assert_eq!(value(&m, "w").ty, Scalar::F32);
    assert_eq!(value(&m, "w").value, ConstValue::Float((1e-6f32 + 0.5f32) as f64));
    assert_eq!(value(&m, "d").ty, Scalar::F64);
    assert_eq!(
        value(&m, "b"),
        Frozen {
            value: ConstValue::Int(-56),
            ty: Scalar::I8
        }
    );
    assert_eq!(
        value(&m, "u"),
        Frozen {
            value: ConstValue::Int(6),
            ty: Scalar::U8
        }
    );
    assert_eq!(
        value(&m, "q"),
        Frozen {
            value: ConstValue::Float(3.5),
            ty: Scalar::F64
        }
    );
}

#[test]
fn what_cannot_be_evaluated_is_opaque_not_guessed() {
    let m = run("import os\nimport numpy as np\nN = 1\nif os.environ.get('X'):\n    N = 2\nM = np.exp(1.0)\nfor i in range(N):\n    pass\nP = 2 ** 200\nQ = np.uint8(3) + 300\n");
    for name in ["N", "M", "P", "Q", "os"] {
        assert!(m.opaque.contains_key(name), "{name} should be opaque");
    }
    assert!(m.opaque["N"].reason.contains("condition"), "{:?}", m.opaque["N"]);
    assert_eq!(m.opaque["N"].line, 5);
}

#[test]
fn main_guard_and_try_imports() {
    let m = run("try:\n    from numba import njit\n    HAVE = True\nexcept ImportError:\n    HAVE = False\nK = 3\nif __name__ == '__main__':\n    N = 5\nelse:\n    N = 6\n");
    assert_eq!(value(&m, "HAVE").value, ConstValue::Bool(true));
    assert_eq!(value(&m, "K").value, ConstValue::Int(3));
    assert!(m.opaque["N"].reason.contains("__name__"), "{:?}", m.opaque["N"]);
    let m = run("try:\n    import scipy\n    N = 1\nexcept ImportError:\n    N = 2\n");
    assert!(m.opaque.contains_key("N"));
}

#[test]
fn python_float_division_and_remainder() {
    let m = run("a = -7.0 // 2.0\nb = -7.0 % 2.0\nc = 7 // -2\nd = 7 % -2\ne = 1 / 3\nf = 2 ** -1\ng = round(2.5)\nh = int(-3.7)\n");
    assert_eq!(value(&m, "a").value, ConstValue::Float(-4.0));
    assert_eq!(value(&m, "b").value, ConstValue::Float(1.0));
    assert_eq!(value(&m, "c").value, ConstValue::Int(-4));
    assert_eq!(value(&m, "d").value, ConstValue::Int(-1));
    assert_eq!(value(&m, "e").value, ConstValue::Float(1.0 / 3.0));
    assert_eq!(value(&m, "f").value, ConstValue::Float(0.5));
    assert_eq!(value(&m, "g").value, ConstValue::Int(2));
    assert_eq!(value(&m, "h").value, ConstValue::Int(-3));
}

#[test]
fn long_loops_give_up() {
    let m = run("N = 0\nwhile True:\n    N += 1\n");
    assert!(m.opaque.contains_key("N"));
}

//! Random numbers for kernels (`np.random.*`, `random.*`), as Numba provides them: each thread
//! has its own generators, independent of NumPy's and Python's global state, seeded from the
//! operating system until a kernel seeds them. The generators are the Mersenne Twister with
//! NumPy's legacy and CPython's seeding and transformations, so a kernel that seeds and draws
//! gets the numbers NumPy's `RandomState` and CPython's `random` give for the same seed.

use std::cell::RefCell;

use kcache_abi::{RANDOM_NUMPY, RANDOM_PYTHON};

const N: usize = 624;
const M: usize = 397;

struct Mt19937 {
    key: [u32; N],
    pos: usize,
    /// The second value of the last normal pair, for the next call.
    gauss: Option<f64>,
}

impl Mt19937 {
    fn from_seed(seed: u32) -> Self {
        let mut key = [0u32; N];
        key[0] = seed;
        for i in 1..N {
            let prev = key[i - 1];
            key[i] = 1812433253u32.wrapping_mul(prev ^ (prev >> 30)).wrapping_add(i as u32);
        }
        Mt19937 {
            key,
            pos: N,
            gauss: None,
        }
    }

    /// MT19937's `init_by_array` (CPython seeds from an integer's 32-bit words with it).
    fn from_words(words: &[u32]) -> Self {
        let mut mt = Mt19937::from_seed(19650218);
        let key = &mut mt.key;
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(words.len()) {
            let prev = key[i - 1];
            key[i] = (key[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1664525))
                .wrapping_add(words[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                key[0] = key[N - 1];
                i = 1;
            }
            if j >= words.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = key[i - 1];
            key[i] = (key[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1566083941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                key[0] = key[N - 1];
                i = 1;
            }
        }
        key[0] = 0x8000_0000;
        mt
    }

    fn next_u32(&mut self) -> u32 {
        if self.pos >= N {
            self.twist();
        }
        let mut y = self.key[self.pos];
        self.pos += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    fn twist(&mut self) {
        const UPPER: u32 = 0x8000_0000;
        const LOWER: u32 = 0x7fff_ffff;
        const MATRIX: u32 = 0x9908_b0df;
        for i in 0..N {
            let y = (self.key[i] & UPPER) | (self.key[(i + 1) % N] & LOWER);
            let mut v = self.key[(i + M) % N] ^ (y >> 1);
            if y & 1 != 0 {
                v ^= MATRIX;
            }
            self.key[i] = v;
        }
        self.pos = 0;
    }

    fn next_double(&mut self) -> f64 {
        let a = self.next_u32() >> 5;
        let b = self.next_u32() >> 6;
        (a as f64 * 67108864.0 + b as f64) / 9007199254740992.0
    }

    /// NumPy's `legacy_gauss`: the polar method.
    fn numpy_gauss(&mut self) -> f64 {
        if let Some(g) = self.gauss.take() {
            return g;
        }
        loop {
            let x1 = 2.0 * self.next_double() - 1.0;
            let x2 = 2.0 * self.next_double() - 1.0;
            let r2 = x1 * x1 + x2 * x2;
            if r2 < 1.0 && r2 != 0.0 {
                let f = (-2.0 * r2.ln() / r2).sqrt();
                self.gauss = Some(f * x1);
                return f * x2;
            }
        }
    }

    /// CPython's `random.gauss(0, 1)`: Box-Muller.
    fn python_gauss(&mut self) -> f64 {
        if let Some(g) = self.gauss.take() {
            return g;
        }
        let x2pi = self.next_double() * std::f64::consts::TAU;
        let g2rad = (-2.0 * (1.0 - self.next_double()).ln()).sqrt();
        self.gauss = Some(x2pi.sin() * g2rad);
        x2pi.cos() * g2rad
    }
}

/// A seed from the operating system (or the clock, if it has none to give).
fn entropy() -> Vec<u32> {
    let mut words = [0u32; 8];
    // SAFETY: getrandom writes at most the buffer's length.
    let got = unsafe {
        libc::getrandom(
            words.as_mut_ptr() as *mut libc::c_void,
            std::mem::size_of_val(&words),
            0,
        )
    };
    if got != std::mem::size_of_val(&words) as isize {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        words[0] = t as u32;
        words[1] = (t >> 32) as u32;
        words[2] = std::process::id();
    }
    words.to_vec()
}

thread_local! {
    static GENERATORS: RefCell<[Mt19937; 2]> = RefCell::new([Mt19937::from_words(&entropy()), Mt19937::from_words(&entropy())]);
}

fn with<R>(generator: i32, f: impl FnOnce(&mut Mt19937, bool) -> R) -> R {
    let numpy = generator == RANDOM_NUMPY;
    GENERATORS.with(|g| f(&mut g.borrow_mut()[usize::from(!numpy)], numpy))
}

/// The host's `random_seed`: NumPy's legacy seeding takes the low 32 bits (kernels check the
/// range first, as NumPy does); CPython's takes the integer's 32-bit words.
pub extern "C" fn host_random_seed(generator: i32, seed: u64) {
    with(generator, |mt, numpy| {
        *mt = if numpy || generator != RANDOM_PYTHON {
            Mt19937::from_seed(seed as u32)
        } else if seed >> 32 == 0 {
            Mt19937::from_words(&[seed as u32])
        } else {
            Mt19937::from_words(&[seed as u32, (seed >> 32) as u32])
        };
    })
}

pub extern "C" fn host_random_u32(generator: i32) -> u32 {
    with(generator, |mt, _| mt.next_u32())
}

pub extern "C" fn host_random_double(generator: i32) -> f64 {
    with(generator, |mt, _| mt.next_double())
}

pub extern "C" fn host_random_gauss(generator: i32) -> f64 {
    with(
        generator,
        |mt, numpy| if numpy { mt.numpy_gauss() } else { mt.python_gauss() },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_outputs() {
        // MT19937's reference: init_genrand(5489) gives 3499211612 first.
        assert_eq!(Mt19937::from_seed(5489).next_u32(), 3499211612);
        // init_by_array({0x123, 0x234, 0x345, 0x456}) gives 1067595299 first (mt19937ar.out).
        assert_eq!(
            Mt19937::from_words(&[0x123, 0x234, 0x345, 0x456]).next_u32(),
            1067595299
        );
    }
}

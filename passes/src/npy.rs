//! Reading and writing float32 `.npy` batches (C order), for `csim` and `run`.

use std::path::Path;

use fpgaopt_ir::{DiagResult, Diagnostic, Location};

fn error(msg: String) -> Diagnostic {
    Diagnostic::error(Location::Unknown, msg)
}

/// A float32 array: its shape and its elements in C order.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    pub shape: Vec<u64>,
    pub data: Vec<f32>,
}

impl Batch {
    /// Number of samples (the leading axis).
    pub fn len(&self) -> usize {
        self.shape.first().copied().unwrap_or(0) as usize
    }

    /// True when the batch holds no sample.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Shape of one sample (everything after the leading axis).
    pub fn sample_shape(&self) -> &[u64] {
        self.shape.get(1..).unwrap_or(&[])
    }

    /// Elements of sample `i`.
    pub fn sample(&self, i: usize) -> &[f32] {
        let n = self.sample_shape().iter().product::<u64>() as usize;
        &self.data[i * n..(i + 1) * n]
    }
}

/// Reads a float32 array of shape `(N, ...)`.
pub fn read_batch(path: &Path) -> DiagResult<Batch> {
    let file = std::fs::File::open(path).map_err(|e| error(format!("cannot open {}: {e}", path.display())))?;
    let npy = npyz::NpyFile::new(std::io::BufReader::new(file))
        .map_err(|e| error(format!("{}: not a .npy file: {e}", path.display())))?;
    if npy.order() != npyz::Order::C {
        return Err(error(format!("{}: Fortran-ordered arrays are not supported", path.display())));
    }
    let shape = npy.shape().to_vec();
    if shape.is_empty() {
        return Err(error(format!("{}: expected shape (N, ...), found a scalar", path.display())));
    }
    let dtype = npy.dtype();
    let data =
        npy.into_vec::<f32>().map_err(|e| error(format!("{}: expected float32 data ({dtype:?}): {e}", path.display())))?;
    Ok(Batch { shape, data })
}

/// Writes a float32 array.
pub fn write_batch(path: &Path, b: &Batch) -> DiagResult<()> {
    use npyz::WriterBuilder;
    let io = |e: std::io::Error| error(format!("cannot write {}: {e}", path.display()));
    let file = std::fs::File::create(path).map_err(io)?;
    let mut w =
        npyz::WriteOptions::new().default_dtype().shape(&b.shape).writer(std::io::BufWriter::new(file)).begin_nd().map_err(io)?;
    w.extend(b.data.iter().copied()).map_err(io)?;
    w.finish().map_err(io)
}

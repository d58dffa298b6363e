//! Result types of `nn` ops from their operand types and attributes, for code that builds ops
//! without a result type at hand (the e-graph of `nn-eqsat`). The rules are the verifiers' shape
//! rules ([`crate::verify`]) turned around.

use fpgaopt_ir::Type;

use crate::eval::OpView;
use crate::layout::{concat_shape, slice_shape, transpose_shape};
use crate::resample;
use crate::spatial::{pad_shape, window_of_attrs};
use crate::verify::{broadcast_shapes, matmul_shape};

/// The result type of `op` on operands of types `operands`: `Ok(None)` when the op's result type
/// is not a function of them (`nn.reshape`, quantizers: it must be given), `Err` when the operands
/// do not fit the op.
pub fn result_type(op: OpView<'_>, operands: &[&Type]) -> Result<Option<Type>, String> {
    let shape = |i: usize| -> Result<&[i64], String> {
        operands.get(i).and_then(|t| t.shape()).ok_or_else(|| format!("'{}' needs a tensor operand #{i}", op.name))
    };
    let tensor = |s: Vec<i64>| Ok(Some(Type::tensor(s, Type::F32)));
    let int_attr = |n: &str| op.attr(n).and_then(|a| a.as_int());
    let ints = |n: &str| op.attr(n).and_then(|a| a.as_i64_array()).ok_or_else(|| format!("missing attribute '{n}'"));
    match op.name {
        "nn.constant" => Ok(op.attr("value").and_then(|a| a.as_dense()).map(|d| d.ty.clone())),
        "nn.dense" => {
            let (x, w, b) = (shape(0)?, shape(1)?, shape(2)?);
            if w.len() != 2 || x.last() != Some(&w[0]) || b != [w[1]] {
                return Err(format!("dense operands {x:?}, {w:?}, {b:?} do not fit"));
            }
            let mut y = x.to_vec();
            *y.last_mut().expect("non-empty") = w[1];
            tensor(y)
        }
        "nn.matmul" => tensor(matmul_shape(shape(0)?, shape(1)?).ok_or("operands do not multiply")?),
        "nn.add" | "nn.sub" | "nn.mul" | "nn.div" => {
            tensor(broadcast_shapes(shape(0)?, shape(1)?).ok_or("operands do not broadcast")?)
        }
        "nn.relu" | "nn.leaky_relu" | "nn.sigmoid" | "nn.tanh" | "nn.clip" | "nn.softmax" => tensor(shape(0)?.to_vec()),
        "nn.batch_norm" => {
            let x = shape(0)?;
            let c = *x.get(1).ok_or("batch_norm input has no channel axis")?;
            if (1..5).any(|i| shape(i).map_or(true, |s| s != [c])) {
                return Err(format!("batch_norm parameters must be [{c}]"));
            }
            tensor(x.to_vec())
        }
        "nn.flatten" => {
            let x = shape(0)?;
            let axis = usize::try_from(int_attr("axis").ok_or("flatten without axis")?).map_err(|e| e.to_string())?;
            if axis > x.len() {
                return Err(format!("axis {axis} is out of range"));
            }
            tensor(vec![x[..axis].iter().product(), x[axis..].iter().product()])
        }
        "nn.identity" | "nn.dropout" => tensor(shape(0)?.to_vec()),
        "nn.cast" => {
            let to = op.attr("to").and_then(|a| a.as_type()).ok_or("cast without 'to'")?;
            Ok(Some(Type::tensor(shape(0)?.to_vec(), to.clone())))
        }
        "nn.transpose" => tensor(transpose_shape(shape(0)?, &ints("perm")?)?),
        "nn.concat" => {
            let shapes = (0..operands.len()).map(shape).collect::<Result<Vec<_>, _>>()?;
            tensor(concat_shape(&shapes, int_attr("axis").ok_or("concat without axis")?)?)
        }
        "nn.slice" => {
            let get = |n: &str| int_attr(n).ok_or(format!("slice without '{n}'"));
            tensor(slice_shape(shape(0)?, get("axis")?, get("start")?, get("size")?)?)
        }
        "nn.pad" => tensor(pad_shape(shape(0)?, &ints("pads")?)?),
        "nn.conv" => {
            let (x, w) = (shape(0)?, shape(1)?);
            let window = window_of_attrs(|n| op.attr(n), Some(w.get(2..).unwrap_or(&[]).to_vec()))?;
            if x.len() < 3 || w.len() != x.len() || shape(2)? != [w[0]] {
                return Err(format!("conv operands {x:?}, {w:?} do not fit"));
            }
            tensor(window.result_shape(x, w[0])?)
        }
        "nn.max_pool" | "nn.average_pool" => {
            let x = shape(0)?;
            if x.len() < 3 {
                return Err(format!("pool input {x:?} has no spatial axes"));
            }
            tensor(window_of_attrs(|n| op.attr(n), None)?.result_shape(x, x[1])?)
        }
        "nn.conv_transpose" => {
            let (x, w) = (shape(0)?, shape(1)?);
            let y = crate::spatial::conv_transpose_shape(x, w, |n| op.attr(n))?;
            if shape(2)? != [y[1]] {
                return Err(format!("conv_transpose bias {:?} does not fit {} output channels", shape(2)?, y[1]));
            }
            tensor(y)
        }
        // From the scales, onnxruntime's rule; a size given by ONNX `sizes` may differ, and then
        // the type must be given.
        "nn.resize" => {
            let scales = op.attr("scales").and_then(|a| a.as_f64_array()).ok_or("missing attribute 'scales'")?;
            let x = shape(0)?;
            if scales.len() != x.len() {
                return Err(format!("{} scales for rank {}", scales.len(), x.len()));
            }
            tensor(x.iter().zip(&scales).map(|(&d, &s)| resample::resized_dim(d, s)).collect())
        }
        "nn.depth_to_space" => tensor(resample::depth_to_space_shape(shape(0)?, int_attr("blocksize").ok_or("missing blocksize")?)?),
        "nn.space_to_depth" => tensor(resample::space_to_depth_shape(shape(0)?, int_attr("blocksize").ok_or("missing blocksize")?)?),
        "nn.global_average_pool" | "nn.global_max_pool" => {
            let mut y = shape(0)?.get(..2).ok_or("pool input has no channel axis")?.to_vec();
            y.resize(shape(0)?.len(), 1);
            tensor(y)
        }
        _ => Ok(None),
    }
}

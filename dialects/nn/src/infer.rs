//! Result types of `nn` ops from their operand types and attributes, for code that builds ops
//! without a result type at hand (the e-graph of `nn-eqsat`). The rules are the verifiers' shape
//! rules ([`crate::verify`]) turned around.

use fpgaopt_ir::Type;

use crate::eval::OpView;
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
        _ => Ok(None),
    }
}

//! The per-layer precision config of `nn-to-qdf`: a JSON file keyed by layer name.
//!
//! ```json
//! {"input": "fixed<16,6>",
//!  "layers": {"fc1": {"result": "fixed<12,4>", "weight": "fixed<8,1>", "bias": "fixed<12,4>",
//!                     "acc": "fixed<32,12>", "rounding": "RND", "overflow": "SAT", "reuse": 4}}}
//! ```
//! Every key is optional; unknown keys and unknown layer names are errors.

use std::collections::BTreeMap;

use fpgaopt_qdf::{FixedType, Overflow, Rounding};
use serde_json::Value;

/// Overrides for one layer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayerConfig {
    /// Type of the layer's result (activations).
    pub result: Option<FixedType>,
    pub weight: Option<FixedType>,
    pub bias: Option<FixedType>,
    /// Accumulator type, replacing the computed exact one.
    pub acc: Option<FixedType>,
    /// Rounding mode of the result type.
    pub rounding: Option<Rounding>,
    /// Overflow mode of the result type.
    pub overflow: Option<Overflow>,
    /// The layer's reuse factor (cycles per output in io=serial/stream), recorded on its qdf ops
    /// as `qdf.reuse` for qdf-to-hls.
    pub reuse: Option<i64>,
}

/// The whole config.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    /// Type the model inputs are quantized to.
    pub input: Option<FixedType>,
    pub layers: BTreeMap<String, LayerConfig>,
}

fn fixed(v: &Value, at: &str) -> Result<FixedType, String> {
    let s = v.as_str().ok_or_else(|| format!("{at}: expected a string such as \"fixed<16,6>\""))?;
    s.parse().map_err(|e: String| format!("{at}: {e}"))
}

fn string<'a>(v: &'a Value, at: &str) -> Result<&'a str, String> {
    v.as_str().ok_or_else(|| format!("{at}: expected a string"))
}

impl Config {
    /// Parses the JSON text.
    pub fn parse(text: &str) -> Result<Config, String> {
        let root: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
        let obj = root.as_object().ok_or("the config must be a JSON object")?;
        let mut cfg = Config::default();
        for (k, v) in obj {
            match k.as_str() {
                "input" => cfg.input = Some(fixed(v, "input")?),
                "layers" => {
                    let layers = v.as_object().ok_or("layers: expected an object keyed by layer name")?;
                    for (name, l) in layers {
                        cfg.layers.insert(name.clone(), LayerConfig::parse(name, l)?);
                    }
                }
                other => return Err(format!("unknown key '{other}' (expected 'input' or 'layers')")),
            }
        }
        Ok(cfg)
    }
}

impl LayerConfig {
    fn parse(name: &str, v: &Value) -> Result<LayerConfig, String> {
        let obj = v.as_object().ok_or_else(|| format!("layer '{name}': expected an object"))?;
        let mut l = LayerConfig::default();
        for (k, v) in obj {
            let at = format!("layer '{name}', key '{k}'");
            match k.as_str() {
                "result" => l.result = Some(fixed(v, &at)?),
                "weight" => l.weight = Some(fixed(v, &at)?),
                "bias" => l.bias = Some(fixed(v, &at)?),
                "acc" => l.acc = Some(fixed(v, &at)?),
                "rounding" => {
                    let s = string(v, &at)?;
                    l.rounding = Some(Rounding::parse(s).ok_or_else(|| format!("{at}: unknown rounding mode '{s}'"))?);
                }
                "overflow" => {
                    let s = string(v, &at)?;
                    l.overflow = Some(Overflow::parse(s).ok_or_else(|| format!("{at}: unknown overflow mode '{s}'"))?);
                }
                "reuse" => {
                    let r = v.as_i64().filter(|r| (1..=1 << 20).contains(r)).ok_or_else(|| format!("{at}: expected an integer in 1..=2^20"))?;
                    l.reuse = Some(r);
                }
                other => {
                    return Err(format!(
                        "layer '{name}': unknown key '{other}' (expected result, weight, bias, acc, rounding, overflow, reuse)"
                    ))
                }
            }
        }
        Ok(l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_layers_and_rejects_unknown_keys() {
        let c = Config::parse(r#"{"layers": {"fc1": {"result": "fixed<12,4>", "weight": "ufixed<8,1>", "rounding": "RND", "overflow": "AP_SAT"}}}"#)
            .expect("valid config");
        let l = &c.layers["fc1"];
        assert_eq!(l.result, Some(FixedType::new(12, 4)));
        assert_eq!(l.weight, Some(FixedType::unsigned(8, 1)));
        assert_eq!((l.rounding, l.overflow), (Some(Rounding::Rnd), Some(Overflow::Sat)));
        assert!(Config::parse(r#"{"layers": {"fc1": {"precision": "fixed<8,1>"}}}"#).unwrap_err().contains("unknown key 'precision'"));
        assert!(Config::parse(r#"{"layer": {}}"#).unwrap_err().contains("unknown key 'layer'"));
        assert!(Config::parse(r#"{"layers": {"fc1": {"result": "fixed<8>"}}}"#).is_err());
        assert!(Config::parse("{").unwrap_err().contains("invalid JSON"));
    }
}

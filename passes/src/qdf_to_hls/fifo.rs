//! FIFO depths of a streaming design, computed from a token-level simulation of its processes.
//!
//! Each process is a fixed program of phases ([`Phase`]); a phase repeats an iteration that reads
//! one beat from each of some inputs and writes one beat to each of some outputs, as one pipelined
//! loop iteration does. The simulation advances in cycles: an iteration starts when every beat it
//! reads was in its FIFO at the start of the cycle and every FIFO it writes has room; it takes
//! `ii` cycles when it writes (the process's initiation interval) and one when it only reads. A
//! beat written in a cycle is readable from the next.
//!
//! - [`depths`]: run with unbounded FIFOs; each FIFO's depth is the most beats it ever held (at
//!   least 2). The bounded run with those depths replays the same trace, so it cannot deadlock.
//! - [`simulate`] with given depths reports each process's first and last active cycle, or a
//!   deadlock: every unfinished process blocked, with what each waits for.

/// One phase of a process: `repeat` iterations, each reading one beat from every input in
/// `reads` and writing one beat to every output in `writes` (indices into the process's lists).
#[derive(Clone, Debug, PartialEq)]
pub struct Phase {
    pub repeat: u64,
    pub reads: Vec<usize>,
    pub writes: Vec<usize>,
}

impl Phase {
    pub fn new(repeat: u64, reads: Vec<usize>, writes: Vec<usize>) -> Phase {
        Phase { repeat, reads, writes }
    }
}

/// A process: its FIFOs (indices into the design's FIFO list), its program and its write II.
#[derive(Clone, Debug)]
pub struct Process {
    pub name: String,
    pub inputs: Vec<usize>,
    pub outputs: Vec<usize>,
    pub phases: Vec<Phase>,
    pub ii: u64,
}

/// When each process was active: `(first cycle, last cycle)`; `None` for a process that never acts.
#[derive(Clone, Debug, PartialEq)]
pub struct Timing {
    pub spans: Vec<Option<(u64, u64)>>,
    pub cycles: u64,
}

/// A process blocked for good, and on what.
#[derive(Clone, Debug, PartialEq)]
pub struct Deadlock {
    pub cycle: u64,
    pub waiting: Vec<String>,
}

/// Where a process is in its program.
#[derive(Clone, Copy, Default)]
struct Pc {
    phase: usize,
    rep: u64,
    /// Cycles left on the current iteration.
    busy: u64,
}

/// Moves past finished phases (and empty ones).
fn advance(p: &Process, pc: &mut Pc) {
    while pc.phase < p.phases.len() && pc.rep >= p.phases[pc.phase].repeat {
        pc.rep = 0;
        pc.phase += 1;
    }
}

/// Runs the design. `cap[f]` is FIFO f's capacity (`None`: unbounded). Returns the timing and the
/// largest occupancy of every FIFO, or the deadlock.
pub fn simulate(procs: &[Process], fifos: usize, cap: &[Option<u64>]) -> Result<(Timing, Vec<u64>), Deadlock> {
    let mut level = vec![0u64; fifos];
    let mut peak = vec![0u64; fifos];
    let mut pcs = vec![Pc::default(); procs.len()];
    let mut spans: Vec<Option<(u64, u64)>> = vec![None; procs.len()];
    let mut cycle = 0u64;
    loop {
        for (p, pc) in procs.iter().zip(pcs.iter_mut()) {
            advance(p, pc);
        }
        if procs.iter().zip(&pcs).all(|(p, pc)| pc.phase >= p.phases.len() && pc.busy == 0) {
            return Ok((Timing { spans, cycles: cycle }, peak));
        }
        let start = level.clone();
        let mut progressed = false;
        for (i, p) in procs.iter().enumerate() {
            let pc = &mut pcs[i];
            if pc.busy > 0 {
                pc.busy -= 1;
                progressed = true;
                continue;
            }
            if pc.phase >= p.phases.len() {
                continue;
            }
            let ph = &p.phases[pc.phase];
            let readable = ph.reads.iter().all(|&r| start[p.inputs[r]] > 0 && level[p.inputs[r]] > 0);
            let writable = ph.writes.iter().all(|&w| cap[p.outputs[w]].is_none_or(|c| level[p.outputs[w]] < c));
            if !(readable && writable) {
                continue;
            }
            for &r in &ph.reads {
                level[p.inputs[r]] -= 1;
            }
            for &w in &ph.writes {
                let f = p.outputs[w];
                level[f] += 1;
                peak[f] = peak[f].max(level[f]);
            }
            pc.busy = if ph.writes.is_empty() { 0 } else { p.ii.max(1) - 1 };
            pc.rep += 1;
            progressed = true;
            let s = spans[i].get_or_insert((cycle, cycle));
            s.1 = cycle + pc.busy;
        }
        if !progressed {
            let waiting = procs
                .iter()
                .zip(&pcs)
                .filter(|(p, pc)| pc.phase < p.phases.len())
                .map(|(p, pc)| {
                    let ph = &p.phases[pc.phase];
                    let empty: Vec<String> = ph.reads.iter().map(|&r| p.inputs[r]).filter(|&f| level[f] == 0).map(|f| format!("#{f}")).collect();
                    if !empty.is_empty() {
                        format!("{} waits to read FIFO {} (empty)", p.name, empty.join(", "))
                    } else {
                        let full: Vec<String> = ph.writes.iter().map(|&w| p.outputs[w]).filter(|&f| cap[f].is_some_and(|c| level[f] >= c)).map(|f| format!("#{f}")).collect();
                        format!("{} waits to write FIFO {} (full)", p.name, full.join(", "))
                    }
                })
                .collect();
            return Err(Deadlock { cycle, waiting });
        }
        cycle += 1;
    }
}

/// The smallest safe depth of every FIFO (at least 2: a FIFO of one beat stalls every other cycle)
/// and the design's timing with them.
pub fn depths(procs: &[Process], fifos: usize) -> Result<(Vec<u64>, Timing), Deadlock> {
    let (_, peak) = simulate(procs, fifos, &vec![None; fifos])?;
    let d: Vec<u64> = peak.iter().map(|&p| p.max(2)).collect();
    let caps: Vec<Option<u64>> = d.iter().map(|&x| Some(x)).collect();
    let (t, _) = simulate(procs, fifos, &caps)?;
    Ok((d, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, inputs: Vec<usize>, outputs: Vec<usize>, phases: Vec<Phase>) -> Process {
        Process { name: name.into(), inputs, outputs, phases, ii: 1 }
    }

    /// A residual: split -> (long branch buffering 10 beats) and skip -> add. The skip FIFO needs
    /// the long branch's delay; with depth 2 the design deadlocks, which the simulation reports.
    fn residual() -> Vec<Process> {
        vec![
            p("source", vec![], vec![0], vec![Phase::new(16, vec![], vec![0])]),
            p("split", vec![0], vec![1, 2], vec![Phase::new(16, vec![0], vec![0, 1])]),
            p("long", vec![1], vec![3], vec![Phase::new(10, vec![0], vec![]), Phase::new(6, vec![0], vec![0]), Phase::new(10, vec![], vec![0])]),
            p("add", vec![3, 2], vec![4], vec![Phase::new(16, vec![0, 1], vec![0])]),
            p("sink", vec![4], vec![], vec![Phase::new(16, vec![0], vec![])]),
        ]
    }

    #[test]
    fn skip_fifo_gets_the_long_branch_delay() {
        let (d, t) = depths(&residual(), 5).expect("no deadlock");
        assert!(d[2] >= 10, "skip depth {d:?}");
        assert_eq!(d[0], 2);
        assert!(t.cycles > 16);
    }

    #[test]
    fn too_shallow_skip_fifo_deadlocks() {
        let caps = vec![Some(2); 5];
        let e = simulate(&residual(), 5, &caps).expect_err("deadlock");
        assert!(e.waiting.iter().any(|w| w.contains("split waits to write FIFO #2 (full)")), "{:?}", e.waiting);
        assert!(e.waiting.iter().any(|w| w.contains("add waits to read FIFO #3")), "{:?}", e.waiting);
    }

    #[test]
    fn a_chain_needs_two_beats_and_streams() {
        let procs = vec![
            p("a", vec![], vec![0], vec![Phase::new(100, vec![], vec![0])]),
            p("b", vec![0], vec![], vec![Phase::new(100, vec![0], vec![])]),
        ];
        let (d, t) = depths(&procs, 1).expect("no deadlock");
        assert_eq!(d, vec![2]);
        assert!(t.cycles <= 102, "{}", t.cycles);
    }
}

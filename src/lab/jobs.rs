//! The lab's running background jobs by process.

use sim_models::kernel::Pid;

/// The job (an index into the lab's job table) of each running background process: what a
/// `BTreeMap<Pid, usize>` of them would answer, held as a list sorted by pid. A job's process
/// is the newest process when the job starts (pids only grow and are not reused), so a start
/// is an append; a lookup is a binary search; an end marks its entry, and the marks are swept
/// out once they are half the list (the list stays within twice the running jobs, and a lab's
/// end walks only those). Every event of a running lab asks it for the processes it touched:
/// this costs a fraction of a tree's search, insertion and removal.
#[derive(Debug, Default)]
pub(crate) struct LiveJobs {
    /// (pid, job or [`ENDED`]), sorted by pid.
    list: Vec<(Pid, usize)>,
    /// Entries marked [`ENDED`].
    ended: usize,
}

/// The mark of an entry whose job has ended.
const ENDED: usize = usize::MAX;

impl LiveJobs {
    fn find(&self, pid: Pid) -> Result<usize, usize> {
        let Some(&(first, _)) = self.list.first() else {
            return Err(0);
        };
        // Jobs started one after the other have consecutive pids (a job is one process): the
        // entry is then where its distance from the first says, else a binary search finds it.
        if let Some(i) = pid.checked_sub(first) {
            if self.list.get(i).is_some_and(|&(p, _)| p == pid) {
                return Ok(i);
            }
        }
        match self.list.last() {
            Some(&(p, _)) if p < pid => Err(self.list.len()),
            _ => self.list.binary_search_by_key(&pid, |&(p, _)| p),
        }
    }

    /// `pid`'s job is `job` (replacing another job of that pid, as a map's insert).
    pub fn insert(&mut self, pid: Pid, job: usize) {
        debug_assert_ne!(job, ENDED);
        match self.find(pid) {
            Ok(i) => {
                if self.list[i].1 == ENDED {
                    self.ended -= 1;
                }
                self.list[i].1 = job;
            }
            Err(i) if i == self.list.len() => self.list.push((pid, job)),
            // (not the newest process: kept sorted all the same)
            Err(i) => self.list.insert(i, (pid, job)),
        }
    }

    /// The running job of `pid`.
    pub fn get(&self, pid: Pid) -> Option<usize> {
        match self.find(pid) {
            Ok(i) if self.list[i].1 != ENDED => Some(self.list[i].1),
            _ => None,
        }
    }

    /// `pid`'s job has ended.
    pub fn remove(&mut self, pid: Pid) {
        let Ok(i) = self.find(pid) else {
            return;
        };
        if self.list[i].1 == ENDED {
            return;
        }
        self.list[i].1 = ENDED;
        self.ended += 1;
        if self.ended * 2 > self.list.len() {
            self.list.retain(|&(_, j)| j != ENDED);
            self.ended = 0;
        }
    }

    /// The running jobs, in their processes' order.
    pub fn jobs(&self) -> impl Iterator<Item = usize> + '_ {
        self.list.iter().map(|&(_, j)| j).filter(|&j| j != ENDED)
    }
}

#[cfg(test)]
mod tests {
    use super::LiveJobs;
    use std::collections::BTreeMap;

    /// Answers as a map would, through starts in and out of pid order, ends, ends of ended
    /// or unknown jobs, restarts and sweeps; stays within twice its running jobs.
    #[test]
    fn live_jobs_answer_as_a_map() {
        let mut live = LiveJobs::default();
        let mut map: BTreeMap<usize, usize> = BTreeMap::new();
        let mut rng = 12345u64;
        let mut next = || {
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (rng >> 33) as usize
        };
        let mut newest = 0;
        for step in 0..20_000 {
            let r = next() % 10;
            if r < 4 {
                newest += 1 + next() % 3;
                live.insert(newest, step);
                map.insert(newest, step);
            } else if r < 5 {
                // an older pid (or one already there)
                let pid = next() % (newest + 1);
                live.insert(pid, step);
                map.insert(pid, step);
            } else if r < 9 {
                let pid = next() % (newest + 2);
                live.remove(pid);
                map.remove(&pid);
            } else {
                let pid = next() % (newest + 2);
                assert_eq!(live.get(pid), map.get(&pid).copied(), "{step}");
            }
            assert!(live.list.len() <= 2 * map.len() + 1, "{step}");
        }
        for pid in 0..newest + 2 {
            assert_eq!(live.get(pid), map.get(&pid).copied());
        }
        assert_eq!(
            live.jobs().collect::<Vec<_>>(),
            map.values().copied().collect::<Vec<_>>()
        );
    }
}

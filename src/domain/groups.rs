//! Breakdowns and filters: who and what is behind the indicators.
//!
//! Every inquiry carries an operator (or none), an origin (its type) and a channel. A
//! [`Filter`] keeps the inquiries whose values are among the ones asked for; a breakdown
//! splits the facts of a window by one [`Dimension`] into [`GroupedFacts`]. A survey answer
//! belongs to the inquiry it names: answers whose inquiry is unknown form their own group,
//! [`GroupKey::UnknownInquiry`], which counts in unfiltered totals and nowhere else.

use std::collections::BTreeMap;

use super::WindowFacts;
use super::histogram::{DecodeError, get_varint, put_varint};
pub use crate::config::{
    Dimension, Filter, FilterError, MAX_FILTER_VALUES, MAX_VALUE_CHARS, parse_values,
};

/// One group of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GroupKey {
    /// A value of the dimension.
    Value(String),
    /// Inquiries without an operator ("unassigned"); only the operator dimension has it.
    Unassigned,
    /// Survey answers whose inquiry is not in the database: counted in unfiltered totals,
    /// never in a group.
    UnknownInquiry,
}

impl GroupKey {
    /// The key of an inquiry's value (`None`: no operator).
    pub fn of(value: Option<String>) -> GroupKey {
        value.map_or(GroupKey::Unassigned, GroupKey::Value)
    }
}

/// The facts of a window split by one dimension.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupedFacts(pub BTreeMap<GroupKey, WindowFacts>);

/// Version of [`GroupedFacts::encode`]; a stored day in another version is rebuilt.
const GROUPS_ENCODING_VERSION: u64 = 1;

impl GroupedFacts {
    /// The facts of `key`, created empty when missing.
    pub fn group(&mut self, key: GroupKey) -> &mut WindowFacts {
        self.0.entry(key).or_default()
    }

    /// Adds every group of `other`.
    pub fn merge(&mut self, other: &GroupedFacts) {
        for (key, facts) in &other.0 {
            self.group(key.clone()).merge(facts);
        }
    }

    /// The sum of the groups `keep` accepts.
    pub fn total(&self, mut keep: impl FnMut(&GroupKey) -> bool) -> WindowFacts {
        let mut total = WindowFacts::default();
        for (_, facts) in self.0.iter().filter(|(key, _)| keep(key)) {
            total.merge(facts);
        }
        total
    }

    /// The stored form of one day: each group's key and its [`WindowFacts::encode`].
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        put_varint(&mut out, GROUPS_ENCODING_VERSION);
        put_varint(&mut out, self.0.len() as u64);
        for (key, facts) in &self.0 {
            match key {
                GroupKey::UnknownInquiry => put_varint(&mut out, 0),
                GroupKey::Unassigned => put_varint(&mut out, 1),
                GroupKey::Value(value) => {
                    put_varint(&mut out, 2);
                    put_varint(&mut out, value.len() as u64);
                    out.extend_from_slice(value.as_bytes());
                }
            }
            let facts = facts.encode();
            put_varint(&mut out, facts.len() as u64);
            out.extend_from_slice(&facts);
        }
        out
    }

    /// Adds a stored day (see [`GroupedFacts::encode`]).
    ///
    /// # Errors
    /// [`DecodeError`] when the bytes are not a stored day of this version; nothing is
    /// added to a group whose bytes fail, but earlier groups stay added.
    pub fn add_encoded(&mut self, bytes: &[u8]) -> Result<(), DecodeError> {
        let at = &mut 0;
        if get_varint(bytes, at)? != GROUPS_ENCODING_VERSION {
            return Err(DecodeError);
        }
        let take = |at: &mut usize| -> Result<&[u8], DecodeError> {
            let length = usize::try_from(get_varint(bytes, at)?).map_err(|_| DecodeError)?;
            let end = at.checked_add(length).ok_or(DecodeError)?;
            let slice = bytes.get(*at..end).ok_or(DecodeError)?;
            *at = end;
            Ok(slice)
        };
        for _ in 0..get_varint(bytes, at)? {
            let key = match get_varint(bytes, at)? {
                0 => GroupKey::UnknownInquiry,
                1 => GroupKey::Unassigned,
                2 => {
                    GroupKey::Value(String::from_utf8(take(at)?.to_vec()).map_err(|_| DecodeError)?)
                }
                _ => return Err(DecodeError),
            };
            let facts = take(at)?;
            self.group(key).add_encoded(facts)?;
        }
        (*at == bytes.len()).then_some(()).ok_or(DecodeError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_facts_survive_their_stored_form() {
        let mut groups = GroupedFacts::default();
        groups.group(GroupKey::Value("op,1:ñ".into())).pending = 3;
        groups.group(GroupKey::Unassigned).attention.push(90);
        groups.group(GroupKey::UnknownInquiry).nps_histogram[9] = 2;
        let bytes = groups.encode();
        let mut read = GroupedFacts::default();
        read.add_encoded(&bytes).unwrap();
        assert_eq!(read.0.len(), 3);
        assert_eq!(read.0[&GroupKey::Value("op,1:ñ".into())].pending, 3);
        assert_eq!(read.0[&GroupKey::UnknownInquiry].nps_histogram[9], 2);
        assert_eq!(read.0[&GroupKey::Unassigned].attention.count, 1);
        assert!(
            GroupedFacts::default()
                .add_encoded(&bytes[..bytes.len() - 1])
                .is_err()
        );
        let total = read.total(|key| *key != GroupKey::UnknownInquiry);
        assert_eq!((total.pending, total.nps_histogram[9]), (3, 0));
    }
}

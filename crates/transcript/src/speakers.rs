//! Mapping the speaker labels found in files to roles; owns no file format.

use qadesk_domain::Role;

use crate::error::SpeakerMapError;

/// Speaker labels (`Rep`, `SPEAKER_00`, …) and the roles they stand for.
///
/// Lookups ignore case and surrounding spaces. Entries win over the built-in
/// role names, so a map can even say that the label `Agent` is the customer,
/// which happens when a vendor labels channels rather than people.
#[derive(Clone, Debug, Default)]
pub struct SpeakerMap {
    /// Labels stay in insertion order; a call has a handful of speakers, so a
    /// linear scan beats hashing a lowercased copy of every looked-up label.
    entries: Vec<(String, Role)>,
}

impl SpeakerMap {
    /// Parses `LABEL=ROLE` entries separated by commas, e.g. `A=agent,B=customer`.
    ///
    /// Empty entries (a trailing comma) are allowed; naming one label twice with
    /// different roles is an error because one of the two would be ignored.
    pub fn parse(spec: &str) -> Result<SpeakerMap, SpeakerMapError> {
        let mut map = SpeakerMap::default();
        for entry in spec.split(',').map(str::trim).filter(|entry| !entry.is_empty()) {
            let Some((label, role_name)) = entry.split_once('=') else {
                return Err(SpeakerMapError::MissingEquals { entry: entry.to_owned() });
            };
            let label = label.trim();
            if label.is_empty() {
                return Err(SpeakerMapError::EmptyLabel { entry: entry.to_owned() });
            }
            let Some(role) = Role::from_name(role_name) else {
                return Err(SpeakerMapError::UnknownRole {
                    entry: entry.to_owned(),
                    role: role_name.trim().to_owned(),
                });
            };
            match map.mapped(label) {
                Some(earlier) if earlier != role => {
                    return Err(SpeakerMapError::Conflict {
                        entry: entry.to_owned(),
                        label: label.to_owned(),
                    });
                }
                _ => map.insert(label, role),
            }
        }
        Ok(map)
    }

    /// Maps `label` to `role`, replacing an earlier entry for the same label.
    pub fn insert(&mut self, label: &str, role: Role) {
        let label = label.trim();
        match self.entries.iter_mut().find(|(known, _)| same_label(known, label)) {
            Some(entry) => entry.1 = role,
            None => self.entries.push((label.to_owned(), role)),
        }
    }

    /// The role of `label`: a map entry first, then the built-in role names.
    pub fn role(&self, label: &str) -> Option<Role> {
        self.mapped(label).or_else(|| Role::from_name(label))
    }

    /// True when the map has no entries (the built-in names still work).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn mapped(&self, label: &str) -> Option<Role> {
        let label = label.trim();
        self.entries.iter().find(|(known, _)| same_label(known, label)).map(|&(_, role)| role)
    }
}

/// Compares labels ignoring case, Unicode-aware because labels are names
/// (`Åse`, `Kliendė`) and not only ASCII.
fn same_label(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_with_spaces_and_any_case() {
        let map = SpeakerMap::parse(" A = agent , B=Customer,Rep=AGENT, x=unknown ,").unwrap();
        assert_eq!(map.role("a"), Some(Role::Agent));
        assert_eq!(map.role(" B "), Some(Role::Customer));
        assert_eq!(map.role("REP"), Some(Role::Agent));
        assert_eq!(map.role("X"), Some(Role::Unknown));
        assert_eq!(map.role("C"), None);
    }

    #[test]
    fn built_in_names_work_without_entries() {
        let map = SpeakerMap::default();
        assert!(map.is_empty());
        assert_eq!(map.role("agent"), Some(Role::Agent));
        assert_eq!(map.role("CUSTOMER"), Some(Role::Customer));
        assert_eq!(map.role(" Unknown "), Some(Role::Unknown));
        assert_eq!(map.role("Rep"), None);
        assert_eq!(map.role(""), None);
    }

    #[test]
    fn entries_win_over_built_in_names() {
        let map = SpeakerMap::parse("Agent=customer").unwrap();
        assert_eq!(map.role("agent"), Some(Role::Customer));
        assert_eq!(map.role("customer"), Some(Role::Customer));
    }

    #[test]
    fn labels_compare_without_case_beyond_ascii() {
        let map = SpeakerMap::parse("Åse=agent").unwrap();
        assert_eq!(map.role("åSE"), Some(Role::Agent));
        assert_eq!(map.role("Ase"), None);
    }

    #[test]
    fn insert_replaces_an_entry() {
        let mut map = SpeakerMap::default();
        map.insert("Rep", Role::Agent);
        map.insert(" rep", Role::Customer);
        assert_eq!(map.role("REP"), Some(Role::Customer));
        assert_eq!(map.entries.len(), 1);
    }

    #[test]
    fn empty_spec_is_an_empty_map() {
        assert!(SpeakerMap::parse("").unwrap().is_empty());
        assert!(SpeakerMap::parse(" , ,").unwrap().is_empty());
    }

    #[test]
    fn repeating_an_entry_with_the_same_role_is_fine() {
        let map = SpeakerMap::parse("Rep=agent,rep=agent").unwrap();
        assert_eq!(map.role("Rep"), Some(Role::Agent));
    }

    #[test]
    fn errors_name_the_entry() {
        let cases = [
            (
                "A=agent,Rep",
                "speaker map entry \"Rep\" has no \"=\" (expected LABEL=ROLE, e.g. Rep=agent)",
            ),
            ("A=agent, =customer", "speaker map entry \"=customer\" has an empty label"),
            (
                "Rep=boss",
                "speaker map entry \"Rep=boss\" names unknown role \"boss\" \
                 (expected agent, customer or unknown)",
            ),
            (
                "Rep=",
                "speaker map entry \"Rep=\" names unknown role \"\" (expected agent, customer or unknown)",
            ),
            (
                "Rep=agent,REP=customer",
                "speaker map entry \"REP=customer\" maps \"REP\" to a second role",
            ),
        ];
        for (spec, expected) in cases {
            let error = SpeakerMap::parse(spec).unwrap_err();
            assert_eq!(error.to_string(), expected, "spec {spec:?}");
        }
    }
}

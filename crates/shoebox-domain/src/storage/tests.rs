use proptest::prelude::*;

use super::*;

#[test]
fn keys_of_nested_safe_segments_parse() {
    for raw in [
        "a",
        "originals/0190b7e2/photo.jpg",
        "backups/2026/01/02/2026-01-02T03-04-05Z.dump",
        "x/.hidden/a..b/-dash_/v1.2",
    ] {
        let key = ObjectKey::parse(raw).unwrap();
        assert_eq!(key.as_str(), raw);
        assert_eq!(key.to_string(), raw);
    }
}

#[test]
fn unsafe_keys_are_refused_with_the_reason() {
    let long = "a".repeat(MAX_KEY_LENGTH + 1);
    for (raw, expected) in [
        ("", InvalidObjectKey::Empty),
        (long.as_str(), InvalidObjectKey::TooLong),
        ("/abs", InvalidObjectKey::EmptySegment),
        ("trailing/", InvalidObjectKey::EmptySegment),
        ("a//b", InvalidObjectKey::EmptySegment),
        ("a/../b", InvalidObjectKey::DotSegment),
        ("..", InvalidObjectKey::DotSegment),
        ("./a", InvalidObjectKey::DotSegment),
        ("a b", InvalidObjectKey::ForbiddenCharacter(' ')),
        ("a\\b", InvalidObjectKey::ForbiddenCharacter('\\')),
        ("a#1", InvalidObjectKey::ForbiddenCharacter('#')),
        ("é", InvalidObjectKey::ForbiddenCharacter('é')),
        ("a%2Fb", InvalidObjectKey::ForbiddenCharacter('%')),
    ] {
        assert_eq!(ObjectKey::parse(raw), Err(expected), "{raw:?}");
    }
}

#[test]
fn the_longest_allowed_key_parses() {
    let longest = "a".repeat(MAX_KEY_LENGTH);
    assert!(ObjectKey::parse(&longest).is_ok());
}

#[test]
fn join_appends_validated_segments() {
    let base = ObjectKey::parse("users/7").unwrap();
    assert_eq!(base.join("avatar").unwrap().as_str(), "users/7/avatar");
    assert_eq!(base.join("a/b").unwrap().as_str(), "users/7/a/b");
    assert_eq!(base.join(""), Err(InvalidObjectKey::EmptySegment));
    assert_eq!(base.join(".."), Err(InvalidObjectKey::DotSegment));
    assert_eq!(base.join("/x"), Err(InvalidObjectKey::EmptySegment));
    assert_eq!(
        base.join("a b"),
        Err(InvalidObjectKey::ForbiddenCharacter(' '))
    );
    assert_eq!(base.join("b").unwrap().file_name(), "b");
}

#[test]
fn prefixes_follow_key_rules_but_may_be_empty() {
    assert!(ObjectPrefix::parse("").unwrap().is_everything());
    assert_eq!(ObjectPrefix::parse("users/7").unwrap().as_str(), "users/7");
    assert_eq!(
        ObjectPrefix::parse("users/"),
        Err(InvalidObjectKey::EmptySegment)
    );
    assert_eq!(ObjectPrefix::parse(".."), Err(InvalidObjectKey::DotSegment));
}

#[test]
fn prefixes_cover_whole_segments_only() {
    let key = |raw| ObjectKey::parse(raw).unwrap();
    let prefix = ObjectPrefix::parse("users/1").unwrap();
    assert!(prefix.covers(&key("users/1/avatar")));
    assert!(prefix.covers(&key("users/1/a/b/c")));
    assert!(!prefix.covers(&key("users/12/avatar")));
    assert!(!prefix.covers(&key("users/1")));
    assert!(!prefix.covers(&key("other/users/1/x")));
    assert!(ObjectPrefix::everything().covers(&key("anything")));
    assert!(ObjectPrefix::from(key("users/1")).covers(&key("users/1/x")));
}

fn from_to(start: u64, end_inclusive: u64) -> ByteRange {
    ByteRange::FromTo {
        start,
        end_inclusive,
    }
}

#[test]
fn ranges_resolve_as_rfc_9110_says() {
    let size = 10_000;
    // The RFC's own examples (§14.1.2) for a 10000-byte representation.
    assert_eq!(from_to(0, 499).resolve(size), Ok(0..500));
    assert_eq!(from_to(500, 999).resolve(size), Ok(500..1000));
    assert_eq!(
        ByteRange::Suffix { length: 500 }.resolve(size),
        Ok(9500..10_000)
    );
    assert_eq!(
        ByteRange::From { start: 9500 }.resolve(size),
        Ok(9500..10_000)
    );
    assert_eq!(from_to(0, 0).resolve(size), Ok(0..1));
    assert_eq!(
        ByteRange::Suffix { length: 1 }.resolve(size),
        Ok(9999..10_000)
    );
    // The end is clamped to the last byte.
    assert_eq!(from_to(9000, 20_000).resolve(size), Ok(9000..10_000));
    assert_eq!(from_to(0, u64::MAX).resolve(size), Ok(0..10_000));
    // A suffix longer than the object is the whole object.
    assert_eq!(
        ByteRange::Suffix { length: 20_000 }.resolve(size),
        Ok(0..10_000)
    );
    assert_eq!(
        ByteRange::Suffix { length: u64::MAX }.resolve(size),
        Ok(0..10_000)
    );
}

#[test]
fn unsatisfiable_ranges_report_the_size() {
    let size = 10;
    let refused = Err(UnsatisfiableRange { size });
    assert_eq!(from_to(10, 20).resolve(size), refused);
    assert_eq!(from_to(5, 4).resolve(size), refused);
    assert_eq!(ByteRange::From { start: 10 }.resolve(size), refused);
    assert_eq!(ByteRange::From { start: u64::MAX }.resolve(size), refused);
    assert_eq!(ByteRange::Suffix { length: 0 }.resolve(size), refused);
    assert_eq!(
        from_to(0, 0).resolve(0),
        Err(UnsatisfiableRange { size: 0 })
    );
    assert_eq!(
        ByteRange::From { start: 0 }.resolve(0),
        Err(UnsatisfiableRange { size: 0 })
    );
}

#[test]
fn a_suffix_of_an_empty_object_is_the_empty_range() {
    assert_eq!(ByteRange::Suffix { length: 5 }.resolve(0), Ok(0..0));
}

fn any_range() -> impl Strategy<Value = ByteRange> {
    prop_oneof![
        (any::<u64>(), any::<u64>())
            .prop_map(|(start, end_inclusive)| from_to(start, end_inclusive)),
        (0u64..2000, 0u64..2000).prop_map(|(start, end_inclusive)| from_to(start, end_inclusive)),
        any::<u64>().prop_map(|start| ByteRange::From { start }),
        (0u64..2000).prop_map(|start| ByteRange::From { start }),
        any::<u64>().prop_map(|length| ByteRange::Suffix { length }),
        (0u64..2000).prop_map(|length| ByteRange::Suffix { length }),
    ]
}

/// The bytes a range selects, computed the slow way: byte by byte.
fn selected_by_model(range: ByteRange, size: u64) -> Vec<u64> {
    (0..size)
        .filter(|&byte| match range {
            ByteRange::FromTo {
                start,
                end_inclusive,
            } => start <= byte && byte <= end_inclusive,
            ByteRange::From { start } => start <= byte,
            ByteRange::Suffix { length } => size - byte <= length,
        })
        .collect()
}

proptest! {
    #[test]
    fn resolved_ranges_lie_inside_the_object(range in any_range(), size in any::<u64>()) {
        match range.resolve(size) {
            Ok(resolved) => {
                prop_assert!(resolved.start <= resolved.end);
                prop_assert!(resolved.end <= size);
                prop_assert!(!resolved.is_empty() || size == 0);
            }
            Err(error) => prop_assert_eq!(error.size, size),
        }
    }

    #[test]
    fn resolve_selects_exactly_the_requested_bytes(range in any_range(), size in 0u64..1500) {
        let model = selected_by_model(range, size);
        match range.resolve(size) {
            Ok(resolved) => prop_assert_eq!(resolved.collect::<Vec<_>>(), model),
            Err(_) => prop_assert!(
                model.is_empty(),
                "refused a range that selects {} bytes", model.len()
            ),
        }
    }

    #[test]
    fn parsed_keys_round_trip_and_are_safe(raw in "[A-Za-z0-9._/-]{1,40}") {
        if let Ok(key) = ObjectKey::parse(&raw) {
            prop_assert_eq!(key.as_str(), raw.as_str());
            prop_assert!(!key.as_str().starts_with('/'));
            prop_assert!(key.as_str().split('/').all(|s| !s.is_empty() && s != "." && s != ".."));
        }
    }
}

//! XMP: location properties blanked with spaces, in place. XMP packets are
//! padded with whitespace for in-place edits, so spaces where a property was
//! leave a valid packet of the same length.
//!
//! A property is location when its local name (any prefix: prefixes are the
//! writer's choice) starts with "GPS" (exif:GPSLatitude, exifEX:GPS...) or is
//! one of [`LOCATION_NAMES`] (photoshop:City/State/Country, the IPTC Core
//! Location and CountryCode, the IPTC Extension LocationShown/Created
//! structures). Matching by local name alone may blank a same-named property
//! of another schema; for location, erring that way is the right way.
//!
//! The packet is read by a small tolerant tokenizer (tags, attributes,
//! comments, processing instructions, CDATA), not an XML library: only the
//! byte ranges matter, and nothing is ever rewritten but with spaces. If the
//! packet does not tokenize (unbalanced tags, UTF-16, garbage) and mentions
//! anything like a location, the whole packet is blanked.

use std::ops::Range;

const LOCATION_NAMES: [&[u8]; 12] = [
    b"City",
    b"State",
    b"Country",
    b"CountryCode",
    b"CountryName",
    b"ProvinceState",
    b"Sublocation",
    b"WorldRegion",
    b"Location",
    b"LocationShown",
    b"LocationCreated",
    b"LocationDetails",
];

/// Words that, in a packet that cannot be read, may be location.
const SUSPECT_WORDS: [&[u8]; 7] = [
    b"gps",
    b"latitude",
    b"longitude",
    b"city",
    b"state",
    b"country",
    b"location",
];

fn is_location(name: &[u8]) -> bool {
    let local = name
        .iter()
        .rposition(|&byte| byte == b':')
        .map_or(name, |colon| &name[colon + 1..]);
    local.starts_with(b"GPS") || LOCATION_NAMES.contains(&local)
}

/// Blanks location in `packet`; returns whether there was any.
pub(crate) fn scrub(packet: &mut [u8]) -> bool {
    match location_ranges(packet) {
        Some(ranges) => {
            for range in &ranges {
                packet[range.clone()].fill(b' ');
            }
            !ranges.is_empty()
        }
        None if mentions_location(packet) => {
            packet.fill(b' ');
            true
        }
        None => false,
    }
}

fn mentions_location(packet: &[u8]) -> bool {
    // NULs dropped so that UTF-16 and UTF-32 text is searched too.
    let text: Vec<u8> = packet
        .iter()
        .filter(|&&byte| byte != 0)
        .map(u8::to_ascii_lowercase)
        .collect();
    SUSPECT_WORDS
        .iter()
        .any(|word| memchr::memmem::find(&text, word).is_some())
}

fn find(text: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(text.get(from..)?, needle).map(|at| from + at)
}

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b':' | b'_' | b'-' | b'.') || byte >= 0x80
}

/// A start tag: its name, the ranges of its location attributes (from the
/// whitespace before each to its closing quote), where it ends, and whether
/// it closes itself.
struct StartTag {
    name: Range<usize>,
    location_attributes: Vec<Range<usize>>,
    end: usize,
    self_closing: bool,
}

fn name_end(text: &[u8], from: usize) -> usize {
    text.get(from..)
        .and_then(|rest| rest.iter().position(|&byte| !is_name_byte(byte)))
        .map_or(text.len(), |length| from + length)
}

fn skip_space(text: &[u8], mut at: usize) -> usize {
    while text.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

fn start_tag(text: &[u8], open: usize) -> Option<StartTag> {
    let name = open + 1..name_end(text, open + 1);
    if name.is_empty() {
        return None;
    }
    let mut location_attributes = Vec::new();
    let mut at = name.end;
    loop {
        let before_space = at;
        at = skip_space(text, at);
        match *text.get(at)? {
            b'>' => {
                return Some(StartTag {
                    name,
                    location_attributes,
                    end: at + 1,
                    self_closing: false,
                });
            }
            b'/' if text.get(at + 1) == Some(&b'>') => {
                return Some(StartTag {
                    name,
                    location_attributes,
                    end: at + 2,
                    self_closing: true,
                });
            }
            _ => {}
        }
        // An attribute needs whitespace before it.
        if at == before_space {
            return None;
        }
        let attribute = at..name_end(text, at);
        if attribute.is_empty() {
            return None;
        }
        at = skip_space(text, attribute.end);
        if text.get(at) != Some(&b'=') {
            return None;
        }
        at = skip_space(text, at + 1);
        let quote = *text
            .get(at)
            .filter(|&&byte| byte == b'"' || byte == b'\'')?;
        let close = at + 1 + memchr::memchr(quote, text.get(at + 1..)?)?;
        at = close + 1;
        if is_location(&text[attribute]) {
            location_attributes.push(before_space..at);
        }
    }
}

/// The byte ranges holding location, or `None` when the packet does not
/// tokenize.
fn location_ranges(text: &[u8]) -> Option<Vec<Range<usize>>> {
    let mut ranges = Vec::new();
    // Open elements: name, and where it starts if it is a location property.
    let mut open: Vec<(Range<usize>, Option<usize>)> = Vec::new();
    // Open location elements, counted so that each tag costs the same
    // however deep the nesting (a hostile packet can nest a million deep).
    let mut open_locations = 0usize;
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', text.get(at..)?) {
        let tag = at + found;
        let rest = &text[tag..];
        at = if rest.starts_with(b"<?") {
            find(text, tag, b"?>")? + 2
        } else if rest.starts_with(b"<!--") {
            find(text, tag, b"-->")? + 3
        } else if rest.starts_with(b"<![CDATA[") {
            find(text, tag, b"]]>")? + 3
        } else if rest.starts_with(b"<!") {
            find(text, tag, b">")? + 1
        } else if rest.starts_with(b"</") {
            let name = tag + 2..name_end(text, tag + 2);
            let end = skip_space(text, name.end);
            if text.get(end) != Some(&b'>') {
                return None;
            }
            let (opened, location_start) = open.pop()?;
            if text[opened] != text[name] {
                return None;
            }
            if let Some(start) = location_start {
                open_locations -= 1;
                ranges.push(start..end + 1);
            }
            end + 1
        } else {
            let start = start_tag(text, tag)?;
            let inside_location = open_locations > 0;
            let location = !inside_location && is_location(&text[start.name.clone()]);
            if location && start.self_closing {
                ranges.push(tag..start.end);
            } else if !inside_location && !location {
                ranges.extend(start.location_attributes);
            }
            if !start.self_closing {
                open_locations += usize::from(location);
                open.push((start.name, location.then_some(tag)));
            }
            start.end
        };
    }
    open.is_empty().then_some(ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scrubbed(text: &str) -> (bool, String) {
        let mut bytes = text.as_bytes().to_vec();
        let changed = scrub(&mut bytes);
        assert_eq!(bytes.len(), text.len());
        (changed, String::from_utf8(bytes).unwrap())
    }

    #[test]
    fn blanks_location_attributes_and_elements_only() {
        let text = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description rdf:about="" exif:GPSLatitude="51,30.0N" xmp:Rating='3' exif:GPSLongitude = "0,7.5W"/><rdf:Description><photoshop:City>London</photoshop:City><Iptc4xmpExt:LocationShown><rdf:Bag><rdf:li><Iptc4xmpExt:City>London</Iptc4xmpExt:City></rdf:li></rdf:Bag></Iptc4xmpExt:LocationShown><dc:title>Bridge</dc:title><exif:GPSAltitude rdf:resource="x"/></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#;
        let (changed, after) = scrubbed(text);
        assert!(changed);
        for gone in ["GPS", "London", "City", "Location"] {
            assert!(!after.contains(gone), "{gone} in {after}");
        }
        for kept in [
            "xmp:Rating='3'",
            "<dc:title>Bridge</dc:title>",
            "<rdf:Description rdf:about=\"\"",
            "<?xpacket end=\"w\"?>",
        ] {
            assert!(after.contains(kept), "{kept} not in {after}");
        }
        assert_eq!(location_ranges(after.as_bytes()), Some(Vec::new()));
    }

    #[test]
    fn packets_without_location_are_left_alone() {
        let text = r#"<x:xmpmeta><rdf:RDF><rdf:Description xmp:CreatorTool="Shoebox"><!-- a <comment> --><dc:title><![CDATA[<b>]]></dc:title></rdf:Description></rdf:RDF></x:xmpmeta>  "#;
        assert_eq!(scrubbed(text), (false, text.to_owned()));
    }

    #[test]
    fn unreadable_packets_that_may_hold_location_are_blanked() {
        let (changed, after) = scrubbed("<a><exif:GPSLatitude>51</b></a>");
        assert!(changed);
        assert!(after.trim().is_empty());
        let (changed, after) = scrubbed("<a><b x=unquoted>City</b></a>");
        assert!(changed);
        assert!(after.trim().is_empty());
        assert!(!scrubbed("<a><b>").0);
    }
}

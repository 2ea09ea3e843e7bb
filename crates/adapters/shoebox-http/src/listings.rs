//! Album pages as sent: serialised once per tag, then answered from memory
//! while the tag stands, and named by an ETag so that browsers revalidate
//! with `If-None-Match` and get a 304.
//!
//! The use case decides whether a held answer is current (it reads the
//! album, whose revision moves with anything the page shows); this module
//! only keeps bodies and translates tags to and from ETags.

use std::sync::Arc;

use actix_web::{HttpRequest, http::header};
use bytes::Bytes;
use quick_cache::{Weighter, sync::Cache};
use shoebox_domain::{
    albums::{AlbumId, AlbumPageTag},
    page::PageRequest,
};
use uuid::Uuid;

/// Bumped whenever the JSON of a page changes shape, so that a browser's
/// copy from an older release is not taken for current.
const REPRESENTATION: u32 = 1;

/// One page of one album for one kind of viewer; the revision is the value's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Slot {
    album: AlbumId,
    after: Option<Uuid>,
    limit: u32,
    with_location: bool,
}

impl Slot {
    fn of(tag: &AlbumPageTag) -> Self {
        Self {
            album: tag.album,
            after: tag.after,
            limit: tag.limit,
            with_location: tag.with_location,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct BodyWeighter;

impl Weighter<Slot, (AlbumPageTag, Bytes)> for BodyWeighter {
    fn weight(&self, _slot: &Slot, (_, body): &(AlbumPageTag, Bytes)) -> u64 {
        body.len() as u64 + 64
    }
}

type Bodies = Cache<Slot, (AlbumPageTag, Bytes), BodyWeighter>;

/// The newest body of each page slot, bounded in bytes; shared by clones.
#[derive(Clone)]
pub struct ListingCache(Option<Arc<Bodies>>);

/// Bodies of a typical size, for the cache's initial sizing.
const TYPICAL_BODY_BYTES: u64 = 32 * 1024;

impl ListingCache {
    /// A cache of at most `max_bytes` of bodies; 0 keeps none.
    pub fn new(max_bytes: u64) -> Self {
        Self((max_bytes > 0).then(|| {
            let bodies = usize::try_from((max_bytes / TYPICAL_BODY_BYTES).max(1)).unwrap_or(1);
            Arc::new(Cache::with_weighter(bodies, max_bytes, BodyWeighter))
        }))
    }

    /// The bodies held for `page` of `album`, for either kind of viewer.
    pub(crate) fn held(&self, album: AlbumId, page: PageRequest) -> Vec<(AlbumPageTag, Bytes)> {
        let Some(cache) = &self.0 else {
            return Vec::new();
        };
        [false, true]
            .into_iter()
            .filter_map(|with_location| {
                cache.get(&Slot {
                    album,
                    after: page.after(),
                    limit: page.limit(),
                    with_location,
                })
            })
            .collect()
    }

    /// Keeps `body` as the answer for `tag`, replacing an older revision's.
    pub(crate) fn keep(&self, tag: AlbumPageTag, body: Bytes) {
        if let Some(cache) = &self.0 {
            cache.insert(Slot::of(&tag), (tag, body));
        }
    }
}

impl std::fmt::Debug for ListingCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(cache) => f
                .debug_struct("ListingCache")
                .field("bodies", &cache.len())
                .field("bytes", &cache.weight())
                .finish(),
            None => f.write_str("ListingCache(off)"),
        }
    }
}

/// The ETag of a page: the revision and the kind of viewer (the URL names
/// the album and the page).
pub(crate) fn etag(tag: &AlbumPageTag) -> String {
    let viewer = if tag.with_location { "o" } else { "m" };
    format!("\"p{REPRESENTATION}-{}-{viewer}\"", tag.revision)
}

/// The tags the request's `If-None-Match` names for `page` of `album`.
pub(crate) fn client_tags(
    request: &HttpRequest,
    album: AlbumId,
    page: PageRequest,
) -> Vec<AlbumPageTag> {
    request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|candidate| parse_etag(candidate.trim().trim_start_matches("W/")))
        .map(|(revision, with_location)| AlbumPageTag {
            album,
            revision,
            after: page.after(),
            limit: page.limit(),
            with_location,
        })
        .collect()
}

fn parse_etag(raw: &str) -> Option<(u64, bool)> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    let rest = inner.strip_prefix(&format!("p{REPRESENTATION}-"))?;
    let (revision, viewer) = rest.rsplit_once('-')?;
    let with_location = match viewer {
        "o" => true,
        "m" => false,
        _ => return None,
    };
    Some((revision.parse().ok()?, with_location))
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn tag(revision: u64, with_location: bool) -> AlbumPageTag {
        AlbumPageTag {
            album: AlbumId::new(),
            revision,
            after: None,
            limit: 50,
            with_location,
        }
    }

    #[test]
    fn etags_read_back_as_the_tags_they_name() {
        let owner = tag(42, true);
        let page = PageRequest::new(Some(50), None);
        let request = TestRequest::default()
            .insert_header((header::IF_NONE_MATCH, format!("\"x\", W/{}", etag(&owner))))
            .to_http_request();
        assert_eq!(client_tags(&request, owner.album, page), vec![owner]);
        for foreign in ["\"p0-42-o\"", "\"p1-42-x\"", "p1-42-o", "\"p1--o\"", "*"] {
            assert_eq!(parse_etag(foreign), None, "{foreign}");
        }
    }

    #[test]
    fn a_newer_revision_replaces_the_slot_s_body() {
        let cache = ListingCache::new(1024 * 1024);
        let old = tag(1, false);
        let page = PageRequest::new(Some(50), None);
        cache.keep(old, Bytes::from_static(b"old"));
        let new = AlbumPageTag { revision: 2, ..old };
        cache.keep(new, Bytes::from_static(b"new"));
        assert_eq!(
            cache.held(old.album, page),
            vec![(new, Bytes::from_static(b"new"))]
        );
        let owner = AlbumPageTag {
            with_location: true,
            ..new
        };
        cache.keep(owner, Bytes::from_static(b"owner's"));
        assert_eq!(cache.held(old.album, page).len(), 2);
        assert!(ListingCache::new(0).held(old.album, page).is_empty());
    }
}

//! Album pages kept in memory under their album's revision.
//!
//! A listing first reads its album (the access check needs it anyway), and
//! with it the album's revision; triggers move the revision whenever anything
//! the listing shows changes, whichever process or replica changes it. So a
//! page stored under (album, revision, cursor, limit) is exactly what the
//! database would answer for as long as that revision stands, and a newer
//! revision simply misses: nothing is ever invalidated, stale entries age
//! out. Pages hold every photo's fields; what a viewer may see of them is
//! decided above, per request.

use std::sync::Arc;

use quick_cache::{Weighter, sync::Cache};
use shoebox_domain::{page::Page, photos::Photo};
use uuid::Uuid;

/// One page of one album at one revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct PageKey {
    pub(crate) album: Uuid,
    pub(crate) revision: u64,
    pub(crate) after: Option<Uuid>,
    pub(crate) limit: u32,
}

/// A page weighs its photos (and one for the page itself).
#[derive(Debug, Clone, Copy)]
struct PhotosWeighter;

impl Weighter<PageKey, Arc<Page<Photo>>> for PhotosWeighter {
    fn weight(&self, _key: &PageKey, page: &Arc<Page<Photo>>) -> u64 {
        page.items.len() as u64 + 1
    }
}

/// The cache, shared by clones; `None` when configured to keep nothing.
type Pages = Cache<PageKey, Arc<Page<Photo>>, PhotosWeighter>;

#[derive(Clone)]
pub(crate) struct AlbumPageCache(Option<Arc<Pages>>);

/// Pages of a typical size, for the cache's initial sizing.
const TYPICAL_PAGE_PHOTOS: u64 = 50;

impl AlbumPageCache {
    /// A cache holding about `photos` photos' worth of pages; 0 holds none.
    pub(crate) fn new(photos: u64) -> Self {
        Self((photos > 0).then(|| {
            let pages =
                usize::try_from((photos / TYPICAL_PAGE_PHOTOS).max(1)).unwrap_or(usize::MAX);
            Arc::new(Cache::with_weighter(pages, photos, PhotosWeighter))
        }))
    }

    pub(crate) fn get(&self, key: &PageKey) -> Option<Page<Photo>> {
        let page = self.0.as_ref()?.get(key)?;
        Some(Page::clone(&page))
    }

    pub(crate) fn insert(&self, key: PageKey, page: &Page<Photo>) {
        if let Some(cache) = &self.0 {
            cache.insert(key, Arc::new(page.clone()));
        }
    }
}

impl std::fmt::Debug for AlbumPageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(cache) => f
                .debug_struct("AlbumPageCache")
                .field("pages", &cache.len())
                .field("photos", &cache.weight())
                .field("capacity", &cache.capacity())
                .finish(),
            None => f.write_str("AlbumPageCache(off)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(revision: u64) -> PageKey {
        PageKey {
            album: Uuid::nil(),
            revision,
            after: None,
            limit: 50,
        }
    }

    fn page(cursor: Option<Uuid>) -> Page<Photo> {
        Page {
            items: Vec::new(),
            next_cursor: cursor,
        }
    }

    #[test]
    fn a_page_is_found_only_under_its_revision() {
        let cache = AlbumPageCache::new(100);
        let next = Some(Uuid::from_u128(7));
        cache.insert(key(3), &page(next));
        assert_eq!(cache.get(&key(3)).map(|p| p.next_cursor), Some(next));
        assert!(cache.get(&key(4)).is_none(), "a newer revision misses");
        assert!(
            cache
                .get(&PageKey {
                    limit: 10,
                    ..key(3)
                })
                .is_none()
        );
    }

    #[test]
    fn a_cache_of_size_zero_keeps_nothing() {
        let cache = AlbumPageCache::new(0);
        cache.insert(key(1), &page(None));
        assert!(cache.get(&key(1)).is_none());
    }
}

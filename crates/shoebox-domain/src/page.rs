//! Keyset ("cursor") pagination shared by every listing.

use uuid::Uuid;

/// The largest page any listing returns, whatever the client asks for.
pub const MAX_PAGE_SIZE: u32 = 200;
/// The page size when the client does not ask for one.
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// Which page of a listing to return: up to `limit` items strictly after `after`.
///
/// Identifiers are UUIDv7, so ordering by identifier is ordering by creation time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    limit: u32,
    after: Option<Uuid>,
}

impl PageRequest {
    /// Clamps `limit` into `1..=MAX_PAGE_SIZE`; `None` means the default size.
    pub fn new(limit: Option<u32>, after: Option<Uuid>) -> Self {
        let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE);
        Self { limit, after }
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    pub fn after(&self) -> Option<Uuid> {
        self.after
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(None, None)
    }
}

/// One page of results and the cursor of the next page, if there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<Uuid>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows fetched in order: the extra row,
    /// when present, proves there is a next page and is dropped.
    pub fn from_overfetched(
        mut rows: Vec<T>,
        request: PageRequest,
        id_of: impl Fn(&T) -> Uuid,
    ) -> Self {
        let limit = request.limit() as usize;
        if rows.len() > limit {
            rows.truncate(limit);
            let next_cursor = rows.last().map(&id_of);
            Self {
                items: rows,
                next_cursor,
            }
        } else {
            Self {
                items: rows,
                next_cursor: None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_is_clamped_and_defaulted() {
        assert_eq!(PageRequest::new(None, None).limit(), DEFAULT_PAGE_SIZE);
        assert_eq!(PageRequest::new(Some(0), None).limit(), 1);
        assert_eq!(PageRequest::new(Some(10_000), None).limit(), MAX_PAGE_SIZE);
    }

    #[test]
    fn overfetched_rows_give_a_cursor_only_when_more_exist() {
        let ids: Vec<Uuid> = (0..4).map(|_| Uuid::now_v7()).collect();
        let request = PageRequest::new(Some(3), None);
        let page = Page::from_overfetched(ids.clone(), request, |id| *id);
        assert_eq!(page.items, ids[..3]);
        assert_eq!(page.next_cursor, Some(ids[2]));

        let page = Page::from_overfetched(ids[..3].to_vec(), request, |id| *id);
        assert_eq!(page.items.len(), 3);
        assert_eq!(page.next_cursor, None);
    }
}

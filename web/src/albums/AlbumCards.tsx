import { useCallback, useEffect, useState } from "react";
import { ErrorMessage } from "../components/ErrorMessage";
import { Link } from "../components/Link";
import { fetchAlbums, photoCount, visibilityLabel, type Album } from "./albums";

interface Listing {
  items: Album[];
  /** `undefined` before the first page, `null` after the last. */
  cursor: string | null | undefined;
  loading: boolean;
  error: unknown;
}

/** Albums a page at a time: the member's own, or every album they can see. */
export function useAlbumListing(owned: boolean) {
  const [listing, setListing] = useState<Listing>({ items: [], cursor: undefined, loading: true, error: null });

  const load = useCallback(
    async (cursor: string | undefined, live: () => boolean = () => true) => {
      setListing((previous) => ({ ...previous, loading: true, error: null }));
      try {
        const page = await fetchAlbums(owned, cursor);
        if (live()) {
          setListing((previous) => {
            const known = new Set(previous.items.map((album) => album.id));
            const items = cursor === undefined ? page.items : [...previous.items, ...page.items.filter((album) => !known.has(album.id))];
            return { items, cursor: page.next_cursor ?? null, loading: false, error: null };
          });
        }
      } catch (caught) {
        if (live()) {
          setListing((previous) => ({ ...previous, loading: false, error: caught }));
        }
      }
    },
    [owned],
  );

  useEffect(() => {
    let live = true;
    void load(undefined, () => live);
    return () => {
      live = false;
    };
  }, [load]);

  const more = () => {
    if (typeof listing.cursor === "string") {
      void load(listing.cursor);
    } else if (listing.cursor === undefined) {
      void load(undefined);
    }
  };
  return { ...listing, more };
}

function Cover({ album }: { album: Album }) {
  if (!album.cover_photo_id) {
    return <span className="album-cover empty-cover" aria-hidden="true" />;
  }
  // The title next to it names the link; the cover is decoration.
  return <img className="album-cover" src={`/api/v1/photos/${encodeURIComponent(album.cover_photo_id)}/thumbnail`} alt="" loading="lazy" />;
}

/** Albums as cards with their cover, each opening the album; "Show more" loads the next page. */
export function AlbumCards({
  listing,
  filter,
  empty,
  label,
}: {
  listing: ReturnType<typeof useAlbumListing>;
  filter?: (album: Album) => boolean;
  empty: React.ReactNode;
  label: string;
}) {
  const shown = filter ? listing.items.filter(filter) : listing.items;
  const done = listing.cursor === null;
  return (
    <>
      {done && shown.length === 0 && listing.error === null && <div className="empty">{empty}</div>}
      {shown.length > 0 && (
        <ul className="album-cards" aria-label={label}>
          {shown.map((album) => (
            <li key={album.id}>
              <Link href={`/albums/${encodeURIComponent(album.id)}`} className="album-card">
                <Cover album={album} />
                <span className="album-card-title">{album.title}</span>
                <span className="hint">
                  {photoCount(album.photo_count)} · {visibilityLabel(album.visibility)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={listing.error} />
      {listing.loading ? (
        <p aria-live="polite">Loading albums…</p>
      ) : (
        (!done || listing.error !== null) && (
          <button type="button" onClick={listing.more}>
            {listing.error !== null ? "Try again" : "Show more albums"}
          </button>
        )
      )}
    </>
  );
}

import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import type { components } from "../api/schema";
import { ErrorMessage } from "../components/ErrorMessage";
import { Link } from "../components/Link";

type Photo = components["schemas"]["PhotoResponse"];

const PAGE_SIZE = 60;

/** The member's photos, newest first, loading the next page as the end scrolls into view. */
export function Gallery() {
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const done = cursor === null;

  const loadMore = useCallback(async () => {
    if (loading || done || error !== null) {
      return;
    }
    setLoading(true);
    try {
      const { data } = await api.GET("/api/v1/photos", {
        params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
      });
      if (data) {
        setPhotos((previous) => [...previous, ...data.items]);
        setCursor(data.next_cursor ?? null);
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  }, [cursor, done, error, loading]);

  useEffect(() => {
    const target = sentinel.current;
    if (!target || done) {
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        void loadMore();
      }
    });
    observer.observe(target);
    return () => {
      observer.disconnect();
    };
  }, [loadMore, done]);

  return (
    <section>
      <h1>Photos</h1>
      {done && photos.length === 0 && (
        <p className="empty">
          No photos yet. <Link href="/upload">Upload your first ones</Link>.
        </p>
      )}
      <ul className="grid" aria-label="Photos">
        {photos.map((photo) => (
          <li key={photo.id}>
            <img
              src={`/api/v1/photos/${photo.id}/thumbnail`}
              alt={photo.caption ?? photo.original_name ?? "Photo"}
              loading="lazy"
              width={photo.width}
              height={photo.height}
            />
          </li>
        ))}
      </ul>
      <ErrorMessage error={error} />
      {error !== null && (
        <button
          type="button"
          onClick={() => {
            setError(null);
          }}
        >
          Try again
        </button>
      )}
      {!done && <div ref={sentinel} className="sentinel" aria-hidden="true" />}
      {loading && <p aria-live="polite">Loading photos…</p>}
    </section>
  );
}

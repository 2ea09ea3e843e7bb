import { useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { ErrorMessage } from "../components/ErrorMessage";
import { Link } from "../components/Link";
import { clearReturn, peekReturn, photoListFor, type Photo, type PhotoList } from "./photoList";
import { fetchPhoto, PROCESSING_POLL_MS } from "./usePhoto";
import { fileUrl, photoHref, type ListSource } from "./urls";
import "./viewer.css";

/** What a photo is called where it has no caption. */
export function photoName(photo: Photo): string {
  return photo.caption ?? photo.original_name ?? "Untitled photo";
}

/**
 * The list of a grid page: a fresh one, unless the viewer just went back to
 * it; then the pages loaded so far are kept, and the photo it showed.
 */
export function useGridList(source: ListSource): { list: PhotoList; returnTo: string | null } {
  // Both calls are idempotent, as StrictMode runs initialisers twice.
  const [state] = useState(() => {
    const returnTo = peekReturn(source);
    return { list: photoListFor(source, { fresh: returnTo === null }), returnTo };
  });
  useEffect(() => {
    clearReturn();
  }, []);
  return state;
}

function Thumbnail({ source, photo }: { source: ListSource; photo: Photo }) {
  if (photo.status !== "ready") {
    return (
      <span className="thumb-placeholder" role="img" aria-label={`${photoName(photo)} (${photo.status === "failed" ? "failed" : "still processing"})`}>
        {photo.status === "failed" ? "Could not be processed" : "Processing…"}
      </span>
    );
  }
  return (
    <img src={fileUrl(source, photo.id, "thumbnail")} alt={photoName(photo)} loading="lazy" width={photo.width} height={photo.height} />
  );
}

/** At most this many photos still processing are looked at again per round. */
const REFRESH_BATCH = 12;

/** Photos still processing are looked at again every few seconds, so their thumbnails appear by themselves. */
function useProcessingRefresh(list: PhotoList, items: readonly Photo[]) {
  const waiting = items
    .filter((photo) => photo.status === "processing")
    .slice(0, REFRESH_BATCH)
    .map((photo) => photo.id)
    .join(" ");
  useEffect(() => {
    if (waiting === "") {
      return;
    }
    let live = true;
    const timer = window.setInterval(() => {
      for (const id of waiting.split(" ")) {
        fetchPhoto(list.source, id).then(
          ({ data }) => {
            if (live && data && data.status !== "processing") {
              list.replace(data);
            }
          },
          () => {
            // Gone or unreachable: the next listing will tell.
          },
        );
      }
    }, PROCESSING_POLL_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [list, waiting]);
}

/** A thumbnail grid that loads the next page as its end scrolls into view; each photo opens the viewer. */
export function PhotoGrid({ list, returnTo, empty }: { list: PhotoList; returnTo: string | null; empty: ReactNode }) {
  const { items, cursor, loading, error } = useSyncExternalStore(list.subscribe, list.getSnapshot);
  const sentinel = useRef<HTMLDivElement>(null);
  const grid = useRef<HTMLUListElement>(null);
  const done = cursor === null;
  useProcessingRefresh(list, items);

  useEffect(() => {
    const target = sentinel.current;
    if (!target || done || error !== null) {
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        void list.loadMore();
      }
    });
    observer.observe(target);
    return () => {
      observer.disconnect();
    };
  }, [list, done, error, items.length]);

  // Coming back from the viewer, the photo just seen is where the keyboard
  // and the eye are. The shell focuses <main> after a navigation, after this
  // effect, hence the timer; and when the list is still loading, the photo
  // is focused once it arrives (once: later pages do not move the focus).
  const restored = useRef(false);
  useEffect(() => {
    if (returnTo === null || restored.current) {
      return;
    }
    const timer = window.setTimeout(() => {
      const link = grid.current?.querySelector<HTMLAnchorElement>(`a[data-photo-id="${CSS.escape(returnTo)}"]`);
      if (link) {
        restored.current = true;
        link.focus();
        // jsdom lacks it.
        if ("scrollIntoView" in link) {
          link.scrollIntoView({ block: "center" });
        }
      }
    });
    return () => {
      window.clearTimeout(timer);
    };
  }, [returnTo, items.length]);

  return (
    <>
      {done && items.length === 0 && <div className="empty">{empty}</div>}
      <ul className="grid" aria-label="Photos" ref={grid}>
        {items.map((photo) => (
          <li key={photo.id}>
            <Link href={photoHref(list.source, photo.id)} data-photo-id={photo.id} className="thumb-link">
              <Thumbnail source={list.source} photo={photo} />
            </Link>
          </li>
        ))}
      </ul>
      <ErrorMessage error={error} />
      {error !== null && (
        <button type="button" onClick={() => void list.retry()}>
          Try again
        </button>
      )}
      {!done && error === null && <div ref={sentinel} className="sentinel" aria-hidden="true" />}
      <p aria-live="polite" className={loading ? undefined : "visually-hidden"}>
        {loading ? "Loading photos…" : ""}
      </p>
    </>
  );
}

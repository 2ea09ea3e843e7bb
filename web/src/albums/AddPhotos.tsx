import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { api } from "../api/client";
import { ErrorMessage } from "../components/ErrorMessage";
import { Link } from "../components/Link";
import { photoName } from "../viewer/PhotoGrid";
import { PhotoList } from "../viewer/photoList";
import { fileUrl } from "../viewer/urls";

const GALLERY = { kind: "gallery" } as const;

interface Props {
  albumId: string;
  /** Photos already in the album, left out of the choice. */
  inAlbum: ReadonlySet<string>;
  onAdded: (count: number) => void;
  onCancel: () => void;
}

/** Picks photos of the member's gallery to add to an album: a checkbox per thumbnail. */
export function AddPhotos({ albumId, inAlbum, onAdded, onCancel }: Props) {
  // A list of its own, so choosing never disturbs the gallery's cached pages.
  const [list] = useState(() => new PhotoList(GALLERY));
  const { items, cursor, loading, error } = useSyncExternalStore(list.subscribe, list.getSnapshot);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [addError, setAddError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    void list.loadMore();
    heading.current?.focus();
  }, [list]);

  const candidates = items.filter((photo) => !inAlbum.has(photo.id));
  const toggle = (id: string) => {
    setChosen((previous) => {
      const next = new Set(previous);
      if (!next.delete(id)) {
        next.add(id);
      }
      return next;
    });
  };

  const add = async () => {
    setBusy(true);
    setAddError(null);
    try {
      const ids = candidates.filter((photo) => chosen.has(photo.id)).map((photo) => photo.id);
      await api.POST("/api/v1/albums/{id}/photos", { params: { path: { id: albumId } }, body: { photo_ids: ids } });
      onAdded(ids.length);
    } catch (caught) {
      setAddError(caught);
      setBusy(false);
    }
  };

  const done = cursor === null;
  return (
    <section aria-labelledby="add-photos" className="panel">
      <h2 id="add-photos" ref={heading} tabIndex={-1}>
        Add photos
      </h2>
      {done && candidates.length === 0 && (
        <p className="empty">
          {items.length === 0 ? "You have no photos yet. " : "Every one of your photos is in this album already. "}
          <Link href="/upload">Upload some</Link>.
        </p>
      )}
      {candidates.length > 0 && (
        <ul className="picker" aria-label="Your photos">
          {candidates.map((photo) => (
            <li key={photo.id}>
              <label className={chosen.has(photo.id) ? "chosen" : undefined}>
                <input type="checkbox" checked={chosen.has(photo.id)} onChange={() => { toggle(photo.id); }} />
                {photo.status === "ready" ? (
                  <img src={fileUrl(GALLERY, photo.id, "thumbnail")} alt="" loading="lazy" />
                ) : (
                  <span className="thumb-placeholder" aria-hidden="true">
                    Processing…
                  </span>
                )}
                <span className="visually-hidden">{photoName(photo)}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={error} />
      {!done && (
        <button type="button" disabled={loading} onClick={() => void (error === null ? list.loadMore() : list.retry())}>
          {loading ? "Loading photos…" : error === null ? "Show more photos" : "Try again"}
        </button>
      )}
      <ErrorMessage error={addError} />
      <div className="actions">
        <button type="button" disabled={busy || chosen.size === 0} onClick={() => void add()}>
          {busy ? "Adding…" : chosen.size === 1 ? "Add 1 photo" : `Add ${chosen.size} photos`}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </section>
  );
}

import { useEffect, useRef, useState } from "react";
import { ConfirmAction } from "../account/ConfirmAction";
import { api } from "../api/client";
import { ErrorMessage } from "../components/ErrorMessage";
import { photoName } from "../viewer/PhotoGrid";
import { PhotoList, type Photo } from "../viewer/photoList";
import { fileUrl } from "../viewer/urls";
import { moved, type Album } from "./albums";

interface Props {
  album: Album;
  onChanged: (album: Album) => void;
  onDone: () => void;
}

/** Every photo of the album, loaded page by page; the order can only be saved whole. */
function useAllPhotos(albumId: string) {
  const [photos, setPhotos] = useState<Photo[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    const list = new PhotoList({ kind: "album", albumId });
    const loadAll = async () => {
      for (;;) {
        await list.loadMore();
        const { cursor, error: failed, items } = list.getSnapshot();
        if (failed instanceof Error) {
          throw failed;
        }
        if (failed !== null) {
          throw new Error("The album's photos could not be loaded.");
        }
        if (cursor === null) {
          return items;
        }
      }
    };
    loadAll().then(
      (items) => {
        if (live) {
          setPhotos([...items]);
        }
      },
      (caught: unknown) => {
        if (live) {
          setError(caught);
        }
      },
    );
    return () => {
      live = false;
    };
  }, [albumId, attempt]);

  const retry = () => {
    setError(null);
    setAttempt((previous) => previous + 1);
  };
  return { photos, setPhotos, error, retry };
}

/**
 * The album's photos in order, each with buttons to move it, make it the
 * cover or take it out of the album. Every change is saved at once.
 */
export function Organise({ album, onChanged, onDone }: Props) {
  const { photos, setPhotos, error, retry } = useAllPhotos(album.id);
  const [status, setStatus] = useState("");
  const [actionError, setActionError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const move = async (index: number, to: number) => {
    if (photos === null || saving || to < 0 || to >= photos.length) {
      return;
    }
    const before = photos;
    const after = moved(photos, index, to);
    const photo = before[index];
    setPhotos(after);
    setSaving(true);
    setActionError(null);
    try {
      const { data } = await api.PUT("/api/v1/albums/{id}/order", {
        params: { path: { id: album.id } },
        body: { photo_ids: after.map((item) => item.id) },
      });
      if (data) {
        onChanged(data);
      }
      setStatus(`${photo ? photoName(photo) : "The photo"} is now number ${to + 1} of ${after.length}.`);
    } catch (caught) {
      setPhotos(before);
      setActionError(caught);
    }
    setSaving(false);
  };

  const makeCover = async (photo: Photo) => {
    setActionError(null);
    try {
      const { data } = await api.PATCH("/api/v1/albums/{id}", {
        params: { path: { id: album.id } },
        body: { cover_photo_id: photo.id },
      });
      if (data) {
        onChanged(data);
      }
      setStatus(`${photoName(photo)} is the album's cover.`);
    } catch (caught) {
      setActionError(caught);
    }
  };

  const remove = async (photo: Photo) => {
    const { data } = await api.DELETE("/api/v1/albums/{id}/photos", {
      params: { path: { id: album.id } },
      body: { photo_ids: [photo.id] },
    });
    setPhotos((previous) => (previous ?? []).filter((item) => item.id !== photo.id));
    if (data) {
      onChanged(data);
    }
    setStatus(`${photoName(photo)} is out of the album; it stays among your photos.`);
    heading.current?.focus();
  };

  return (
    <section aria-labelledby="organise" className="panel">
      <h2 id="organise" ref={heading} tabIndex={-1}>
        Organise photos
      </h2>
      <p className="hint">Changes are saved as you make them. Removing a photo from the album keeps it among your photos.</p>
      <p role="status" className="hint">
        {status}
      </p>
      <ErrorMessage error={actionError} />
      <ErrorMessage error={error} />
      {error !== null && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
      {photos === null && error === null && <p aria-live="polite">Loading the album's photos…</p>}
      {photos !== null && photos.length === 0 && <p className="empty">The album has no photos.</p>}
      {photos !== null && photos.length > 0 && (
        <ol className="organise-list" aria-label="Photos in album order">
          {photos.map((photo, index) => {
            const name = photoName(photo);
            const cover = album.cover_photo_id === photo.id;
            return (
              <li key={photo.id}>
                {photo.status === "ready" ? (
                  <img src={fileUrl({ kind: "album", albumId: album.id }, photo.id, "thumbnail")} alt="" loading="lazy" />
                ) : (
                  <span className="thumb-placeholder" aria-hidden="true" />
                )}
                <span className="organise-name">
                  {index + 1}. {name}
                  {cover && <span className="badge">Cover</span>}
                </span>
                <span className="buttons">
                  <button
                    type="button"
                    aria-label={`Move earlier: ${name}`}
                    aria-disabled={index === 0 || saving}
                    onClick={() => void move(index, index - 1)}
                  >
                    Move earlier
                  </button>
                  <button
                    type="button"
                    aria-label={`Move later: ${name}`}
                    aria-disabled={index === photos.length - 1 || saving}
                    onClick={() => void move(index, index + 1)}
                  >
                    Move later
                  </button>
                  {!cover && (
                    <button type="button" aria-label={`Make cover: ${name}`} onClick={() => void makeCover(photo)}>
                      Make cover
                    </button>
                  )}
                  <ConfirmAction
                    label="Remove"
                    accessibleLabel={`Remove from album: ${name}`}
                    question={`Take ${name} out of this album? The photo itself stays.`}
                    confirmLabel="Yes, remove"
                    pendingLabel="Removing…"
                    onConfirm={() => remove(photo)}
                  />
                </span>
              </li>
            );
          })}
        </ol>
      )}
      <div className="actions">
        <button type="button" onClick={onDone}>
          Done organising
        </button>
      </div>
    </section>
  );
}

import { useCallback, useEffect, useRef, useState } from "react";
import "../account/account.css";
import { ConfirmAction } from "../account/ConfirmAction";
import { api } from "../api/client";
import { ApiError } from "../api/problem";
import { AddPhotos } from "../albums/AddPhotos";
import { AlbumForm, type AlbumFields } from "../albums/AlbumForm";
import { photoCount, visibilityLabel, type Album } from "../albums/albums";
import "../albums/albums.css";
import { Organise } from "../albums/Organise";
import { ShareLinks } from "../albums/ShareLinks";
import { ErrorMessage } from "../components/ErrorMessage";
import { Link } from "../components/Link";
import { navigate } from "../router";
import { useSession } from "../session";
import { PhotoGrid, useGridList } from "../viewer/PhotoGrid";

type Mode = "view" | "add" | "organise" | "share" | "edit";

const MODES: { mode: Exclude<Mode, "view">; label: string }[] = [
  { mode: "add", label: "Add photos" },
  { mode: "organise", label: "Organise" },
  { mode: "share", label: "Share" },
  { mode: "edit", label: "Edit details" },
];

function useAlbum(albumId: string) {
  const [album, setAlbum] = useState<Album | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    api.GET("/api/v1/albums/{id}", { params: { path: { id: albumId } } }).then(
      ({ data }) => {
        if (live && data) {
          setAlbum(data);
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

  const retry = useCallback(() => {
    setError(null);
    setAttempt((previous) => previous + 1);
  }, []);
  return { album, setAlbum, error, retry };
}

function AlbumPage({ album, setAlbum }: { album: Album; setAlbum: (album: Album) => void }) {
  const { user } = useSession();
  const source = { kind: "album", albumId: album.id } as const;
  const { list, returnTo } = useGridList(source);
  const [mode, setMode] = useState<Mode>("view");
  const [status, setStatus] = useState("");
  const modeButtons = useRef(new Map<Mode, HTMLButtonElement>());
  const lastMode = useRef<Mode>("view");
  const owner = user?.id === album.owner_id;

  // Closing a panel gives focus back to the button that opened it.
  useEffect(() => {
    if (mode === "view" && lastMode.current !== "view") {
      modeButtons.current.get(lastMode.current)?.focus();
    }
    lastMode.current = mode;
  }, [mode]);

  const close = () => {
    setMode("view");
  };

  const photosChanged = (album: Album) => {
    setAlbum(album);
    list.reset();
  };

  const save = async (fields: AlbumFields) => {
    const { data } = await api.PATCH("/api/v1/albums/{id}", { params: { path: { id: album.id } }, body: fields });
    if (data) {
      setAlbum(data);
      setStatus("Album saved.");
      close();
    }
  };

  const allowLinks = async () => {
    const { data } = await api.PATCH("/api/v1/albums/{id}", { params: { path: { id: album.id } }, body: { visibility: "link" } });
    if (data) {
      setAlbum(data);
    }
  };

  const remove = async () => {
    await api.DELETE("/api/v1/albums/{id}", { params: { path: { id: album.id } } });
    navigate("/albums");
  };

  return (
    <section className="album">
      <p>
        <Link href="/albums">← All albums</Link>
      </p>
      <h1>{album.title}</h1>
      <p className="album-meta">
        {photoCount(album.photo_count)} · {owner ? `Visible to: ${visibilityLabel(album.visibility).toLowerCase()}` : "Shared by another member"}
      </p>
      {album.description && <p className="album-description">{album.description}</p>}
      <p role="status" className="hint">
        {status}
      </p>
      {owner && (
        <div className="actions album-actions">
          {MODES.map((entry) => (
            <button
              key={entry.mode}
              ref={(element) => {
                if (element) {
                  modeButtons.current.set(entry.mode, element);
                }
              }}
              type="button"
              aria-expanded={mode === entry.mode}
              onClick={() => {
                setStatus("");
                setMode(mode === entry.mode ? "view" : entry.mode);
              }}
            >
              {entry.label}
            </button>
          ))}
        </div>
      )}
      {owner && mode === "add" && (
        <AddPhotos
          albumId={album.id}
          inAlbum={new Set(list.getSnapshot().items.map((photo) => photo.id))}
          onAdded={(count) => {
            void api.GET("/api/v1/albums/{id}", { params: { path: { id: album.id } } }).then(({ data }) => {
              if (data) {
                setAlbum(data);
              }
            });
            list.reset();
            setStatus(count === 1 ? "Added 1 photo." : `Added ${count} photos.`);
            close();
          }}
          onCancel={close}
        />
      )}
      {owner && mode === "organise" && <Organise album={album} onChanged={photosChanged} onDone={close} />}
      {owner && mode === "share" && (
        <section aria-labelledby="sharing" className="panel">
          <h2 id="sharing">Share</h2>
          <ShareLinks album={album} onAllowLinks={allowLinks} />
          <div className="actions section-actions">
            <button type="button" onClick={close}>
              Close
            </button>
          </div>
        </section>
      )}
      {owner && mode === "edit" && (
        <section aria-labelledby="edit-album" className="panel">
          <h2 id="edit-album">Edit details</h2>
          <AlbumForm
            initial={{ title: album.title, description: album.description ?? null, visibility: album.visibility }}
            submitLabel="Save"
            pendingLabel="Saving…"
            onSubmit={save}
            onCancel={close}
          />
          <h3>Delete the album</h3>
          <p className="hint">Its photos stay among your photos; its share links stop working.</p>
          <ConfirmAction
            label="Delete album"
            question={`Delete “${album.title}” for good?`}
            confirmLabel="Yes, delete it"
            pendingLabel="Deleting…"
            danger
            onConfirm={remove}
          />
        </section>
      )}
      {mode !== "organise" && (
        <PhotoGrid
          list={list}
          returnTo={returnTo}
          empty={
            owner ? (
              <p>This album is empty. Use “Add photos” to choose some of yours.</p>
            ) : (
              <p>This album has no photos yet.</p>
            )
          }
        />
      )}
    </section>
  );
}

/** One album: its photos, and for its owner the ways to fill, order, share, edit and delete it. */
export function AlbumDetail({ albumId }: { albumId: string }) {
  const { album, setAlbum, error, retry } = useAlbum(albumId);
  if (error instanceof ApiError && error.status === 404) {
    return (
      <section>
        <h1>Album not found</h1>
        <p>This album does not exist, or it is not shared with you.</p>
        <p>
          <Link href="/albums">See your albums</Link>
        </p>
      </section>
    );
  }
  if (error !== null) {
    return (
      <section>
        <h1>Album</h1>
        <ErrorMessage error={error} />
        <button type="button" onClick={retry}>
          Try again
        </button>
      </section>
    );
  }
  if (album === null) {
    return (
      <section>
        <h1>Album</h1>
        <p aria-live="polite">Loading the album…</p>
      </section>
    );
  }
  return <AlbumPage key={album.id} album={album} setAlbum={setAlbum} />;
}

import { useEffect, useState } from "react";
import { api } from "../api/client";
import { ApiError } from "../api/problem";
import type { components } from "../api/schema";
import { ErrorMessage } from "../components/ErrorMessage";
import { DeadLink } from "../viewer/DeadLink";
import { PhotoGrid, useGridList } from "../viewer/PhotoGrid";

type Album = components["schemas"]["AlbumResponse"];

function SharedPhotos({ token }: { token: string }) {
  const { list, returnTo } = useGridList({ kind: "shared", token });
  return <PhotoGrid list={list} returnTo={returnTo} empty={<p>This album has no photos yet. Come back later.</p>} />;
}

function SharedAlbumPage({ token }: { token: string }) {
  const [album, setAlbum] = useState<Album | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    api.GET("/api/v1/shared/{token}", { params: { path: { token } } }).then(
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
  }, [token, attempt]);

  if (error instanceof ApiError && error.status === 404) {
    return <DeadLink />;
  }
  if (error !== null) {
    return (
      <section>
        <h1>Shared album</h1>
        <ErrorMessage error={error} />
        <button
          type="button"
          onClick={() => {
            setError(null);
            setAttempt((previous) => previous + 1);
          }}
        >
          Try again
        </button>
      </section>
    );
  }
  if (album === null) {
    return (
      <section>
        <h1>Shared album</h1>
        <p aria-live="polite">Loading the album…</p>
      </section>
    );
  }
  return (
    <section>
      <h1>{album.title}</h1>
      <p className="album-meta">
        Shared with you · {album.photo_count} {album.photo_count === 1 ? "photo" : "photos"}
      </p>
      {album.description && <p className="album-description">{album.description}</p>}
      <SharedPhotos token={token} />
    </section>
  );
}

/** A shared album as anyone holding its link sees it, signed in or not. */
export function SharedAlbum({ token }: { token: string }) {
  // A new token is a new album: start from scratch rather than show the old one.
  return <SharedAlbumPage key={token} token={token} />;
}

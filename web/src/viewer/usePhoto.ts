import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { Photo } from "./photoList";
import type { ListSource } from "./urls";

/** How often a photo still being processed is looked at again. */
export const PROCESSING_POLL_MS = 3000;

/** One photo's details, through the route of its context. */
export function fetchPhoto(source: ListSource, id: string) {
  return source.kind === "shared"
    ? api.GET("/api/v1/shared/{token}/photos/{id}", { params: { path: { token: source.token, id } } })
    : api.GET("/api/v1/photos/{id}", { params: { path: { id } } });
}

interface Loaded {
  id: string;
  photo: Photo | null;
  error: unknown;
}

/**
 * The photo's details, fresh from the server (the list's copy shows
 * meanwhile); looked at again every few seconds while it is processing.
 */
export function usePhoto(source: ListSource, photoId: string, listed: Photo | undefined) {
  const [loaded, setLoaded] = useState<Loaded>({ id: "", photo: null, error: null });
  const [round, setRound] = useState(0);

  useEffect(() => {
    let live = true;
    let timer: number | undefined;
    fetchPhoto(source, photoId).then(
      ({ data }) => {
        if (!live || !data) {
          return;
        }
        setLoaded({ id: photoId, photo: data, error: null });
        if (data.status === "processing") {
          timer = window.setTimeout(() => {
            setRound((previous) => previous + 1);
          }, PROCESSING_POLL_MS);
        }
      },
      (caught: unknown) => {
        if (live) {
          setLoaded({ id: photoId, photo: null, error: caught });
        }
      },
    );
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
    // The source is fixed for a viewer; its kind and key are in photoId's route.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [photoId, round]);

  const current = loaded.id === photoId;
  return {
    photo: current && loaded.photo ? loaded.photo : (listed ?? null),
    error: current ? loaded.error : null,
    /** Takes the server's answer to an edit. */
    replace: (photo: Photo) => {
      setLoaded({ id: photo.id, photo, error: null });
    },
  };
}

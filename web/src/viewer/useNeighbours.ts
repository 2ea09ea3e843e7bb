import { useEffect, useSyncExternalStore } from "react";
import type { PhotoList } from "./photoList";
import { fileUrl } from "./urls";

/**
 * Where the photo sits in its list, and its neighbours. Pages load until it
 * is found, and the next page as soon as it is the last one loaded, so that
 * "next" is there across page boundaries.
 */
export function useNeighbours(list: PhotoList, photoId: string) {
  const snapshot = useSyncExternalStore(list.subscribe, list.getSnapshot);
  const { items, cursor, error } = snapshot;
  const index = items.findIndex((photo) => photo.id === photoId);
  const atLoadedEnd = index === items.length - 1;

  useEffect(() => {
    void list.indexOf(photoId).then((found) => {
      if (found >= 0 && found === list.getSnapshot().items.length - 1) {
        void list.loadMore();
      }
    });
  }, [list, photoId, atLoadedEnd]);

  const previous = index > 0 ? items[index - 1] : undefined;
  const next = index >= 0 ? items[index + 1] : undefined;

  // The neighbours' previews are likely next: have the browser fetch them now.
  useEffect(() => {
    for (const photo of [previous, next]) {
      if (photo?.status === "ready") {
        new Image().src = fileUrl(list.source, photo.id, "preview");
      }
    }
  }, [list.source, previous, next]);

  return {
    index,
    previous,
    next,
    complete: cursor === null,
    loadedCount: items.length,
    /** Still looking for the photo or its next neighbour. */
    searching: error === null && cursor !== null && (index < 0 || atLoadedEnd),
    listError: error,
    list,
  };
}

/** "Photo 3 of 12", or "of at least 60" while later pages are not loaded. */
export function positionText(index: number, loadedCount: number, complete: boolean): string {
  return complete ? `Photo ${index + 1} of ${loadedCount}` : `Photo ${index + 1} of at least ${loadedCount}`;
}

import { api } from "../api/client";
import type { components } from "../api/schema";
import { sourceKey, type ListSource } from "./urls";

export type Photo = components["schemas"]["PhotoResponse"];
type PhotosPage = components["schemas"]["PhotosPage"];

export const PAGE_SIZE = 60;

export interface ListSnapshot {
  items: readonly Photo[];
  /** `undefined` before the first page, `null` once the last page came. */
  cursor: string | null | undefined;
  loading: boolean;
  error: unknown;
}

async function fetchPage(source: ListSource, cursor: string | undefined): Promise<PhotosPage> {
  const query = { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) };
  const answer =
    source.kind === "gallery"
      ? await api.GET("/api/v1/photos", { params: { query } })
      : source.kind === "album"
        ? await api.GET("/api/v1/albums/{id}/photos", { params: { path: { id: source.albumId }, query } })
        : await api.GET("/api/v1/shared/{token}/photos", { params: { path: { token: source.token }, query } });
  return answer.data ?? { items: [], next_cursor: null };
}

/**
 * The photos of one list, loaded a page at a time, shared by the grid and the
 * viewer so that stepping past the last loaded photo loads the next page.
 * Components read it through `useSyncExternalStore`.
 */
export class PhotoList {
  private snapshot: ListSnapshot = { items: [], cursor: undefined, loading: false, error: null };
  private readonly listeners = new Set<() => void>();
  private pending: Promise<void> | null = null;
  private generation = 0;

  constructor(readonly source: ListSource) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = (): ListSnapshot => this.snapshot;

  private update(change: Partial<ListSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) {
      listener();
    }
  }

  /** Loads the next page; concurrent calls share one request. Never rejects. */
  loadMore = (): Promise<void> => {
    if (this.pending) {
      return this.pending;
    }
    const { cursor, error } = this.snapshot;
    if (cursor === null || error !== null) {
      return Promise.resolve();
    }
    this.update({ loading: true });
    const generation = this.generation;
    this.pending = fetchPage(this.source, cursor)
      .then(
        (page) => {
          if (generation !== this.generation) {
            return;
          }
          // A photo may move across a page boundary between two requests: keep its first place.
          const known = new Set(this.snapshot.items.map((photo) => photo.id));
          const fresh = page.items.filter((photo) => !known.has(photo.id));
          this.update({ items: [...this.snapshot.items, ...fresh], cursor: page.next_cursor ?? null, loading: false });
        },
        (caught: unknown) => {
          if (generation !== this.generation) {
            return;
          }
          this.update({ error: caught, loading: false });
        },
      )
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  };

  /** Forgets every page, to start again from the first. */
  reset(): void {
    this.generation += 1;
    this.pending = null;
    this.update({ items: [], cursor: undefined, loading: false, error: null });
  }

  /** Forgets the last error and tries the page again. */
  retry = (): Promise<void> => {
    this.update({ error: null });
    return this.loadMore();
  };

  /** The photo's index, loading pages until it shows up; -1 when it is not in the list. */
  async indexOf(photoId: string): Promise<number> {
    for (;;) {
      const { items, cursor, error } = this.snapshot;
      const index = items.findIndex((photo) => photo.id === photoId);
      if (index >= 0 || cursor === null || error !== null) {
        return index;
      }
      await this.loadMore();
    }
  }

  remove(photoId: string): void {
    this.update({ items: this.snapshot.items.filter((photo) => photo.id !== photoId) });
  }

  replace(photo: Photo): void {
    this.update({ items: this.snapshot.items.map((item) => (item.id === photo.id ? photo : item)) });
  }
}

const lists = new Map<string, PhotoList>();

/** The one list of a source, kept between pages; `fresh` empties it first. */
export function photoListFor(source: ListSource, options: { fresh?: boolean } = {}): PhotoList {
  const key = sourceKey(source);
  const cached = lists.get(key);
  if (cached) {
    if (options.fresh) {
      cached.reset();
    }
    return cached;
  }
  const list = new PhotoList(source);
  lists.set(key, list);
  return list;
}

let returning: { key: string; photoId: string } | null = null;

/** The viewer says which photo it leaves from when it goes back to its list. */
export function markReturn(source: ListSource, photoId: string): void {
  returning = { key: sourceKey(source), photoId };
}

/**
 * The photo to bring back into view when a list page opens right after the
 * viewer went back to it; then its cached pages are still good to show.
 */
export function peekReturn(source: ListSource): string | null {
  return returning?.key === sourceKey(source) ? returning.photoId : null;
}

/** Once a list page has opened, a later visit starts afresh. */
export function clearReturn(): void {
  returning = null;
}

/** Forgets every cached list (tests). */
export function clearPhotoLists(): void {
  lists.clear();
  returning = null;
}

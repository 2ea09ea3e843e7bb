import { api } from "../api/client";
import type { components } from "../api/schema";

export type Album = components["schemas"]["AlbumResponse"];
export type Visibility = components["schemas"]["VisibilityDto"];
export type ShareLink = components["schemas"]["ShareLinkResponse"];

/** What each visibility means, in the words the pages use. */
export const VISIBILITIES: { value: Visibility; label: string; hint: string }[] = [
  { value: "private", label: "Only me", hint: "Nobody else sees the album." },
  { value: "members", label: "All members", hint: "Every signed-in member of this Shoebox sees it." },
  { value: "link", label: "Anyone with a link", hint: "People you give a share link to see it, without an account." },
];

export function visibilityLabel(visibility: Visibility): string {
  return VISIBILITIES.find((option) => option.value === visibility)?.label ?? visibility;
}

export function photoCount(count: number): string {
  return `${count} ${count === 1 ? "photo" : "photos"}`;
}

export const ALBUMS_PAGE_SIZE = 50;

/** One page of albums: the member's own (`owned`), or every album they can see. */
export async function fetchAlbums(owned: boolean, cursor: string | undefined) {
  const { data } = await api.GET("/api/v1/albums", {
    params: { query: { limit: ALBUMS_PAGE_SIZE, ...(owned ? { owned: true } : {}), ...(cursor ? { cursor } : {}) } },
  });
  return data ?? { items: [], next_cursor: null };
}

/** Where a share link stands now. */
export function linkState(link: ShareLink, now: Date = new Date()): "active" | "expired" | "revoked" {
  if (link.revoked_at) {
    return "revoked";
  }
  if (link.expires_at && new Date(link.expires_at).getTime() <= now.getTime()) {
    return "expired";
  }
  return "active";
}

/** The end of the chosen day in the browser's zone, as the API wants it; `null` for no date. */
export function endOfDay(date: string): string | null {
  if (date === "") {
    return null;
  }
  const [year, month, day] = date.split("-").map(Number);
  if (year === undefined || month === undefined || day === undefined) {
    return null;
  }
  return new Date(year, month - 1, day, 23, 59, 59).toISOString();
}

/** Moves the item at `from` to `to`, leaving the input alone. */
export function moved<T>(items: readonly T[], from: number, to: number): T[] {
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  if (item === undefined || to < 0 || to > copy.length) {
    return [...items];
  }
  copy.splice(to, 0, item);
  return copy;
}

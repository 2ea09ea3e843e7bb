import type { ViewerContext } from "../pages/PhotoViewer";

/** The list a viewer steps through: the member's photos, an album's, or a share link's. */
export type ListSource = { kind: "gallery" } | { kind: "album"; albumId: string } | { kind: "shared"; token: string };

export type PhotoFile = "original" | "preview" | "thumbnail";

export function sourceOf(context: ViewerContext): ListSource {
  switch (context.kind) {
    case "gallery":
      return { kind: "gallery" };
    case "album":
      return { kind: "album", albumId: context.albumId };
    case "shared":
      return { kind: "shared", token: context.token };
  }
}

/** A stable name for a list, to cache it between pages. */
export function sourceKey(source: ListSource): string {
  switch (source.kind) {
    case "gallery":
      return "gallery";
    case "album":
      return `album:${source.albumId}`;
    case "shared":
      return `shared:${source.token}`;
  }
}

const segment = encodeURIComponent;

/** Where the bytes of a photo are served in this list's context. */
export function fileUrl(source: ListSource, photoId: string, file: PhotoFile): string {
  return source.kind === "shared"
    ? `/api/v1/shared/${segment(source.token)}/photos/${segment(photoId)}/${file}`
    : `/api/v1/photos/${segment(photoId)}/${file}`;
}

/** The link that makes the browser save the original rather than show it. */
export function downloadUrl(source: ListSource, photoId: string, file: "original" | "preview" = "original"): string {
  return `${fileUrl(source, photoId, file)}?download=true`;
}

/** The page listing the photos, where "Back" goes. */
export function listHref(source: ListSource): string {
  switch (source.kind) {
    case "gallery":
      return "/";
    case "album":
      return `/albums/${segment(source.albumId)}`;
    case "shared":
      return `/shared/${segment(source.token)}`;
  }
}

/** The viewer page of one photo of the list. */
export function photoHref(source: ListSource, photoId: string): string {
  return source.kind === "gallery" ? `/photos/${segment(photoId)}` : `${listHref(source)}/photos/${segment(photoId)}`;
}

// Placeholder until the page is built; see issue 4.

/** Where the viewer came from: it steps through that list's photos. */
export type ViewerContext =
  | { kind: "gallery"; photoId: string }
  | { kind: "album"; albumId: string; photoId: string }
  | { kind: "shared"; token: string; photoId: string };

export function PhotoViewer({ context }: { context: ViewerContext }) {
  return (
    <section>
      <h1>Photo {context.photoId}</h1>
    </section>
  );
}

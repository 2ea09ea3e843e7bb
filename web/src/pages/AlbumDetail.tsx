// Placeholder until the page is built; see issue 4.
export function AlbumDetail({ albumId }: { albumId: string }) {
  return (
    <section>
      <h1>Album {albumId}</h1>
    </section>
  );
}

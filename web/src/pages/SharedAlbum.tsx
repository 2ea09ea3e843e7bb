// Placeholder until the page is built; see issue 4.
export function SharedAlbum({ token }: { token: string }) {
  return (
    <section>
      <h1>Shared album {token}</h1>
    </section>
  );
}

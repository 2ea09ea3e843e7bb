// Placeholder until the page is built; see issue 4.
export function Albums() {
  return (
    <section>
      <h1>Albums</h1>
    </section>
  );
}

// Placeholder until the page is built; see issue 4.
export function Profile() {
  return (
    <section>
      <h1>Profile</h1>
    </section>
  );
}

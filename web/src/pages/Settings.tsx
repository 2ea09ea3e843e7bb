// Placeholder until the page is built; see issue 4.
export function Settings() {
  return (
    <section>
      <h1>Settings</h1>
    </section>
  );
}

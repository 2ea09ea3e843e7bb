// Placeholder until the page is built; see issue 4.
export function AdminMembers() {
  return (
    <section>
      <h1>Members</h1>
    </section>
  );
}

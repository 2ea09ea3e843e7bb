// Placeholder until the page is built; see issue 4.
export function AdminJobs() {
  return (
    <section>
      <h1>Jobs</h1>
    </section>
  );
}

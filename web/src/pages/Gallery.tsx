import { Link } from "../components/Link";
import { PhotoGrid, useGridList } from "../viewer/PhotoGrid";

const GALLERY = { kind: "gallery" } as const;

/** The member's photos, newest first, loading the next page as the end scrolls into view. */
export function Gallery() {
  const { list, returnTo } = useGridList(GALLERY);
  return (
    <section>
      <h1>Photos</h1>
      <PhotoGrid
        list={list}
        returnTo={returnTo}
        empty={
          <p>
            No photos yet. <Link href="/upload">Upload your first ones</Link>.
          </p>
        }
      />
    </section>
  );
}

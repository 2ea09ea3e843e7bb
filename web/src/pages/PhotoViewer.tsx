import { useEffect, useMemo, useRef } from "react";
import { ApiError } from "../api/problem";
import { ErrorMessage } from "../components/ErrorMessage";
import { Link } from "../components/Link";
import { navigate } from "../router";
import { useSession } from "../session";
import { CaptionEditor } from "../viewer/CaptionEditor";
import { DeadLink, isDeadLink } from "../viewer/DeadLink";
import { DeletePhoto } from "../viewer/DeletePhoto";
import { DownloadOriginal } from "../viewer/DownloadOriginal";
import { PhotoDetails } from "../viewer/PhotoDetails";
import { photoName } from "../viewer/PhotoGrid";
import { markReturn, photoListFor } from "../viewer/photoList";
import { PreviewImage } from "../viewer/PreviewImage";
import { positionText, useNeighbours } from "../viewer/useNeighbours";
import { usePhoto } from "../viewer/usePhoto";
import { useViewerKeys } from "../viewer/useViewerKeys";
import { listHref, photoHref, sourceKey, sourceOf } from "../viewer/urls";
import "../viewer/viewer.css";

/** Where the viewer came from: it steps through that list's photos. */
export type ViewerContext =
  | { kind: "gallery"; photoId: string }
  | { kind: "album"; albumId: string; photoId: string }
  | { kind: "shared"; token: string; photoId: string };

const BACK_LABEL = { gallery: "Back to photos", album: "Back to the album", shared: "Back to the album" };

type Control = "previous" | "next";

/** One photo large, with its neighbours a key away and its details beside it. */
export function PhotoViewer({ context }: { context: ViewerContext }) {
  const key = sourceKey(sourceOf(context));
  // One list per source, whatever object the route hands over each render.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const source = useMemo(() => sourceOf(context), [key]);
  const list = useMemo(() => photoListFor(source), [source]);
  const { photoId } = context;
  const { user } = useSession();
  const place = useNeighbours(list, photoId);
  const listed = place.index >= 0 ? list.getSnapshot().items[place.index] : undefined;
  const { photo, error, replace } = usePhoto(source, photoId, listed);
  const nav = useRef<HTMLElement>(null);
  const usedControl = useRef<Control | null>(null);

  // The grid shows what the viewer learnt (a caption, a finished preview).
  useEffect(() => {
    if (photo && listed && photo !== listed) {
      list.replace(photo);
    }
  }, [list, photo, listed]);

  const back = () => {
    markReturn(source, photoId);
    navigate(listHref(source));
  };
  const go = (target: { id: string } | undefined) => {
    if (target) {
      navigate(photoHref(source, target.id));
    }
  };
  useViewerKeys({ previous: () => { go(place.previous); }, next: () => { go(place.next); }, back });

  // A click on "Next" should leave focus on "Next" for the following photo;
  // the shell focuses <main> after a navigation, so this waits for it.
  useEffect(() => {
    const used = usedControl.current;
    if (used === null) {
      return;
    }
    const timer = window.setTimeout(() => {
      // The link used, or the other one when there is no photo further that way.
      const links = nav.current?.querySelectorAll<HTMLAnchorElement>("a") ?? [];
      const wanted = Array.from(links).find((link) => link.rel === (used === "next" ? "next" : "prev")) ?? links[0];
      wanted?.focus();
      usedControl.current = null;
    });
    return () => {
      window.clearTimeout(timer);
    };
  }, [photoId]);

  if (source.kind === "shared" && isDeadLink(error)) {
    return <DeadLink />;
  }
  const backLink = (
    <Link href={listHref(source)} className="back" onClick={() => { markReturn(source, photoId); }}>
      ← {BACK_LABEL[source.kind]}
    </Link>
  );
  if (error instanceof ApiError && error.status === 404) {
    return (
      <section>
        <h1>Photo not found</h1>
        <p>This photo does not exist, or it is no longer shared with you. {backLink}</p>
      </section>
    );
  }
  if (photo === null) {
    return (
      <section>
        <h1>Photo</h1>
        {backLink}
        <ErrorMessage error={error} />
        {error === null && <p aria-live="polite">Loading the photo…</p>}
      </section>
    );
  }

  const owner = source.kind !== "shared" && user?.id === photo.owner_id;
  const neighbourLink = (control: Control, label: string) => {
    const target = place[control];
    if (!target) {
      return (
        <span className="button" aria-disabled="true">
          {label}
        </span>
      );
    }
    return (
      <Link
        href={photoHref(source, target.id)}
        className="button"
        rel={control === "next" ? "next" : "prev"}
        onClick={() => { usedControl.current = control; }}
      >
        {label}
      </Link>
    );
  };
  const afterDelete = () => {
    const target = place.next ?? place.previous;
    list.remove(photo.id);
    if (target) {
      navigate(photoHref(source, target.id));
    } else {
      markReturn(source, photo.id);
      navigate(listHref(source));
    }
  };

  return (
    <section className="viewer" aria-labelledby="viewer-title">
      <div className="viewer-bar">
        {backLink}
        <p className="viewer-position" aria-live="polite" aria-atomic="true">
          {place.index >= 0 ? positionText(place.index, place.loadedCount, place.complete) : place.searching ? "Finding its place…" : ""}
        </p>
      </div>
      <h1 id="viewer-title">{photoName(photo)}</h1>
      <div className="viewer-body">
        <div className="viewer-stage">
          <PreviewImage key={photo.id} source={source} photo={photo} />
          <nav className="viewer-nav" ref={nav} aria-label="Previous and next photo">
            {neighbourLink("previous", "← Previous")}
            {neighbourLink("next", place.searching && place.index >= 0 ? "Next → (loading)" : "Next →")}
          </nav>
          <p className="hint">Use the ← and → keys to step through the photos, Esc to go back.</p>
          <ErrorMessage error={place.listError} />
          {place.listError !== null && (
            <button type="button" onClick={() => void list.retry()}>
              Try loading the other photos again
            </button>
          )}
        </div>
        <aside className="viewer-side" aria-label="Details">
          <CaptionEditor key={photo.id} photo={photo} editable={owner} onSaved={replace} />
          <PhotoDetails photo={photo} />
          <DownloadOriginal source={source} photo={photo} owner={owner} />
          {owner && source.kind === "gallery" && <DeletePhoto photoId={photo.id} onDeleted={afterDelete} />}
        </aside>
      </div>
    </section>
  );
}

import { useEffect, useState } from "react";
import { toProblem } from "../api/problem";
import type { Photo } from "./photoList";
import { downloadUrl, fileUrl, type ListSource } from "./urls";

type Availability = { state: "unknown" | "available" } | { state: "withheld"; reason: string };

/**
 * Asks for the first byte of the original: the server answers others than
 * the owner with a location-free copy, or 403 while it cannot make one.
 * A redirect (to a presigned store URL) means it is there.
 */
async function checkOriginal(url: string): Promise<Availability> {
  const response = await fetch(url, { headers: { Range: "bytes=0-0" }, redirect: "manual", credentials: "same-origin" });
  if (response.status === 403) {
    const body: unknown = await response.json().catch(() => null);
    const problem = toProblem(403, body);
    return { state: "withheld", reason: problem.detail ?? problem.title ?? "the owner keeps it to themselves" };
  }
  return { state: "available" };
}

/** "Download original", or plainly why it cannot be had, with the preview as a fallback. */
export function DownloadOriginal({ source, photo, owner }: { source: ListSource; photo: Photo; owner: boolean }) {
  const [checked, setChecked] = useState<{ key: string; availability: Availability } | null>(null);
  const key = `${photo.id}:${photo.status}`;

  useEffect(() => {
    if (owner) {
      return;
    }
    let live = true;
    checkOriginal(fileUrl(source, photo.id, "original")).then(
      (availability) => {
        if (live) {
          setChecked({ key, availability });
        }
      },
      () => {
        // Offline or similar: offer the link anyway; the browser will say.
      },
    );
    return () => {
      live = false;
    };
  }, [source, photo.id, key, owner]);

  const availability = !owner && checked?.key === key ? checked.availability : { state: "available" as const };
  if (availability.state === "withheld") {
    return (
      <div className="download">
        <p className="withheld" role="status">
          <strong>Original withheld:</strong> {availability.reason}.
        </p>
        {photo.status === "ready" && (
          <a className="button" href={downloadUrl(source, photo.id, "preview")} download>
            Download the preview
          </a>
        )}
      </div>
    );
  }
  return (
    <div className="download">
      <a className="button" href={downloadUrl(source, photo.id)} download>
        Download original
      </a>
      {!owner && <p className="hint">You get a copy without the place it was taken.</p>}
    </div>
  );
}

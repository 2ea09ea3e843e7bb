import { useEffect, useState } from "react";
import { photoName } from "./PhotoGrid";
import type { Photo } from "./photoList";
import { fileUrl, type ListSource } from "./urls";

const RETRY_MS = 3000;
const RETRIES = 5;

/** The ~1600 px preview, or why there is none yet. Keyed by photo id by its parent. */
export function PreviewImage({ source, photo }: { source: ListSource; photo: Photo }) {
  const [failures, setFailures] = useState(0);
  const [attempt, setAttempt] = useState(0);
  const waiting = failures > attempt;

  // A variant may not be in the store yet even after the photo says ready
  // (or a connection failed): try again a few times before giving up.
  useEffect(() => {
    if (!waiting || failures > RETRIES) {
      return;
    }
    const timer = window.setTimeout(() => {
      setAttempt(failures);
    }, RETRY_MS);
    return () => {
      window.clearTimeout(timer);
    };
  }, [waiting, failures]);

  if (photo.status === "processing") {
    return (
      <div className="preview-placeholder" role="status">
        <p>Still processing this photo.</p>
        <p>The preview appears here as soon as it is ready.</p>
      </div>
    );
  }
  if (photo.status === "failed") {
    return (
      <div className="preview-placeholder">
        <p>This photo could not be processed, so there is no preview.</p>
        {photo.failure_reason && <p>Reason: {photo.failure_reason}</p>}
      </div>
    );
  }
  if (failures > RETRIES) {
    return (
      <div className="preview-placeholder" role="alert">
        <p>The preview could not be loaded.</p>
        <button
          type="button"
          onClick={() => {
            setFailures(0);
            setAttempt(0);
          }}
        >
          Try again
        </button>
      </div>
    );
  }
  if (waiting) {
    return (
      <div className="preview-placeholder" role="status">
        <p>The preview is not ready yet; trying again in a moment…</p>
      </div>
    );
  }
  return (
    <img
      key={attempt}
      className="preview"
      src={fileUrl(source, photo.id, "preview")}
      alt={photoName(photo)}
      width={photo.width}
      height={photo.height}
      onError={() => {
        setFailures(attempt + 1);
      }}
    />
  );
}

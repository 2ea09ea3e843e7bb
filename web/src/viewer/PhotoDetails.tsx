import type { Photo } from "./photoList";

const KIB = 1024;

export function formatBytes(bytes: number): string {
  if (bytes < KIB) {
    return `${bytes} bytes`;
  }
  const units = ["KB", "MB", "GB"];
  let value = bytes / KIB;
  let unit = 0;
  while (value >= KIB && unit < units.length - 1) {
    value /= KIB;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit] ?? "GB"}`;
}

// The camera records its own local time with no zone: show the wall-clock
// time as written, whatever zone the server or the browser is in.
export function formatTakenAt(value: string): string {
  const wallClock = new Date(`${value.slice(0, 19)}Z`);
  if (Number.isNaN(wallClock.getTime())) {
    return value;
  }
  return wallClock.toLocaleString(undefined, { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });
}

function formatUploaded(value: string): string {
  return new Date(value).toLocaleString(undefined, { dateStyle: "long", timeStyle: "short" });
}

function formatCoordinate(value: number, positive: string, negative: string): string {
  return `${Math.abs(value).toFixed(5)}° ${value >= 0 ? positive : negative}`;
}

/** What is known about a photo; location only ever comes to its owner. */
export function PhotoDetails({ photo }: { photo: Photo }) {
  const location = photo.location;
  return (
    <dl className="photo-details">
      {photo.taken_at && (
        <>
          <dt>Taken</dt>
          <dd>{formatTakenAt(photo.taken_at)}</dd>
        </>
      )}
      {photo.camera && (
        <>
          <dt>Camera</dt>
          <dd>{photo.camera}</dd>
        </>
      )}
      <dt>Dimensions</dt>
      <dd>
        {photo.width} × {photo.height} pixels
      </dd>
      <dt>Size</dt>
      <dd>
        {formatBytes(photo.size_bytes)} ({photo.media_type})
      </dd>
      {photo.original_name && (
        <>
          <dt>File name</dt>
          <dd className="file-name">{photo.original_name}</dd>
        </>
      )}
      {location && (
        <>
          <dt>Location</dt>
          <dd>
            {formatCoordinate(location.latitude, "N", "S")}, {formatCoordinate(location.longitude, "E", "W")}
            {location.altitude_m != null && `, ${Math.round(location.altitude_m)} m`}
            <br />
            <small>Only you can see this.</small>
          </dd>
        </>
      )}
      <dt>Uploaded</dt>
      <dd>{formatUploaded(photo.created_at)}</dd>
    </dl>
  );
}

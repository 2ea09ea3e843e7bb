import { formatBytes, formatDate } from "./format";
import { isDownloadable, photoCount, type DataExport } from "./exports";

/** The export's state in words; colour never carries it alone. */
function statusText(item: DataExport, downloadable: boolean): string {
  if (item.status === "pending") {
    return "Being prepared…";
  }
  if (item.status === "failed") {
    return "Failed — request a new one";
  }
  return downloadable ? "Ready" : "Expired — request a new one";
}

/**
 * The member's exports, newest first. A ready one links to its ZIP: a plain
 * link, which the session cookie authenticates, so the browser downloads it
 * as any file.
 */
export function ExportList({ items, now }: { items: DataExport[]; now: number }) {
  return (
    <ul className="cards" aria-label="Your exports">
      {items.map((item) => {
        const downloadable = isDownloadable(item, now);
        const requested = formatDate(item.requested_at);
        return (
          <li key={item.id}>
            <div>
              <p className="title">
                Requested <time dateTime={item.requested_at}>{requested}</time>
              </p>
              <dl>
                <dt>Status</dt>
                <dd>{statusText(item, downloadable)}</dd>
                {item.status === "ready" && (
                  <>
                    {typeof item.size_bytes === "number" && (
                      <>
                        <dt>Size</dt>
                        <dd>{formatBytes(item.size_bytes)}</dd>
                      </>
                    )}
                    {typeof item.photo_count === "number" && (
                      <>
                        <dt>Contains</dt>
                        <dd>{photoCount(item.photo_count)}</dd>
                      </>
                    )}
                  </>
                )}
                {item.expires_at && item.status !== "pending" && (
                  <>
                    <dt>{downloadable ? "Available until" : item.status === "failed" ? "Listed until" : "Expired on"}</dt>
                    <dd>
                      <time dateTime={item.expires_at}>{formatDate(item.expires_at)}</time>
                    </dd>
                  </>
                )}
              </dl>
            </div>
            {downloadable && item.download_url && (
              <div className="buttons">
                <a className="button" href={item.download_url} download>
                  Download<span className="visually-hidden"> the export requested {requested}</span>
                </a>
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}

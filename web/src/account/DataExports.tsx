import { useEffect, useState } from "react";
import { api } from "../api/client";
import { ErrorMessage } from "../components/ErrorMessage";
import { ExportList } from "./ExportList";
import { isAlreadyPending, KEPT_DAYS, type DataExport } from "./exports";

/** What the status line says: the request went in, or how the followed export ended. */
type Notice = "requested" | "ready" | "failed" | "late";

const NOTICES: Record<Notice, string> = {
  requested: "Export requested. It is being prepared; this page tells you when it is ready.",
  ready: "Your export is ready. Download it below.",
  failed: "Your export failed. Request a new one.",
  late: "Your export is still being prepared. With many photos it can take a while: press “Check again” later.",
};

interface Props {
  /** How long to wait between looks at an export being prepared; tests shorten it. */
  pollIntervalMs?: number;
  /** How long to keep looking before leaving it to a "Check again". */
  pollForMs?: number;
}

/**
 * "Export your data" (SPEC §8): says what the ZIP holds, requests one, and
 * lists the member's exports. The one being prepared (there is at most one)
 * is looked at again every few seconds until it is ready or failed, and the
 * outcome announced.
 */
export function DataExports({ pollIntervalMs = 3_000, pollForMs = 10 * 60_000 }: Props) {
  const [exports, setExports] = useState<DataExport[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [reload, setReload] = useState(0);
  /** The pending export being followed; null when none is, or the looking stopped. */
  const [watching, setWatching] = useState<string | null>(null);
  const [watchError, setWatchError] = useState<unknown>(null);
  const [requesting, setRequesting] = useState(false);
  const [requestError, setRequestError] = useState<unknown>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  // When the list last arrived: whether a ready export has expired is judged against it.
  const [listedAt, setListedAt] = useState(() => Date.now());

  useEffect(() => {
    let live = true;
    api.GET("/api/v1/me/exports").then(
      ({ data }) => {
        if (live && data) {
          setExports(data.items);
          setListedAt(Date.now());
          setLoadError(null);
          setWatching(data.items.find((item) => item.status === "pending")?.id ?? null);
        }
      },
      (caught: unknown) => {
        if (live) {
          setLoadError(caught);
        }
      },
    );
    return () => {
      live = false;
    };
  }, [reload]);

  // Follow the export being prepared: one look at a time, each after the last answer.
  useEffect(() => {
    if (watching === null) {
      return;
    }
    let live = true;
    let timer = 0;
    let looks = 0;
    const lookLater = () => {
      timer = window.setTimeout(() => {
        looks += 1;
        api.GET("/api/v1/me/exports/{id}", { params: { path: { id: watching } } }).then(
          ({ data }) => {
            if (!live || !data) {
              return;
            }
            setExports((previous) => (previous ?? []).map((item) => (item.id === data.id ? data : item)));
            if (data.status !== "pending") {
              setWatching(null);
              setNotice(data.status === "ready" ? "ready" : "failed");
            } else if ((looks + 1) * pollIntervalMs > pollForMs) {
              setWatching(null);
              setNotice("late");
            } else {
              lookLater();
            }
          },
          (caught: unknown) => {
            if (live) {
              setWatching(null);
              setWatchError(caught);
            }
          },
        );
      }, pollIntervalMs);
    };
    lookLater();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [watching, pollIntervalMs, pollForMs]);

  const pending = exports?.some((item) => item.status === "pending") ?? false;

  const requestExport = async () => {
    if (requesting || pending) {
      return;
    }
    setRequesting(true);
    setRequestError(null);
    setWatchError(null);
    setNotice(null);
    try {
      const { data } = await api.POST("/api/v1/me/exports");
      if (data) {
        setExports((previous) => [data, ...(previous ?? []).filter((item) => item.id !== data.id)]);
        setWatching(data.id);
        setNotice("requested");
      }
    } catch (caught) {
      setRequestError(caught);
      if (isAlreadyPending(caught)) {
        // Asked for elsewhere (another tab or device): list it, and follow it from here.
        setReload((count) => count + 1);
      }
    } finally {
      setRequesting(false);
    }
  };

  const checkAgain = () => {
    setNotice(null);
    setWatchError(null);
    setReload((count) => count + 1);
  };

  return (
    <>
      <p>
        Export your data to keep a copy of everything you have here, as one ZIP file: your original photos exactly as you
        uploaded them, their details (captions, dates and places) and your albums, your profile with your sessions and the
        names of your API tokens, and a README that explains each file.
      </p>
      <p className="hint">
        The export is prepared in the background: seconds for a few photos, minutes for many. You can leave this page
        meanwhile. Each export can be downloaded for {KEPT_DAYS} days, then it is deleted.
      </p>
      <div className="actions section-actions">
        {/* aria-disabled rather than disabled: the button keeps the keyboard focus it had when pressed. */}
        <button
          type="button"
          aria-disabled={requesting || pending || undefined}
          aria-describedby={pending ? "export-pending-hint" : undefined}
          onClick={() => void requestExport()}
        >
          {requesting ? "Requesting…" : "Request an export"}
        </button>
        {pending && (
          <p id="export-pending-hint" className="hint">
            An export is being prepared. You can request another once it is finished.
          </p>
        )}
        {pending && watching === null && exports !== null && (
          <button type="button" onClick={checkAgain}>
            Check again
          </button>
        )}
      </div>
      {isAlreadyPending(requestError) ? (
        <p role="alert" className="error">
          An export is already being prepared, so no new one was requested. It is listed below; request another once it is
          finished.
        </p>
      ) : (
        <ErrorMessage error={requestError} />
      )}
      <p role="status" className="success export-status">
        {notice !== null && NOTICES[notice]}
      </p>
      <ErrorMessage error={watchError} />
      <h3>Your exports</h3>
      {exports === null && loadError === null && <p aria-live="polite">Loading exports…</p>}
      <ErrorMessage error={loadError} />
      {exports?.length === 0 && <p className="empty">No exports yet.</p>}
      {exports !== null && exports.length > 0 && <ExportList items={exports} now={listedAt} />}
    </>
  );
}

import { useEffect, useState } from "react";
import { api } from "../api/client";
import type { components } from "../api/schema";
import { ErrorMessage } from "../components/ErrorMessage";
import { formatBytes } from "./format";

type Usage = components["schemas"]["StorageUsageResponse"];

/** How much the member's photos take, against the quota when there is one. */
export function StorageUsage() {
  const [usage, setUsage] = useState<Usage | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    api.GET("/api/v1/me/storage").then(
      ({ data }) => {
        if (live && data) {
          setUsage(data);
        }
      },
      (caught: unknown) => {
        if (live) {
          setError(caught);
        }
      },
    );
    return () => {
      live = false;
    };
  }, []);

  if (error !== null) {
    return <ErrorMessage error={error} />;
  }
  if (usage === null) {
    return <p aria-live="polite">Loading storage use…</p>;
  }
  const quota = usage.quota_bytes ?? null;
  if (quota === null || quota <= 0) {
    return <p>Your photos use {formatBytes(usage.used_bytes)}. There is no storage limit on this instance.</p>;
  }
  const share = Math.min(100, Math.round((usage.used_bytes / quota) * 100));
  return (
    <div className="storage">
      <p id="storage-label">
        {formatBytes(usage.used_bytes)} of {formatBytes(quota)} used ({share}%).
        {share >= 90 && " You are close to your limit: delete photos you no longer need to make room."}
      </p>
      <meter aria-labelledby="storage-label" min={0} max={quota} low={quota * 0.75} high={quota * 0.9} optimum={0} value={usage.used_bytes} />
    </div>
  );
}

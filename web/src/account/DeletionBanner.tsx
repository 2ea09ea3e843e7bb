import { useRef, useState } from "react";
import { api } from "../api/client";
import { ApiError } from "../api/problem";
import { ErrorMessage } from "../components/ErrorMessage";
import { useSession } from "../session";
import { formatDate } from "./format";

/**
 * On every page while the signed-in member's account waits to be erased:
 * when, and a button that cancels it. What happened stays said on the page
 * where it happened.
 */
export function DeletionBanner({ path }: { path: string }) {
  const { user, updateUser } = useSession();
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<{ path: string; text: string } | null>(null);
  const status = useRef<HTMLParagraphElement>(null);

  const shown = notice?.path === path ? notice.text : "";
  // Nothing pending and nothing just said: no banner, and no empty live region on every page.
  if (!user || (!user.deletion_due_at && shown === "")) {
    return null;
  }

  const cancel = async () => {
    setCancelling(true);
    setError(null);
    try {
      const { data } = await api.DELETE("/api/v1/me/deletion");
      if (data) {
        updateUser(data);
      }
      setNotice({ path, text: "Deletion cancelled. Your account stays." });
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409) {
        // Nothing is pending any more (an admin cancelled it meanwhile): the account stays all the same.
        updateUser({ ...user, deletion_due_at: null });
        setNotice({ path, text: "No deletion is pending any more. Your account stays." });
      } else {
        setError(caught);
        setCancelling(false);
        return;
      }
    }
    setCancelling(false);
    // The button is gone; the message that replaced it takes the focus.
    status.current?.focus();
  };

  return (
    <>
      {user.deletion_due_at && (
        <div className="deletion-banner" role="alert">
          <p>
            <strong>Your account is scheduled for deletion on {formatDate(user.deletion_due_at)}.</strong> Everything you own
            here will be erased then, unless you cancel.
          </p>
          <button type="button" disabled={cancelling} onClick={() => void cancel()}>
            {cancelling ? "Cancelling…" : "Cancel deletion"}
          </button>
        </div>
      )}
      <ErrorMessage error={error} />
      <p ref={status} tabIndex={-1} role="status" className="success banner-status">
        {shown}
      </p>
    </>
  );
}

import { useEffect, useId, useState, type SyntheticEvent } from "react";
import { ConfirmAction } from "../account/ConfirmAction";
import { formatDate } from "../account/format";
import { SecretReveal } from "../account/SecretReveal";
import { api } from "../api/client";
import { ErrorMessage } from "../components/ErrorMessage";
import { endOfDay, linkState, type Album, type ShareLink } from "./albums";

function today(): string {
  const now = new Date();
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const STATE_TEXT = { active: "Works", expired: "Expired", revoked: "Revoked" };

function LinkCard({ link, number, onRevoke }: { link: ShareLink; number: number; onRevoke: () => Promise<void> }) {
  const state = linkState(link);
  return (
    <li>
      <div>
        <p className="title">
          Link {number}
          <span className={state === "active" ? "badge" : "badge muted"}>{STATE_TEXT[state]}</span>
        </p>
        <dl>
          <dt>Created</dt>
          <dd>{formatDate(link.created_at)}</dd>
          <dt>{state === "expired" ? "Expired" : "Expires"}</dt>
          <dd>{link.expires_at ? formatDate(link.expires_at) : "Never"}</dd>
          {link.revoked_at && (
            <>
              <dt>Revoked</dt>
              <dd>{formatDate(link.revoked_at)}</dd>
            </>
          )}
        </dl>
      </div>
      {state === "active" && (
        <div className="buttons">
          <ConfirmAction
            label="Revoke"
            accessibleLabel={`Revoke link ${number}`}
            question="Whoever holds this link will no longer see the album. This cannot be undone."
            confirmLabel="Yes, revoke"
            pendingLabel="Revoking…"
            danger
            onConfirm={onRevoke}
          />
        </div>
      )}
    </li>
  );
}

/**
 * The album's share links: make one (optionally expiring), shown once to copy,
 * and revoke any. Links open the album only while its visibility is "link".
 */
export function ShareLinks({ album, onAllowLinks }: { album: Album; onAllowLinks: () => Promise<void> }) {
  const [links, setLinks] = useState<ShareLink[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [expires, setExpires] = useState("");
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<unknown>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const expiryId = useId();

  const [version, setVersion] = useState(0);
  const reload = () => {
    setVersion((previous) => previous + 1);
  };

  useEffect(() => {
    let live = true;
    api.GET("/api/v1/albums/{id}/links", { params: { path: { id: album.id } } }).then(
      ({ data }) => {
        if (live) {
          setLinks(data ?? []);
          setError(null);
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
  }, [album.id, version]);

  const create = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    setCreating(true);
    setCreateError(null);
    setStatus("");
    try {
      const { data } = await api.POST("/api/v1/albums/{id}/links", {
        params: { path: { id: album.id } },
        body: { expires_at: endOfDay(expires) },
      });
      if (data) {
        setCreated(data.url);
        setExpires("");
        reload();
      }
    } catch (caught) {
      setCreateError(caught);
    }
    setCreating(false);
  };

  const revoke = async (link: ShareLink) => {
    await api.DELETE("/api/v1/albums/{id}/links/{link_id}", { params: { path: { id: album.id, link_id: link.id } } });
    setStatus("The link is revoked.");
    reload();
  };

  const shareable = album.visibility === "link";
  const active = (links ?? []).filter((link) => linkState(link) === "active").length;
  return (
    <>
      {!shareable && (
        <div className="warning">
          <p>
            Share links open the album only while it is visible to <strong>anyone with a link</strong>. Now it is
            {album.visibility === "private" ? " visible to you only" : " visible to members only"}
            {active > 0 ? `, so its ${active === 1 ? "link does" : `${active} links do`} not work.` : "."}
          </p>
          <ConfirmAction label="Allow sharing by link" pendingLabel="Changing…" onConfirm={onAllowLinks} />
        </div>
      )}
      {created !== null && (
        <SecretReveal
          title="Your new share link"
          label="Share link"
          value={created}
          warning="Copy it now: Shoebox keeps only a fingerprint of it and cannot show it again. Anyone holding it sees the album until you revoke it."
          onDone={() => {
            setCreated(null);
          }}
        />
      )}
      {shareable && created === null && (
        <form className="actions share-form" onSubmit={(event) => void create(event)}>
          <label htmlFor={expiryId}>
            Expires on <span className="hint">(optional)</span>
          </label>
          <input id={expiryId} type="date" min={today()} value={expires} onChange={(event) => { setExpires(event.target.value); }} />
          <button type="submit" disabled={creating}>
            {creating ? "Creating…" : "Create share link"}
          </button>
        </form>
      )}
      <ErrorMessage error={createError} />
      <p role="status" className="hint">
        {status}
      </p>
      <ErrorMessage error={error} />
      {links !== null && links.length === 0 && <p className="empty">No share links yet.</p>}
      {links !== null && links.length > 0 && (
        <ul className="cards" aria-label="Share links">
          {links.map((link, index) => (
            <LinkCard key={link.id} link={link} number={index + 1} onRevoke={() => revoke(link)} />
          ))}
        </ul>
      )}
    </>
  );
}

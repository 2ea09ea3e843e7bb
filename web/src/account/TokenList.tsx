import { useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import type { components } from "../api/schema";
import { ErrorMessage } from "../components/ErrorMessage";
import { ConfirmAction } from "./ConfirmAction";
import { formatDate } from "./format";
import { TokenCreateForm } from "./TokenCreateForm";

type Token = components["schemas"]["ApiTokenResponse"];

/** Personal API tokens: list, create (secret shown once) and revoke. */
export function TokenList({ reload }: { reload: number }) {
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    api.GET("/api/v1/me/tokens").then(
      ({ data }) => {
        if (live) {
          setTokens(data ?? []);
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
  }, [reload]);

  const [notice, setNotice] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);

  const revoke = async (id: string, name: string) => {
    await api.DELETE("/api/v1/me/tokens/{id}", { params: { path: { id } } });
    setTokens((previous) => previous?.filter((token) => token.id !== id) ?? null);
    setNotice(`Token “${name}” revoked.`);
    // Its button is gone; keep keyboard users in the list rather than at the top of the page.
    heading.current?.focus();
  };

  return (
    <>
      <p className="hint">
        Tokens let scripts and apps use the API as you, without your password. Give each one its own name, so you can
        revoke it alone.
      </p>
      <TokenCreateForm
        onCreated={(created) => {
          setNotice("");
          setTokens((previous) => [created.token, ...(previous ?? [])]);
        }}
      />
      <h3 ref={heading} tabIndex={-1}>
        Your tokens
      </h3>
      <p role="status" className="success">
        {notice}
      </p>
      {tokens === null && error === null && <p aria-live="polite">Loading tokens…</p>}
      {tokens?.length === 0 && <p className="empty">No tokens yet. Create one above when a script needs the API.</p>}
      {tokens !== null && tokens.length > 0 && (
        <ul className="cards" aria-label="API tokens">
          {tokens.map((token) => (
            <li key={token.id}>
              <div>
                <p className="title">
                  {token.name} <code className="hint">{token.hint}…</code>
                </p>
                <dl>
                  <dt>Created</dt>
                  <dd>{formatDate(token.created_at)}</dd>
                  <dt>Last used</dt>
                  <dd>{token.last_used_at ? formatDate(token.last_used_at) : "Never"}</dd>
                  <dt>Expires</dt>
                  <dd>{token.expires_at ? formatDate(token.expires_at) : "Never"}</dd>
                </dl>
              </div>
              <div className="buttons">
                <ConfirmAction
                  label="Revoke"
                  accessibleLabel={`Revoke token ${token.name}`}
                  question={`Revoke “${token.name}”? Anything using it stops working at once.`}
                  confirmLabel="Yes, revoke it"
                  pendingLabel="Revoking…"
                  danger
                  onConfirm={() => revoke(token.id, token.name)}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={error} />
    </>
  );
}

import { useState, type SyntheticEvent } from "react";
import { api } from "../api/client";
import type { components } from "../api/schema";
import { ErrorMessage } from "../components/ErrorMessage";
import { SecretReveal } from "./SecretReveal";

type Created = components["schemas"]["CreatedApiTokenResponse"];

const EXPIRIES: { days: number | null; label: string }[] = [
  { days: 7, label: "7 days" },
  { days: 30, label: "30 days" },
  { days: 90, label: "90 days" },
  { days: 365, label: "1 year" },
  { days: null, label: "Never (until revoked)" },
];

/** Creating a personal API token; its secret is shown here once and never again. */
export function TokenCreateForm({ onCreated }: { onCreated: (created: Created) => void }) {
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState("90");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const days = expiry === "never" ? null : Number(expiry);
      const { data } = await api.POST("/api/v1/me/tokens", {
        body: { name: name.trim(), ...(days === null ? {} : { expires_in_days: days }) },
      });
      if (data) {
        setSecret({ name: data.token.name, value: data.secret });
        setName("");
        onCreated(data);
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  if (secret) {
    return (
      <SecretReveal
        title={`Token “${secret.name}” created`}
        label="Your new token"
        value={secret.value}
        warning="Copy it now and keep it somewhere safe: it is shown only this once. Scripts send it as “Authorization: Bearer …”."
        onDone={() => {
          setSecret(null);
        }}
      />
    );
  }
  return (
    <form className="stack inline-form" onSubmit={(event) => void submit(event)} aria-label="New API token">
      <label>
        Token name
        <input
          required
          maxLength={100}
          placeholder="e.g. Backup script on the NAS"
          value={name}
          onChange={(event) => {
            setName(event.target.value);
          }}
        />
      </label>
      <label>
        Expires after
        <select
          value={expiry}
          onChange={(event) => {
            setExpiry(event.target.value);
          }}
        >
          {EXPIRIES.map((option) => (
            <option key={option.label} value={option.days === null ? "never" : String(option.days)}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <div className="actions">
        <button type="submit" disabled={saving}>
          {saving ? "Creating…" : "Create token"}
        </button>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}

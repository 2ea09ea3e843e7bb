import { useState, type SyntheticEvent } from "react";
import { api } from "../api/client";
import { ErrorMessage } from "../components/ErrorMessage";
import type { User } from "../session";

interface Props {
  user: User;
  onSaved: (user: User) => void;
}

/** The parts of the profile a member edits: limits as the server's (80, 200 and 2000 characters). */
export function ProfileForm({ user, onSaved }: Props) {
  const [displayName, setDisplayName] = useState(user.display_name);
  const [fullName, setFullName] = useState(user.full_name ?? "");
  const [bio, setBio] = useState(user.bio ?? "");
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaving(true);
    setSaved(false);
    setError(null);
    try {
      const { data } = await api.PATCH("/api/v1/me", {
        body: { display_name: displayName, full_name: fullName, bio },
      });
      if (data) {
        setDisplayName(data.display_name);
        setFullName(data.full_name ?? "");
        setBio(data.bio ?? "");
        setSaved(true);
        onSaved(data);
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  const edit = (setter: (value: string) => void) => (value: string) => {
    setter(value);
    setSaved(false);
  };

  return (
    <form className="stack" onSubmit={(event) => void submit(event)}>
      <label>
        Display name
        <input
          required
          maxLength={80}
          autoComplete="nickname"
          aria-describedby="display-name-hint"
          value={displayName}
          onChange={(event) => {
            edit(setDisplayName)(event.target.value);
          }}
        />
      </label>
      <p id="display-name-hint" className="hint field-hint">
        How other members see you.
      </p>
      <label>
        <span>
          Full name <span className="hint">(optional)</span>
        </span>
        <input
          maxLength={200}
          autoComplete="name"
          value={fullName}
          onChange={(event) => {
            edit(setFullName)(event.target.value);
          }}
        />
      </label>
      <label>
        <span>
          About you <span className="hint">(optional)</span>
        </span>
        <textarea
          maxLength={2000}
          rows={4}
          value={bio}
          onChange={(event) => {
            edit(setBio)(event.target.value);
          }}
        />
      </label>
      <div className="actions">
        <button type="submit" disabled={saving}>
          {saving ? "Saving…" : "Save profile"}
        </button>
        <p role="status" className="success">
          {saved && "Profile saved."}
        </p>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}

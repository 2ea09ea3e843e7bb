import type { Ref } from "react";

/** The inputs every account form shares (sign in, sign up, accepting an
 * invitation, resetting a password): one place for their labels,
 * autocomplete hints and rules. */

export function EmailField({
  value,
  onChange,
  readOnly = false,
  describedBy,
}: {
  value: string;
  onChange: (value: string) => void;
  /** Shown but not editable (an invitation for one address). */
  readOnly?: boolean;
  describedBy?: string;
}) {
  return (
    <label>
      Email
      <input
        name="email"
        type="email"
        autoComplete="email"
        required
        readOnly={readOnly}
        aria-readonly={readOnly || undefined}
        aria-describedby={describedBy}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
    </label>
  );
}

export function PasswordField({
  value,
  onChange,
  label = "Password",
  choosing,
}: {
  value: string;
  onChange: (value: string) => void;
  label?: string;
  /** A new password (at least 10 characters) rather than the current one. */
  choosing: boolean;
}) {
  return (
    <label>
      {label}
      <input
        name="password"
        type="password"
        autoComplete={choosing ? "new-password" : "current-password"}
        minLength={choosing ? 10 : undefined}
        required
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
    </label>
  );
}

export function DisplayNameField({
  value,
  onChange,
  inputRef,
}: {
  value: string;
  onChange: (value: string) => void;
  inputRef?: Ref<HTMLInputElement>;
}) {
  return (
    <label>
      Display name
      <input
        ref={inputRef}
        name="display_name"
        autoComplete="nickname"
        required
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
    </label>
  );
}

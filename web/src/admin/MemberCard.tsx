import { api } from "../api/client";
import { ConfirmAction } from "../account/ConfirmAction";
import { formatDate } from "../account/format";
import type { User } from "../session";

interface Props {
  member: User;
  /** Whether this row is the admin looking at the page. */
  isSelf: boolean;
  onChanged: (member: User) => void;
}

/** One account: its role and state, with the changes an admin may make, each confirmed first. */
export function MemberCard({ member, isSelf, onChanged }: Props) {
  const update = async (body: { role?: "member" | "admin"; disabled?: boolean }) => {
    const { data } = await api.PATCH("/api/v1/admin/users/{id}", { params: { path: { id: member.id } }, body });
    if (data) {
      onChanged(data);
    }
  };
  const name = member.display_name;
  const selfWarning = " This is your own account: you would lose access to the admin pages.";
  return (
    <li>
      <div>
        <p className="title">
          {name}
          {isSelf && <span className="badge">You</span>}
          {member.role === "admin" && <span className="badge">Admin</span>}
          {member.disabled && <span className="badge muted">Disabled</span>}
        </p>
        <dl>
          <dt>Email</dt>
          <dd>{member.email}</dd>
          {member.full_name && (
            <>
              <dt>Full name</dt>
              <dd>{member.full_name}</dd>
            </>
          )}
          <dt>Joined</dt>
          <dd>{formatDate(member.created_at)}</dd>
        </dl>
      </div>
      <div className="buttons">
        {member.role === "member" ? (
          <ConfirmAction
            label="Make admin"
            accessibleLabel={`Make admin: ${name}`}
            question={`Make ${name} an admin? Admins manage every member, invitation and job.`}
            confirmLabel="Yes, make admin"
            pendingLabel="Saving…"
            onConfirm={() => update({ role: "admin" })}
          />
        ) : (
          <ConfirmAction
            label="Make member"
            accessibleLabel={`Make member: ${name} (removes admin rights)`}
            question={`Remove ${name}'s admin rights?${isSelf ? selfWarning : ""}`}
            confirmLabel="Yes, remove admin rights"
            pendingLabel="Saving…"
            danger={isSelf}
            onConfirm={() => update({ role: "member" })}
          />
        )}
        {member.disabled ? (
          <ConfirmAction
            label="Enable"
            accessibleLabel={`Enable ${name}`}
            pendingLabel="Enabling…"
            onConfirm={() => update({ disabled: false })}
          />
        ) : (
          <ConfirmAction
            label="Disable"
            accessibleLabel={`Disable ${name}`}
            question={`Disable ${name}? They are signed out everywhere and cannot sign in until enabled again; their photos stay.${isSelf ? selfWarning : ""}`}
            confirmLabel="Yes, disable"
            pendingLabel="Disabling…"
            danger
            onConfirm={() => update({ disabled: true })}
          />
        )}
      </div>
    </li>
  );
}

import { api } from "../api/client";
import { ConfirmAction } from "../account/ConfirmAction";
import { formatDate } from "../account/format";
import { Link } from "../components/Link";
import type { User } from "../session";
import { DeleteMember } from "./DeleteMember";

interface Props {
  member: User;
  /** Whether this row is the admin looking at the page. */
  isSelf: boolean;
  onChanged: (member: User) => void;
  /** The server's grace period for deletions; `null` while unknown. */
  graceDays: number | null;
  /** After a deletion: when it is due, or `null` when the member was erased at once. */
  onDeleted: (member: User, dueAt: string | null) => void;
  /** After the member's pending deletion was cancelled. */
  onDeletionCancelled: (member: User) => void;
}

/** One account: its role and state, with the changes an admin may make, each confirmed first. */
export function MemberCard({ member, isSelf, onChanged, graceDays, onDeleted, onDeletionCancelled }: Props) {
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
        {member.deletion_due_at && <p className="pending-deletion">Deletion scheduled for {formatDate(member.deletion_due_at)}.</p>}
        <dl>
          <dt>Email</dt>
          <dd>
            {member.email}
            {!member.email_verified && <span className="badge muted">Not confirmed</span>}
          </dd>
          {member.full_name && (
            <>
              <dt>Full name</dt>
              <dd>{member.full_name}</dd>
            </>
          )}
          <dt>Joined</dt>
          <dd>{formatDate(member.created_at)}</dd>
        </dl>
        {isSelf && (
          <p className="hint">
            You delete your own account in <Link href="/settings">Settings</Link>.
          </p>
        )}
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
        {member.deletion_due_at && (
          <ConfirmAction
            label="Cancel deletion"
            accessibleLabel={`Cancel deletion of ${name}`}
            pendingLabel="Cancelling…"
            onConfirm={async () => {
              const { data } = await api.DELETE("/api/v1/admin/users/{id}/deletion", { params: { path: { id: member.id } } });
              if (data) {
                onDeletionCancelled(data);
              }
            }}
          />
        )}
        {!isSelf && (
          <DeleteMember
            member={member}
            graceDays={graceDays}
            onDeleted={(dueAt) => {
              onDeleted(member, dueAt);
            }}
          />
        )}
      </div>
    </li>
  );
}

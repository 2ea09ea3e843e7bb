import type { components } from "../api/schema";

export type AuditEntry = components["schemas"]["AuditEntryResponse"];

/** What an entry's `target_id` names; a member's id can be looked up, the others are shown as they are. */
export type TargetKind = "member" | "invitation" | "job" | "export";

interface ActionInfo {
  /** The action in words, as the table shows it. */
  wording: string;
  target: TargetKind;
}

/** Every action the server logs (crates/shoebox-domain/src/audit.rs), in words, with what its target is. */
const ACTIONS: Record<string, ActionInfo> = {
  "account.deletion_requested": { wording: "Deletion requested", target: "member" },
  "account.deletion_cancelled": { wording: "Deletion cancelled", target: "member" },
  "account.erased": { wording: "Member erased", target: "member" },
  "admin.member_updated": { wording: "Member’s role or access changed", target: "member" },
  "admin.invitation_created": { wording: "Invitation created", target: "invitation" },
  "admin.invitation_revoked": { wording: "Invitation revoked", target: "invitation" },
  "admin.invitation_resent": { wording: "Invitation mailed again", target: "invitation" },
  "admin.job_retried": { wording: "Job retried", target: "job" },
  "admin.job_cancelled": { wording: "Job cancelled", target: "job" },
  "admin.backup_requested": { wording: "Backup requested", target: "job" },
  "export.requested": { wording: "Export requested", target: "export" },
  "export.downloaded": { wording: "Export downloaded", target: "export" },
};

/** An action in words; one this page does not know yet is shown by its name. */
export function actionWording(action: string): string {
  return ACTIONS[action]?.wording ?? action;
}

/** What the action's target id names, when the action is known. */
export function targetKind(action: string): TargetKind | null {
  return ACTIONS[action]?.target ?? null;
}

/** Who acted, when it was not a member: the command line or a scheduled job. */
export function actorWording(kind: string): string {
  switch (kind) {
    case "member":
      return "Member";
    case "operator":
      return "Operator (command line)";
    case "system":
      return "System (scheduled job)";
    default:
      return kind;
  }
}

export const TARGET_WORDING: Record<Exclude<TargetKind, "member">, string> = {
  invitation: "Invitation",
  job: "Job",
  export: "Export",
};

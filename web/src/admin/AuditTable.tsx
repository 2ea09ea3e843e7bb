import { formatDate } from "../account/format";
import { actionWording, actorWording, TARGET_WORDING, targetKind, type AuditEntry } from "./audit";
import type { MemberNames } from "./useMemberNames";

/** A member's id, with their current name beside it when they are still a member. */
function Member({ id, names }: { id: string; names: MemberNames }) {
  const name = names.state === "loaded" ? names.names.get(id) : undefined;
  return (
    <>
      {name !== undefined && (
        <>
          <span>{name}</span>
          <br />
        </>
      )}
      <code>{id}</code>
      {names.state === "loaded" && name === undefined && <span className="hint"> (erased or unknown)</span>}
    </>
  );
}

function Actor({ entry, names }: { entry: AuditEntry; names: MemberNames }) {
  if (entry.actor_kind === "member" && entry.actor_id) {
    return <Member id={entry.actor_id} names={names} />;
  }
  return (
    <>
      {actorWording(entry.actor_kind)}
      {entry.actor_id && (
        <>
          <br />
          <code>{entry.actor_id}</code>
        </>
      )}
    </>
  );
}

function Target({ entry, names }: { entry: AuditEntry; names: MemberNames }) {
  if (!entry.target_id) {
    return <span className="hint">None</span>;
  }
  const kind = targetKind(entry.action);
  if (kind === "member") {
    return <Member id={entry.target_id} names={names} />;
  }
  return (
    <>
      {kind !== null && (
        <>
          {TARGET_WORDING[kind]}
          <br />
        </>
      )}
      <code>{entry.target_id}</code>
    </>
  );
}

/**
 * The audit log, newest first: when, who, what (in words, with the logged
 * action name) and what it was done to. It scrolls sideways on a phone.
 */
export function AuditTable({ entries, names, labelledBy }: { entries: AuditEntry[]; names: MemberNames; labelledBy: string }) {
  return (
    <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table className="audit" aria-labelledby={labelledBy}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Target</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id}>
              <th scope="row">
                <time dateTime={entry.occurred_at}>{formatDate(entry.occurred_at)}</time>
              </th>
              <td>
                <Actor entry={entry} names={names} />
              </td>
              <td>
                {actionWording(entry.action)}
                <br />
                <code className="hint">{entry.action}</code>
              </td>
              <td>
                <Target entry={entry} names={names} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { Link } from "../components/Link";

/** Moves between the admin pages. */
export function AdminNav({ current }: { current: "members" | "jobs" | "backups" | "audit" }) {
  return (
    <nav aria-label="Admin" className="subnav">
      <Link href="/admin/members" aria-current={current === "members" ? "page" : undefined}>
        Members
      </Link>
      <Link href="/admin/jobs" aria-current={current === "jobs" ? "page" : undefined}>
        Jobs
      </Link>
      <Link href="/admin/backups" aria-current={current === "backups" ? "page" : undefined}>
        Backups
      </Link>
      <Link href="/admin/audit" aria-current={current === "audit" ? "page" : undefined}>
        Audit log
      </Link>
    </nav>
  );
}

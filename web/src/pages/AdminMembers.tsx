import "../account/account.css";
import "../admin/admin.css";
import { AdminNav } from "../admin/AdminNav";
import { Invitations } from "../admin/Invitations";
import { MemberList } from "../admin/MemberList";

/** The instance's accounts and invitations, for admins. */
export function AdminMembers() {
  return (
    <section className="account wide">
      <h1>Members</h1>
      <AdminNav current="members" />
      <section aria-labelledby="admin-invitations" className="panel">
        <h2 id="admin-invitations">Invite someone</h2>
        <Invitations />
      </section>
      <section aria-labelledby="admin-members" className="panel">
        <h2 id="admin-members">Accounts</h2>
        <MemberList />
      </section>
    </section>
  );
}

import "../account/account.css";
import { ProfileForm } from "../account/ProfileForm";
import { formatDate } from "../account/format";
import { StorageUsage } from "../account/StorageUsage";
import { Link } from "../components/Link";
import { useSession } from "../session";

/** The member's own profile: what others see of them, and how much room their photos take. */
export function Profile() {
  const { user, updateUser } = useSession();
  if (!user) {
    return null;
  }
  return (
    <section className="account">
      <h1>Profile</h1>
      <p className="hint">
        Signed in as <strong>{user.email}</strong> ({user.role === "admin" ? "admin" : "member"} since {formatDate(user.created_at)}).
        Your password, sessions and API tokens are in <Link href="/settings">Settings</Link>.
      </p>
      <section aria-labelledby="profile-details" className="panel">
        <h2 id="profile-details">Your details</h2>
        <ProfileForm key={user.id} user={user} onSaved={updateUser} />
      </section>
      <section aria-labelledby="profile-storage" className="panel">
        <h2 id="profile-storage">Storage</h2>
        <StorageUsage />
      </section>
    </section>
  );
}

import { useSession } from "../session";
import { ResendVerification } from "./ResendVerification";

/** On every page while the signed-in member has not confirmed their address. */
export function VerifyEmailBanner() {
  const { user } = useSession();
  if (!user || user.email_verified) {
    return null;
  }
  return (
    <div className="verify-banner" role="region" aria-label="Confirm your email address">
      <p>
        <strong>Please confirm your email address.</strong> We sent a link to {user.email}; follow it to confirm the address is
        yours, so that password resets and notices reach you.
      </p>
      <ResendVerification email={user.email} />
    </div>
  );
}

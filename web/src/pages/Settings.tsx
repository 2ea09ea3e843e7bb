import "../account/account.css";
import { useState } from "react";
import { DataExports } from "../account/DataExports";
import { DeleteAccount } from "../account/DeleteAccount";
import { EmailForm } from "../account/EmailForm";
import { PasswordForm } from "../account/PasswordForm";
import { SessionList } from "../account/SessionList";
import { TokenList } from "../account/TokenList";
import { useSession } from "../session";

/** Email address, password, where the member is signed in, personal API tokens, exporting one's data, and deleting the account. */
export function Settings() {
  const { signOut } = useSession();
  // Changing the password ends other sessions and revokes tokens on the server: list them again.
  const [reload, setReload] = useState(0);
  return (
    <section className="account">
      <h1>Settings</h1>
      <section aria-labelledby="settings-email" className="panel">
        <h2 id="settings-email">Email address</h2>
        <EmailForm />
      </section>
      <section aria-labelledby="settings-password" className="panel">
        <h2 id="settings-password">Password</h2>
        <PasswordForm
          onChanged={() => {
            setReload((count) => count + 1);
          }}
        />
      </section>
      <section aria-labelledby="settings-sessions" className="panel">
        <h2 id="settings-sessions">Sessions</h2>
        <SessionList
          reload={reload}
          onSignedOutEverywhere={() => {
            // The server already ended this session; the logout call may fail, the sign-out stands.
            signOut().catch(() => undefined);
          }}
        />
      </section>
      <section aria-labelledby="settings-tokens" className="panel">
        <h2 id="settings-tokens">API tokens</h2>
        <TokenList reload={reload} />
      </section>
      <section aria-labelledby="settings-data" className="panel">
        <h2 id="settings-data">Your data</h2>
        <DataExports />
      </section>
      <section aria-labelledby="settings-delete" className="panel danger-zone">
        <h2 id="settings-delete">Delete account</h2>
        <DeleteAccount />
      </section>
    </section>
  );
}

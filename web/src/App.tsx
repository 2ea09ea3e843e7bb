import { useEffect, useRef, useState, type ReactNode } from "react";
import { DeletionBanner } from "./account/DeletionBanner";
import { Link } from "./components/Link";
import { ThemeToggle } from "./components/ThemeToggle";
import { AcceptInvitation } from "./pages/AcceptInvitation";
import { AuthPage } from "./pages/AuthPage";
import { ForgotPassword, ResetPassword } from "./pages/PasswordReset";
import { VerifyEmail } from "./pages/VerifyEmail";
import { VerifyEmailBanner } from "./account/VerifyEmailBanner";
import { Gallery } from "./pages/Gallery";
import { Upload } from "./pages/Upload";
import { AdminAudit } from "./pages/AdminAudit";
import { AdminBackups } from "./pages/AdminBackups";
import { AdminJobs } from "./pages/AdminJobs";
import { AdminMembers } from "./pages/AdminMembers";
import { AlbumDetail } from "./pages/AlbumDetail";
import { Albums } from "./pages/Albums";
import { PhotoViewer } from "./pages/PhotoViewer";
import { Profile } from "./pages/Profile";
import { Settings } from "./pages/Settings";
import { SharedAlbum } from "./pages/SharedAlbum";
import { matchRoute, usePath } from "./router";
import { SessionProvider, useSession } from "./session";

function NotFound({ path }: { path: string }) {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing at {path}. <Link href="/">Back to your photos</Link>.
      </p>
    </section>
  );
}

/** The admin pages, which only admins may open. */
const ADMIN_PAGES = {
  "admin-members": AdminMembers,
  "admin-jobs": AdminJobs,
  "admin-backups": AdminBackups,
  "admin-audit": AdminAudit,
};

function Page({ path }: { path: string }) {
  const { user } = useSession();
  const route = matchRoute(path);
  if (route.page === "sign-up") {
    return <AuthPage mode="sign-up" />;
  }
  if (route.page === "forgot-password") {
    return <ForgotPassword />;
  }
  if (route.page === "reset-password") {
    return <ResetPassword token={new URLSearchParams(window.location.search).get("token") ?? ""} />;
  }
  if (route.page === "invitation") {
    return <AcceptInvitation token={new URLSearchParams(window.location.search).get("token") ?? ""} />;
  }
  if (user === undefined) {
    return <p aria-live="polite">Loading…</p>;
  }
  if (route.page === "verify-email") {
    return <VerifyEmail token={new URLSearchParams(window.location.search).get("token") ?? ""} />;
  }
  if (route.page === "shared") {
    return <SharedAlbum token={route.token} />;
  }
  if (route.page === "shared-photo") {
    return <PhotoViewer context={{ kind: "shared", token: route.token, photoId: route.photoId }} />;
  }
  if (user === null || route.page === "sign-in") {
    return <AuthPage mode="sign-in" />;
  }
  switch (route.page) {
    case "gallery":
      return <Gallery />;
    case "upload":
      return <Upload />;
    case "photo":
      return <PhotoViewer context={{ kind: "gallery", photoId: route.photoId }} />;
    case "albums":
      return <Albums />;
    case "album":
      return <AlbumDetail key={route.albumId} albumId={route.albumId} />;
    case "album-photo":
      return <PhotoViewer context={{ kind: "album", albumId: route.albumId, photoId: route.photoId }} />;
    case "profile":
      return <Profile />;
    case "settings":
      return <Settings />;
    case "admin-members":
    case "admin-jobs":
    case "admin-backups":
    case "admin-audit":
      if (user.role !== "admin") {
        return (
          <section>
            <h1>Admins only</h1>
            <p>
              This page is for the instance's admins. <Link href="/">Back to your photos</Link>.
            </p>
          </section>
        );
      }
      {
        const AdminPage = ADMIN_PAGES[route.page];
        return <AdminPage />;
      }
    case "not-found":
      return <NotFound path={path} />;
  }
}

function NavLink({ href, current, children }: { href: string; current: boolean; children: ReactNode }) {
  return (
    <Link href={href} aria-current={current ? "page" : undefined}>
      {children}
    </Link>
  );
}

function Shell() {
  const path = usePath();
  const route = matchRoute(path);
  const { user, signOut } = useSession();
  const main = useRef<HTMLElement>(null);
  const previousPath = useRef(path);

  // On a phone the navigation folds behind a Menu button.
  const [menuOpen, setMenuOpen] = useState(false);

  // After a client-side navigation, keyboard and screen-reader users start
  // at the new page's content, as they would after a full page load, and
  // the phone menu closes.
  useEffect(() => {
    if (path !== previousPath.current) {
      previousPath.current = path;
      setMenuOpen(false);
      main.current?.focus();
    }
  }, [path]);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell">
        <Link href="/" className="brand">
          Shoebox
        </Link>
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => {
            setMenuOpen((open) => !open);
          }}
        >
          Menu
        </button>
        <nav id="main-nav" aria-label="Main" className={menuOpen ? "open" : undefined}>
          {user ? (
            <>
              <NavLink href="/" current={route.page === "gallery" || route.page === "photo"}>
                Photos
              </NavLink>
              <NavLink href="/albums" current={route.page === "albums" || route.page === "album" || route.page === "album-photo"}>
                Albums
              </NavLink>
              <NavLink href="/upload" current={route.page === "upload"}>
                Upload
              </NavLink>
              {user.role === "admin" && (
                <NavLink href="/admin/members" current={route.page.startsWith("admin-")}>
                  Admin
                </NavLink>
              )}
              <NavLink href="/profile" current={route.page === "profile"}>
                Profile
              </NavLink>
              <NavLink href="/settings" current={route.page === "settings"}>
                Settings
              </NavLink>
              <button type="button" onClick={() => void signOut()}>
                Sign out
              </button>
            </>
          ) : (
            <>
              <Link href="/sign-in">Sign in</Link>
              <Link href="/sign-up">Sign up</Link>
            </>
          )}
          <ThemeToggle />
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <DeletionBanner path={path} />
        <VerifyEmailBanner />
        <Page path={path} />
      </main>
    </>
  );
}

export function App() {
  return (
    <SessionProvider>
      <Shell />
    </SessionProvider>
  );
}

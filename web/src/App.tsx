import { useEffect, useRef } from "react";
import { Link } from "./components/Link";
import { ThemeToggle } from "./components/ThemeToggle";
import { AuthPage } from "./pages/AuthPage";
import { Gallery } from "./pages/Gallery";
import { Upload } from "./pages/Upload";
import { usePath } from "./router";
import { SessionProvider, useSession } from "./session";

function Page({ path }: { path: string }) {
  const { user } = useSession();
  if (path === "/sign-up") {
    return <AuthPage mode="sign-up" />;
  }
  if (user === undefined) {
    return <p aria-live="polite">Loading…</p>;
  }
  if (user === null || path === "/sign-in") {
    return <AuthPage mode="sign-in" />;
  }
  if (path === "/upload") {
    return <Upload />;
  }
  if (path === "/") {
    return <Gallery />;
  }
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing at {path}. <Link href="/">Back to your photos</Link>.
      </p>
    </section>
  );
}

function Shell() {
  const path = usePath();
  const { user, signOut } = useSession();
  const main = useRef<HTMLElement>(null);
  const previousPath = useRef(path);

  // After a client-side navigation, keyboard and screen-reader users start
  // at the new page's content, as they would after a full page load.
  useEffect(() => {
    if (path !== previousPath.current) {
      previousPath.current = path;
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
        <nav aria-label="Main">
          {user ? (
            <>
              <Link href="/" aria-current={path === "/" ? "page" : undefined}>
                Photos
              </Link>
              <Link href="/upload" aria-current={path === "/upload" ? "page" : undefined}>
                Upload
              </Link>
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
